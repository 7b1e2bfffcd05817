export * from './market-events';
export * from './exchange-events';
export * from './decimal-grid';
export * from './scenario';
export * from './market-sim';
export * from './paper-exchange';
