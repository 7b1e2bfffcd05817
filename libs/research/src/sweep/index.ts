export * from './knobs';
export * from './sweep';
