/**
 * The pure decision core. Nothing here does I/O, reads a clock or uses ambient randomness:
 * the same inputs in the same order give the same outputs, bit for bit.
 */
export * from './types';
export * from './canonical';
export * from './prng';
export * from './strategy-exports';
export * from './capital-exports';
export * from './runner-exports';
