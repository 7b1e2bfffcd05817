export * from './create-topics';
export * from './register-schemas';
