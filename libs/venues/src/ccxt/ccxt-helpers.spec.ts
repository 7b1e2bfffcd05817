import { toDecimalString } from '../market-data/decimal-text';
import { rebaseUrls } from './ccxt-exchange';
import { parseIntervalUs } from './ccxt-market-data-source';
import { canonicalPerpOf, InstrumentMap } from './instrument-map';

describe('instrument mapping', () => {
  it('derives canonical perpetual names from ccxt unified symbols', () => {
    expect(canonicalPerpOf('BTC/USDT:USDT')).toBe('BTC-PERP');
    expect(canonicalPerpOf('ETH/USD:ETH')).toBe('ETH-PERP');
    expect(() => canonicalPerpOf('BTC/USDT')).toThrow('expected a ccxt perpetual symbol such as "BTC/USDT:USDT", received "BTC/USDT"');
  });

  it('maps both ways and names what is unmapped', () => {
    const map = new InstrumentMap([{ instrument: 'XBT-PERP', symbol: 'BTC/USD:BTC' }]);
    expect(map.symbolOf('XBT-PERP')).toBe('BTC/USD:BTC');
    expect(map.instrumentOf('BTC/USD:BTC')).toBe('XBT-PERP');
    expect(() => map.symbolOf('ETH-PERP')).toThrow('instrument ETH-PERP is not mapped');
    expect(() => new InstrumentMap([{ instrument: 'A', symbol: 'X' }, { instrument: 'A', symbol: 'Y' }])).toThrow('mapped twice');
  });
});

describe('rebaseUrls', () => {
  it('replaces scheme and host of every REST and websocket address, keeping paths', () => {
    const api = { fapiPublic: 'https://fapi.binance.com/fapi/v1', ws: { future: 'wss://fstream.binance.com/ws', 'ws-api': { spot: 'wss://ws-api.binance.com:443/ws-api/v3' } }, list: ['https://a.example/x'], n: 3 };
    expect(rebaseUrls(api, { http: 'http://127.0.0.1:9', ws: 'ws://127.0.0.1:9' })).toEqual({
      fapiPublic: 'http://127.0.0.1:9/fapi/v1',
      ws: { future: 'ws://127.0.0.1:9/ws', 'ws-api': { spot: 'ws://127.0.0.1:9/ws-api/v3' } },
      list: ['http://127.0.0.1:9/x'],
      n: 3,
    });
  });
});

describe('toDecimalString', () => {
  it.each([
    ['65000.10', '65000.1'],
    ['0.00000100', '0.000001'],
    [1e-7, '0.0000001'],
    [65000.125, '65000.125'],
    ['-0.00002500', '-0.000025'],
    [0, '0'],
  ])('writes %p as %p', (input, expected) => {
    expect(toDecimalString(input)).toBe(expected);
  });

  it('refuses what is not a finite decimal, naming it', () => {
    expect(() => toDecimalString(Number.NaN)).toThrow('expected a finite decimal, received NaN');
    expect(() => toDecimalString('abc')).toThrow('expected a decimal, received "abc"');
  });

  it('reads funding intervals', () => {
    expect(parseIntervalUs('8h')).toBe(8 * 3600 * 1_000_000);
    expect(parseIntervalUs('30m')).toBe(30 * 60 * 1_000_000);
  });
});
