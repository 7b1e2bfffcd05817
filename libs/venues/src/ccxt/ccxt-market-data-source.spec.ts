import { FakeBinanceUsdm } from '../testing/fake-venue';
import type { VenueError } from '../errors';
import type { BookEvent, MarketEvent } from '../market-data/market-events';
import { CcxtMarketDataSource } from './ccxt-market-data-source';
import { InstrumentMap } from './instrument-map';

jest.setTimeout(20_000);

/** Collects events until `until` holds, then resolves. */
function collector(until: (events: MarketEvent[]) => boolean) {
  const events: MarketEvent[] = [];
  const warnings: VenueError[] = [];
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  return {
    events,
    warnings,
    reached,
    sink: {
      onEvent: (e: MarketEvent) => {
        events.push(e);
        if (until(events)) resolve();
      },
      onWarning: (w: VenueError) => void warnings.push(w),
    },
  };
}

describe('CcxtMarketDataSource against the fake Binance USDⓈ-M venue (ccxt pro, loopback)', () => {
  let fake: FakeBinanceUsdm;
  let source: CcxtMarketDataSource | undefined;

  beforeEach(async () => {
    fake = await FakeBinanceUsdm.start();
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await fake.close();
  });

  const make = (channels: ConstructorParameters<typeof CcxtMarketDataSource>[0]['channels']) =>
    new CcxtMarketDataSource({
      exchangeId: 'binanceusdm',
      instruments: InstrumentMap.ofPerpetuals(['BTC/USDT:USDT']),
      channels,
      bookDepth: 5,
      clock: { nowUs: () => 1_767_225_600_000_000 },
      urls: { http: fake.httpUrl, ws: fake.wsUrl },
      backoff: { initialMs: 10, maxMs: 50 },
    });

  it('maps watchOrderBook (REST snapshot + recorded depth diffs) to book events with exact decimals, tick and lot', async () => {
    const c = collector((es) => es.some((e) => e.type === 'book' && e.venueSequence === 1009));
    source = make({ book: true });
    await source.start(c.sink);
    await c.reached;
    const last = c.events.filter((e): e is BookEvent => e.type === 'book').at(-1)!;
    expect(last).toMatchObject({ venue: 'binanceusdm', instrument: 'BTC-PERP', venueSymbol: 'BTC/USDT:USDT', venueSequence: 1009, exchangeTimeUs: 1_767_225_600_350_000, tickSize: '0.1', lotSize: '0.001' });
    // Snapshot at 1000, then the three recorded diffs applied in order.
    expect(last.bids).toEqual([
      { price: '64999.95', size: '0.42' },
      { price: '64999.9', size: '1.5' },
      { price: '64999.5', size: '2' },
      { price: '64999', size: '5.113' },
    ]);
    expect(last.asks).toEqual([
      { price: '65000', size: '0.3' },
      { price: '65000.2', size: '0.777' },
      { price: '65000.4', size: '3' },
      { price: '65001', size: '7.02' },
    ]);
    const sequences = c.events.map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => i + 1));
  });

  it('maps watchTrades to trade events once each, with the taker side', async () => {
    const c = collector((es) => es.filter((e) => e.type === 'trade').length >= 3);
    source = make({ trades: true });
    await source.start(c.sink);
    await c.reached;
    expect(c.events.map((e) => (e.type === 'trade' ? [e.venueTradeId, e.price, e.size, e.aggressorSide, e.exchangeTimeUs] : e.type))).toEqual([
      ['5123456701', '65000', '0.01', 'BUY', 1_767_225_600_158_000],
      ['5123456702', '64999.9', '0.25', 'SELL', 1_767_225_600_266_000],
      ['5123456703', '65000.1', '1.003', 'BUY', 1_767_225_600_379_000],
    ]);
  });

  it('maps watchMarkPrice to mark and index events and fetchFundingRate to a funding event', async () => {
    const c = collector((es) => es.some((e) => e.type === 'funding') && es.some((e) => e.type === 'mark') && es.some((e) => e.type === 'index'));
    source = make({ markIndex: true, funding: true });
    await source.start(c.sink);
    await c.reached;
    const funding = c.events.find((e) => e.type === 'funding');
    expect(funding).toMatchObject({ type: 'funding', instrument: 'BTC-PERP', rate: '0.0001', nextFundingTimeUs: 1_767_254_400_000_000, intervalUs: 8 * 3600 * 1_000_000 });
    const marks = c.events.filter((e) => e.type === 'mark').map((e) => (e.type === 'mark' ? e.markPrice : ''));
    const indexes = c.events.filter((e) => e.type === 'index').map((e) => (e.type === 'index' ? e.indexPrice : ''));
    // The first recorded markPriceUpdate; ccxt keeps only the latest ticker, so a later one may be folded into it.
    expect(marks[0]).toBe('64999.87');
    expect(indexes[0]).toBe('65001.23404255');
  });

  it('reconnects after the venue drops the websocket and keeps delivering', async () => {
    const c = collector(() => false);
    source = make({ book: true });
    await source.start(c.sink);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (c.events.length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    const before = c.events.length;
    fake.dropWebSockets();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (fake.subscribeCount >= 2 && c.events.length > before) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    expect(c.warnings.length).toBeGreaterThanOrEqual(1);
    expect(c.warnings[0]!.message).toContain('book BTC/USDT:USDT');
  });

  it('ends with the sink error rather than drop an event the sink refused', async () => {
    source = make({ trades: true });
    await source.start({
      onEvent: () => {
        throw new Error('downstream is full');
      },
    });
    await expect(source.done()).rejects.toThrow('trades BTC/USDT:USDT: the sink failed on an event: downstream is full');
  });

  it('refuses an instrument the venue does not list, naming it', async () => {
    source = new CcxtMarketDataSource({ instruments: InstrumentMap.ofPerpetuals(['DOGE/USDT:USDT']), urls: { http: fake.httpUrl, ws: fake.wsUrl } });
    await expect(source.start({ onEvent: () => undefined })).rejects.toThrow('instrument DOGE-PERP maps to DOGE/USDT:USDT, which the venue does not list');
  });
});
