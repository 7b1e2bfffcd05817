export * from './observation';
export * from './policy';
export * from './shadow-runner';
