import type { VenueError } from '../errors';
import type { MarketEvent } from './market-events';

/** Receives the events of a market-data source; a returned promise is awaited before the next event (backpressure). */
export interface MarketDataSink {
  /** Called once per event, in source order. */
  onEvent(event: MarketEvent): void | Promise<void>;
  /** Called for a problem the source survived (for example a dropped connection it is re-opening). */
  onWarning?(error: VenueError): void;
}

/**
 * A source of normalised market-data events: a recorded file, a live venue or a simulator.
 * `start` resolves once the source runs; `done` resolves when it ends by itself (end of a
 * file) or after `stop`, and rejects with the error that ended it.
 */
export interface MarketDataSource {
  /** A name for logs and metrics, for example `recorded:sample.jsonl` or `ccxt:binanceusdm`. */
  readonly name: string;
  /** Starts delivering events to `sink`; throws when already started. */
  start(sink: MarketDataSink): Promise<void>;
  /** Stops delivering events and releases connections and files; safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the source has ended, rejects with the fatal error that ended it. */
  done(): Promise<void>;
}

/** Returns every event of a source that ends by itself (such as a recorded file), in order. */
export async function collectEvents(source: MarketDataSource): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  await source.start({ onEvent: (e) => void events.push(e) });
  await source.done();
  return events;
}

/** Assigns per-(venue, instrument) sequences starting at 1, as every source must. */
export class SequenceStamper {
  private readonly next = new Map<string, number>();

  /** Returns the next sequence of `venue` and `instrument`. */
  stamp(venue: string, instrument: string): number {
    const key = `${venue}\u0000${instrument}`;
    const n = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, n);
    return n;
  }
}
