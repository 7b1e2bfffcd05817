import {
  type CcxtMarketDataConfig,
  CcxtMarketDataSource,
  InstrumentMap,
  type MarketDataSink,
  type MarketDataSource,
  type MarketEvent,
  type VenueError,
} from '@fleet/venues';
import { type GatewayTick, type TickSource } from './tick-source';
import { VenueTimeTicker } from './venue-time-ticker';

/** The live venues and symbols of a session (FLEET_LIVE_VENUES, FLEET_LIVE_SYMBOLS). */
export interface LiveMarketData {
  /** ccxt pro exchange ids, for example binanceusdm; also the venue ids stamped on events. */
  readonly venues: readonly string[];
  /** ccxt unified perpetual symbols, for example BTC/USDT:USDT (published as BTC-PERP). */
  readonly symbols: readonly string[];
}

/** ccxt settings a caller may add to every live source: test venue addresses, channels, backoff, timeouts. */
export type CcxtSourceOptions = Omit<CcxtMarketDataConfig, 'venue' | 'exchangeId' | 'instruments'>;

/** Returns one ccxt pro market-data source per live venue, each watching every symbol. */
export function ccxtMarketDataSources(live: LiveMarketData, options: CcxtSourceOptions = {}): CcxtMarketDataSource[] {
  return live.venues.map((exchangeId) => new CcxtMarketDataSource({ ...options, exchangeId, instruments: InstrumentMap.ofPerpetuals(live.symbols) }));
}

/** Returns the canonical instruments of live symbols (BTC/USDT:USDT → BTC-PERP), in symbol order. */
export function liveInstruments(live: LiveMarketData): string[] {
  return InstrumentMap.ofPerpetuals(live.symbols)
    .entries()
    .map((m) => m.instrument);
}

/** Options of a live tick source. */
export interface LiveTickSourceOptions {
  /** Receives the problems the sources survived (a dropped connection being re-opened). */
  readonly onWarning?: (error: VenueError) => void;
}

/**
 * Ticks of live market data: every event the sources deliver goes through a
 * {@link VenueTimeTicker}, which closes a tick once venue time has passed it. Closed ticks
 * queue until the lock-step loop asks for them, so a slow consumer never stalls a websocket.
 * After {@link close} (or when every source has ended) `next` returns the queued ticks, then
 * the open one, then undefined; when a source failed, `next` raises its error instead of
 * undefined, once the ticks received before it are taken (the caller then closes the source).
 */
export class LiveTickSource implements TickSource {
  readonly ticks = undefined;
  private readonly ticker: VenueTimeTicker;
  private readonly ready: GatewayTick[] = [];
  private waiters: (() => void)[] = [];
  private started: Promise<void> | undefined;
  private ended = false;
  private flushed = false;
  private failure: Error | undefined;
  private count = 0;

  /** Returns a source over `sources` publishing `instruments`, ticking every `tickUs` of venue time. */
  constructor(
    readonly instruments: readonly string[],
    tickUs: number,
    private readonly sources: readonly MarketDataSource[],
    private readonly options: LiveTickSourceOptions = {},
  ) {
    this.ticker = new VenueTimeTicker(tickUs);
  }

  /** The number of events received so far. */
  get received(): number {
    return this.count;
  }

  /** Starts every source (once; `next` starts them too); a source that cannot start stops the others and fails here. */
  start(): Promise<void> {
    this.started ??= this.startSources();
    return this.started;
  }

  /** Returns the next closed tick, waiting for venue time to pass it. */
  async next(): Promise<GatewayTick | undefined> {
    await this.start();
    for (;;) {
      const tick = this.ready.shift();
      if (tick !== undefined) return tick;
      if (this.ended) {
        const last = this.flushed ? undefined : this.ticker.flush();
        this.flushed = true;
        if (last !== undefined) return last;
        if (this.failure !== undefined) throw this.failure;
        return undefined;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Stops every source; `next` then drains what was received. */
  async close(): Promise<void> {
    this.ended = true;
    await Promise.all(this.sources.map((s) => s.stop()));
    this.wake();
  }

  private async startSources(): Promise<void> {
    const sink: MarketDataSink = {
      onEvent: (event) => this.onEvent(event),
      onWarning: (error) => this.options.onWarning?.(error),
    };
    const running: MarketDataSource[] = [];
    try {
      for (const source of this.sources) {
        await source.start(sink);
        running.push(source);
      }
    } catch (error) {
      this.ended = true;
      await Promise.all(running.map((s) => s.stop()));
      throw error;
    }
    Promise.all(this.sources.map((s) => s.done())).then(
      () => this.end(undefined),
      (error: unknown) => this.end(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private onEvent(event: MarketEvent): void {
    if (this.ended) return;
    this.count += 1;
    this.ready.push(...this.ticker.push(event));
    this.wake();
  }

  private end(failure: Error | undefined): void {
    this.failure ??= failure;
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
