export * from './hedge-types';
export * from './hedge-allocator';
