// Re-exports of the runner part of the core; kept in one place so index.ts stays stable.
export * from './sim';
export * from './runner';
export * from './policy';
