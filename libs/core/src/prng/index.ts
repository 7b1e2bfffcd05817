export * from './prng';
