import { decimalString, type Envelope, type FundingRate, type Trade, Topics } from '@fleet/contracts';
import { type LiveChannels, type MarketDataSink, type MarketDataSource, type MarketEvent } from '@fleet/venues';
import { FakeBinanceUsdm } from '@fleet/venues/testing';
import { compareMdEvents, MD_KINDS, MD_TOPICS, type MdKind } from './md-events';
import { ccxtMarketDataSources, liveInstruments, LiveTickSource } from './live-tick-source';
import { type GatewayTick } from './tick-source';

jest.setTimeout(20_000);

const TICK = 250_000;
const live = { venues: ['binanceusdm'], symbols: ['BTC/USDT:USDT'] };
type Md = { readonly envelope: Envelope; readonly instrument: string; readonly venue: string };
const md = (value: object): Md => value as Md;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function drain(source: LiveTickSource): Promise<GatewayTick[]> {
  const ticks: GatewayTick[] = [];
  for (let t = await source.next(); t !== undefined; t = await source.next()) ticks.push(t);
  return ticks;
}

describe('LiveTickSource against the fake Binance USDⓈ-M venue (ccxt pro, loopback)', () => {
  let fake: FakeBinanceUsdm;
  beforeEach(async () => {
    fake = await FakeBinanceUsdm.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  const sources = (channels: LiveChannels | undefined) =>
    ccxtMarketDataSources(live, { channels, bookDepth: 5, urls: { http: fake.httpUrl, ws: fake.wsUrl }, backoff: { initialMs: 10, maxMs: 50 } });

  it('cuts the venue trades into ticks of their venue timestamps', async () => {
    const source = new LiveTickSource(liveInstruments(live), TICK, sources({ trades: true }));
    await source.start();
    const first = await source.next();
    await until(() => source.received >= 3);
    await source.close();
    const ticks = [first!, ...(await drain(source))];
    // The recorded trades are stamped 600.158, 600.266 and 600.379 s after the epoch offset.
    const start = 1_767_225_600_000_000;
    expect(ticks.map((t) => [t.tick, t.tickTimeUs, t.outputs.map((o) => (o.value as Trade).venueTradeId)])).toEqual([
      [0, start + TICK, ['5123456701']],
      [1, start + 2 * TICK, ['5123456702', '5123456703']],
    ]);
    const trades = ticks.flatMap((t) => t.outputs);
    expect(trades.map((o) => [o.spec, o.key, md(o.value).envelope.eventTimeUs, md(o.value).envelope.sequence, (o.value as Trade).price])).toEqual([
      [Topics.mdTrade, 'BTC-PERP', 1_767_225_600_158_000, 1, '65000'],
      [Topics.mdTrade, 'BTC-PERP', 1_767_225_600_266_000, 2, '64999.9'],
      [Topics.mdTrade, 'BTC-PERP', 1_767_225_600_379_000, 3, '65000.1'],
    ]);
  });

  it('publishes every channel as contract events in consecutive ticks of venue time', async () => {
    const source = new LiveTickSource(liveInstruments(live), TICK, sources(undefined));
    await source.start();
    await until(() => source.received >= 7);
    await source.close();
    const ticks = await drain(source);
    expect(ticks.map((t) => t.tick)).toEqual([...ticks.keys()]);
    const outputs = ticks.flatMap((t) => t.outputs);
    const kinds = new Set(outputs.map((o) => MD_KINDS.find((k) => MD_TOPICS[k] === o.spec)));
    expect([...kinds].sort()).toEqual([...MD_KINDS].sort());
    expect(outputs.every((o) => o.key === 'BTC-PERP' && md(o.value).venue === 'binanceusdm')).toBe(true);
    for (const t of ticks) {
      const keys = t.outputs.map((o) => ({ ...md(o.value), kind: MD_KINDS.find((k) => MD_TOPICS[k] === o.spec) as MdKind, eventTimeUs: md(o.value).envelope.eventTimeUs }));
      expect([...keys].sort(compareMdEvents)).toEqual(keys);
      for (const k of keys) {
        expect(k.eventTimeUs).toBeLessThanOrEqual(t.tickTimeUs);
        expect(k.eventTimeUs).toBeGreaterThanOrEqual(t.tickTimeUs - TICK);
      }
    }
    const funding = outputs.find((o) => o.spec === Topics.mdFunding)!.value as FundingRate;
    expect(funding).toMatchObject({ instrument: 'BTC-PERP', venue: 'binanceusdm', rate: '0.0001', nextFundingTimeUs: 1_767_254_400_000_000, intervalUs: 8 * 3600 * 1_000_000 });
  });

  it('fails to start on a symbol the venue does not list, naming it', async () => {
    const source = new LiveTickSource(['DOGE-PERP'], TICK, ccxtMarketDataSources({ venues: ['binanceusdm'], symbols: ['DOGE/USDT:USDT'] }, { urls: { http: fake.httpUrl, ws: fake.wsUrl } }));
    await expect(source.next()).rejects.toThrow('instrument DOGE-PERP maps to DOGE/USDT:USDT, which the venue does not list');
  });
});

/** A source that delivers scripted events, then ends, or fails with `error`. */
function scripted(events: readonly MarketEvent[], error?: Error): MarketDataSource {
  let finished: Promise<void> | undefined;
  return {
    name: 'scripted',
    async start(sink: MarketDataSink) {
      finished = (async () => {
        for (const e of events) await sink.onEvent(e);
        if (error !== undefined) throw error;
      })();
      finished.catch(() => undefined);
    },
    async stop() {},
    done: () => finished!,
  };
}

describe('LiveTickSource lifecycle', () => {
  const book = (exchangeTimeUs: number, sequence: number): MarketEvent => ({
    type: 'book',
    venue: 'bybit',
    instrument: 'ETH-PERP',
    eventTimeUs: 0,
    exchangeTimeUs,
    sequence,
    venueSymbol: 'ETH/USDT:USDT',
    venueSequence: sequence,
    bids: [{ price: decimalString('3200.1'), size: decimalString('1') }],
    asks: [{ price: decimalString('3200.2'), size: decimalString('1') }],
    tickSize: decimalString('0.01'),
    lotSize: decimalString('0.001'),
  });

  it('returns the ticks received, then the open one, then undefined when every source has ended', async () => {
    const source = new LiveTickSource(['ETH-PERP'], TICK, [scripted([book(1_000_000, 1), book(1_300_000, 2)])]);
    const ticks = await drain(source);
    expect(ticks.map((t) => [t.tick, t.tickTimeUs, t.outputs.length])).toEqual([
      [0, 1_250_000, 1],
      [1, 1_500_000, 1],
    ]);
  });

  it('raises the fatal error of a source after the ticks received before it', async () => {
    const source = new LiveTickSource(['ETH-PERP'], TICK, [scripted([book(1_000_000, 1)], new Error('venue gone'))]);
    expect((await source.next())?.outputs).toHaveLength(1);
    await expect(source.next()).rejects.toThrow('venue gone');
  });
});
