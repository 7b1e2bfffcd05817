export * from './topic-spec';
