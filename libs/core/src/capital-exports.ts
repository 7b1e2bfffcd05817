// Re-exports of the capital part of the core; kept in one place so index.ts stays stable.
export * from './errors';
export * from './money';
export * from './orders';
export * from './portfolio';
export * from './capital';
