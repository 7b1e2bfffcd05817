export * from './fleet-error';
export * from './result';
