/**
 * Venue adapters: normalised market-data events and the sources that produce them (recorded
 * files, live ccxt pro websockets), and the opt-in ccxt trading adapter behind an order
 * gateway that never sends an order twice. The loopback fake venue lives in `./testing`.
 */
export * from './errors';
export * from './market-data/decimal-text';
export * from './market-data/market-events';
export * from './market-data/market-data-source';
export * from './recorded/recorded-format';
export * from './recorded/recorded-reader';
export * from './recorded/recorded-writer';
export * from './recorded/recorded-file-source';
export * from './recorded/sample-generator';
export * from './ccxt/instrument-map';
export * from './ccxt/ccxt-exchange';
export * from './ccxt/ccxt-market-data-source';
export * from './trading/redactor';
export * from './trading/trading-venue';
export * from './trading/ccxt-trading-venue';
export * from './trading/venue-order-gateway';
