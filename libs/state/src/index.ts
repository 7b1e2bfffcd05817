/** Redis hot state: versioned, digest-checked snapshots that a service can always rebuild from the log. */
export * from './snapshot';
export * from './snapshot-store';
