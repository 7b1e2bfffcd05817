export * from './risk-regime';
export * from './venue-snapshot';
