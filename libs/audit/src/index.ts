/**
 * The hash-chained audit trail, pure: the record format and chain, segment building and seals,
 * the manifest shape, and verification of a trail end to end. No I/O: @fleet/audit-store writes
 * and reads the files.
 */
export * from './record';
export * from './manifest';
export * from './segment-builder';
export * from './verify-types';
export * from './verify-chain';
export * from './verify-rules';
export * from './verify';
export * from './session-manifest';
export * as auditTesting from './testing';
