export * from './actions';
export * from './runner-events';
export * from './runner-config';
export * from './runner-state';
export * from './strategy-models';
export * from './step';
export * from './session';
