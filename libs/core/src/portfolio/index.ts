export * from './position';
export * from './portfolio';
export * from './position-record';
