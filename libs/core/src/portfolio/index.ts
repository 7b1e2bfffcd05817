export * from './position';
export * from './portfolio';
