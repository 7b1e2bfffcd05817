export * from './exit-types';
export * from './exit-allocator';
