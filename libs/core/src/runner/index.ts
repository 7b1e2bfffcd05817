export * from './actions';
export * from './runner-events';
export * from './runner-config';
export * from './runner-state';
export * from './strategy-models';
export * from './step';
export * from './session';
// The quote order management and its working draft, for the quoting service (the same code the runner's step runs).
export { manageQuotes } from './step-decide';
export type { Draft } from './step-draft';
