export * from './topic-spec';
export * from './scalars';
export * from './generated';
export * from './topics';
