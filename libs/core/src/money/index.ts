export * from './exact-decimal';
export * from './decimal-value';
export * from './price';
export * from './quantity';
export * from './money';
