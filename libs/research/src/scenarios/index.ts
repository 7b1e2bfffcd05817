export * from './scenario-params';
export * from './scenario-library';
