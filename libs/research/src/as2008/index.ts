export * from './as-model';
