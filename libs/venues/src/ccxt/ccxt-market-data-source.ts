import type { PriceLevel } from '@fleet/contracts';
import type { TimeUs, VenueId } from '@fleet/core';
import { ccxt } from './ccxt-module';
import type { Exchange, OrderBook, Ticker, Trade } from 'ccxt';
import { VenueError } from '../errors';
import { toDecimalString, toDecimalStringOrNull } from '../market-data/decimal-text';
import { type MarketDataSink, type MarketDataSource, SequenceStamper } from '../market-data/market-data-source';
import type { MarketEvent, MarketEventBase } from '../market-data/market-events';
import { createProExchange, prepareExchange, type UrlOverride } from './ccxt-exchange';
import type { InstrumentMap } from './instrument-map';

/** A source of the current time in microseconds. */
export interface VenueClock {
  nowUs(): TimeUs;
}

/** The wall clock, for live adapters only. */
export const systemClock: VenueClock = { nowUs: () => Date.now() * 1000 };

/** Which channels a live source watches. */
export interface LiveChannels {
  readonly book?: boolean;
  readonly trades?: boolean;
  /** Mark and index prices (watchMarkPrice where the exchange has it, else watchTicker). */
  readonly markIndex?: boolean;
  /** Funding rate, polled with fetchFundingRate every `fundingPollMs`. */
  readonly funding?: boolean;
}

/** How a live ccxt market-data source is configured. */
export interface CcxtMarketDataConfig {
  /** Venue id stamped on events; the ccxt exchange id by default. */
  readonly venue?: VenueId;
  /** ccxt exchange id; binanceusdm by default. */
  readonly exchangeId?: string;
  readonly instruments: InstrumentMap;
  /** The channels to watch; only those set to true. Every channel when absent. */
  readonly channels?: LiveChannels;
  /** Levels per side in a book event; 10 by default. */
  readonly bookDepth?: number;
  /** 60 000 ms by default. */
  readonly fundingPollMs?: number;
  /** Reconnect backoff: first delay and cap in ms (500 and 30 000 by default), doubled per consecutive failure. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Consecutive failures of one channel after which the source gives up; unlimited by default. */
  readonly maxConsecutiveFailures?: number;
  readonly clock?: VenueClock;
  readonly timeoutMs?: number;
  readonly urls?: UrlOverride;
  /** ccxt options for the exchange. */
  readonly exchangeOptions?: Record<string, unknown>;
}

/** The sink refused an event: the source ends rather than drop it. */
class SinkFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(`the sink failed on an event: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Errors that retrying cannot fix: a wrong symbol, an unsupported method, bad credentials, a failing sink. */
function isFatal(e: unknown): boolean {
  return e instanceof SinkFailure || e instanceof ccxt.BadSymbol || e instanceof ccxt.NotSupported || e instanceof ccxt.AuthenticationError || e instanceof ccxt.PermissionDenied || e instanceof RangeError;
}

/** ccxt's precision mode in which `precision` holds increments rather than digit counts. */
const TICK_SIZE = 4;

function msToUs(ms: number | undefined): TimeUs | null {
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.round(ms * 1000) : null;
}

/**
 * Live public market data through ccxt pro websockets: order books (watchOrderBook), trades
 * (watchTrades), mark and index prices (watchMarkPrice or watchTicker) and funding
 * (fetchFundingRate polling), mapped to normalised events. A dropped connection or a timeout
 * is retried with exponential backoff (reported to the sink's onWarning); a fatal error (bad
 * symbol, unsupported method) ends the source.
 */
export class CcxtMarketDataSource implements MarketDataSource {
  readonly name: string;
  private readonly venue: VenueId;
  private readonly exchange: Exchange;
  private readonly stamper = new SequenceStamper();
  private readonly clock: VenueClock;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private finished: Promise<void> | undefined;
  private fatal: ((e: Error) => void) | undefined;
  private readonly seenTrades = new Map<string, Set<string>>();

  /** Returns a source for `config`; nothing connects before `start`. */
  constructor(private readonly config: CcxtMarketDataConfig) {
    const exchangeId = config.exchangeId ?? 'binanceusdm';
    this.venue = config.venue ?? exchangeId;
    this.name = `ccxt:${exchangeId}`;
    this.clock = config.clock ?? systemClock;
    this.exchange = createProExchange({ exchangeId, timeoutMs: config.timeoutMs, options: config.exchangeOptions, urls: config.urls });
  }

  /** Loads the venue's markets (a clear error for an unmapped or unknown symbol) and starts one watch loop per channel and instrument. */
  async start(sink: MarketDataSink): Promise<void> {
    if (this.finished !== undefined) throw new Error(`${this.name} was already started`);
    try {
      await prepareExchange(this.exchange, this.config.urls);
      await this.exchange.loadMarkets();
    } catch (e) {
      throw new VenueError('MARKETS_UNAVAILABLE', this.venue, `${this.name}: could not load markets: ${(e as Error).message}`, { retriable: true });
    }
    for (const { instrument, symbol } of this.config.instruments.entries()) {
      if (this.exchange.markets?.[symbol] === undefined) throw new VenueError('UNKNOWN_SYMBOL', this.venue, `${this.name}: instrument ${instrument} maps to ${symbol}, which the venue does not list`);
    }
    const ch = this.config.channels ?? { book: true, trades: true, markIndex: true, funding: true };
    const fatal = new Promise<never>((_, reject) => (this.fatal = reject));
    fatal.catch(() => undefined);
    for (const { instrument, symbol } of this.config.instruments.entries()) {
      const emit = async (events: MarketEvent[]): Promise<void> => {
        for (const e of events) {
          try {
            await sink.onEvent(e);
          } catch (cause) {
            throw new SinkFailure(cause);
          }
        }
      };
      const base = (exchangeTimeUs: TimeUs | null): MarketEventBase => ({ venue: this.venue, instrument, eventTimeUs: this.clock.nowUs(), exchangeTimeUs, sequence: this.stamper.stamp(this.venue, instrument) });
      if (ch.book) this.loops.push(this.loop(`book ${symbol}`, sink, async () => emit([this.bookEvent(await this.exchange.watchOrderBook(symbol), symbol, base)])));
      if (ch.trades) this.loops.push(this.loop(`trades ${symbol}`, sink, async () => emit(this.tradeEvents(await this.exchange.watchTrades(symbol), symbol, base))));
      if (ch.markIndex) {
        const watch = this.exchange.has['watchMarkPrice'] === true ? (s: string) => this.exchange.watchMarkPrice(s) : (s: string) => this.exchange.watchTicker(s);
        this.loops.push(this.loop(`mark ${symbol}`, sink, async () => emit(this.markIndexEvents(await watch(symbol), base))));
      }
      if (ch.funding && this.exchange.has['fetchFundingRate'] === true) {
        this.loops.push(
          this.loop(`funding ${symbol}`, sink, async (first) => {
            if (!first) await this.sleep(this.config.fundingPollMs ?? 60_000);
            if (this.abort.signal.aborted) return;
            const f = await this.exchange.fetchFundingRate(symbol);
            const interval = typeof f.interval === 'string' ? parseIntervalUs(f.interval) : 8 * 3600 * 1_000_000;
            const next = f.nextFundingTimestamp ?? f.fundingTimestamp;
            if (f.fundingRate === undefined || next === undefined) return;
            await emit([
              {
                type: 'funding',
                ...base(msToUs(f.timestamp)),
                rate: toDecimalString(f.fundingRate),
                predictedRate: null,
                intervalUs: interval,
                nextFundingTimeUs: Math.round(next * 1000),
              },
            ]);
          }),
        );
      }
    }
    this.finished = Promise.race([Promise.all(this.loops).then(() => undefined), fatal]);
    this.finished.catch(() => undefined);
  }

  /** Stops every loop and closes the websocket connections. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.exchange.close().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }

  /** Resolves after stop; rejects with the fatal error that ended the source. */
  async done(): Promise<void> {
    if (this.finished === undefined) throw new Error(`${this.name} was never started`);
    await this.finished;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve();
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private loop(what: string, sink: MarketDataSink, step: (first: boolean) => Promise<void>): Promise<void> {
    const { initialMs, maxMs } = this.config.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const run = async (): Promise<void> => {
      let failures = 0;
      let first = true;
      while (!this.abort.signal.aborted) {
        try {
          await step(first);
          first = false;
          failures = 0;
        } catch (e) {
          if (this.abort.signal.aborted) return;
          const message = `${this.name} ${what}: ${(e as Error).message}`;
          if (isFatal(e) || (this.config.maxConsecutiveFailures !== undefined && failures + 1 >= this.config.maxConsecutiveFailures)) {
            const err = new VenueError('MARKET_DATA_FAILED', this.venue, message, { cause: e });
            this.fatal?.(err);
            throw err;
          }
          failures += 1;
          const delay = Math.min(maxMs, initialMs * 2 ** (failures - 1));
          sink.onWarning?.(new VenueError('MARKET_DATA_RETRY', this.venue, `${message}; retry ${failures} in ${delay} ms`, { retriable: true, cause: e }));
          await this.sleep(delay);
        }
      }
    };
    const p = run();
    p.catch(() => undefined);
    return p;
  }

  private tickAndLot(symbol: string): { tick: string; lot: string } {
    const market = this.exchange.markets?.[symbol];
    if (market === undefined) throw new VenueError('UNKNOWN_SYMBOL', this.venue, `${this.name}: market ${symbol} is not loaded`);
    const asIncrement = (v: number | undefined): string => {
      if (v === undefined) throw new VenueError('NO_PRECISION', this.venue, `${this.name}: market ${symbol} has no precision`);
      return this.exchange.precisionMode === TICK_SIZE ? toDecimalString(v) : toDecimalString(`1e-${v}`);
    };
    return { tick: asIncrement(market.precision.price), lot: asIncrement(market.precision.amount) };
  }

  private bookEvent(book: OrderBook, symbol: string, base: (t: TimeUs | null) => MarketEventBase): MarketEvent {
    const depth = this.config.bookDepth ?? 10;
    const side = (levels: readonly (readonly unknown[])[]): PriceLevel[] => levels.slice(0, depth).map(([p, s]) => ({ price: toDecimalString(p as number), size: toDecimalString(s as number) }));
    const { tick, lot } = this.tickAndLot(symbol);
    const nonce = (book as unknown as { nonce?: number }).nonce;
    return {
      type: 'book',
      ...base(msToUs(book.timestamp)),
      venueSymbol: symbol,
      venueSequence: typeof nonce === 'number' ? nonce : null,
      bids: side(book.bids as unknown as unknown[][]),
      asks: side(book.asks as unknown as unknown[][]),
      tickSize: toDecimalString(tick),
      lotSize: toDecimalString(lot),
    };
  }

  private tradeEvents(trades: Trade[], symbol: string, base: (t: TimeUs | null) => MarketEventBase): MarketEvent[] {
    let seen = this.seenTrades.get(symbol);
    if (seen === undefined) this.seenTrades.set(symbol, (seen = new Set()));
    const out: MarketEvent[] = [];
    for (const t of trades) {
      const id = t.id ?? `${t.timestamp}:${t.price}:${t.amount}`;
      if (seen.has(id) || t.price === undefined) continue;
      seen.add(id);
      if (seen.size > 10_000) seen.delete(seen.values().next().value as string);
      out.push({
        type: 'trade',
        ...base(msToUs(t.timestamp)),
        venueTradeId: id,
        price: toDecimalString(t.price),
        size: toDecimalString(t.amount ?? 0),
        aggressorSide: t.side === 'buy' ? 'BUY' : t.side === 'sell' ? 'SELL' : null,
      });
    }
    return out;
  }

  private markIndexEvents(ticker: Ticker, base: (t: TimeUs | null) => MarketEventBase): MarketEvent[] {
    const out: MarketEvent[] = [];
    const t = msToUs(ticker.timestamp);
    const mark = toDecimalStringOrNull(ticker.markPrice);
    const index = toDecimalStringOrNull(ticker.indexPrice);
    if (mark !== null) out.push({ type: 'mark', ...base(t), markPrice: mark });
    if (index !== null) out.push({ type: 'index', ...base(t), indexPrice: index });
    return out;
  }
}

/** Returns ccxt's funding interval text (8h, 4h, 1h) in microseconds; 8 hours when it cannot be read. */
export function parseIntervalUs(interval: string): number {
  const m = /^(\d+)([hm])$/.exec(interval);
  if (m === null) return 8 * 3600 * 1_000_000;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : 60) * 1_000_000;
}
