// Re-exports of the strategy part of the core; kept in one place so index.ts stays stable.
export * from './config';
export * from './fair-value';
export * from './risk';
export * from './quoting';
export * from './hedge';
export * from './exit';
