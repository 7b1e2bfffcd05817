export * from './strategy-config';
export * from './default-strategy-config';
export * from './validate-strategy-config';
export * from './venue-grid';
