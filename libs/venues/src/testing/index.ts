/** Test support for venue adapters: the loopback fake Binance USDⓈ-M venue. Not for production code. */
export * from './fake-venue';
