/** Builders of realistic flows and in-memory trails for tests. */
export * from './flow-events';
export * from './trail-builder';
