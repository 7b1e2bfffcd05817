export * from './order-ids';
export * from './order-types';
export * from './order-machine';
export * from './execution-binding';
