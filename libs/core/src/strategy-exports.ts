// Re-exports of the strategy part of the core; kept in one place so index.ts stays stable.
export {};
