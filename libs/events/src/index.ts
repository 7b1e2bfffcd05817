export * from './envelope';
export * from './market-data';
