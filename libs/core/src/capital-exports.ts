// Re-exports of the capital part of the core; kept in one place so index.ts stays stable.
export {};
