export * from './eligibility';
export * from './buckets';
export * from './bucket-registry';
export * from './portfolio-selector';
export * from './allocation';
export * from './rate-limit';
export * from './budget-types';
export * from './budget-ledger';
