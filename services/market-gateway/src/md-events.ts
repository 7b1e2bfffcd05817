import {
  BOOK_SNAPSHOT_TYPE,
  type CatalogueTopic,
  FUNDING_RATE_TYPE,
  INDEX_PRICE_TYPE,
  MARK_PRICE_TYPE,
  TRADE_TYPE,
  Topics,
} from '@fleet/contracts';
import { MARKET_GATEWAY, withEnvelope } from '@fleet/events';
import { type LaneOutput } from '@fleet/service';
import { type MarketEvent as VenueMarketEvent, toContractPayload } from '@fleet/venues';

/** The kinds of market data the gateway publishes, in the fixed order that breaks ties between same-time events. */
export const MD_KINDS = ['book', 'trade', 'funding', 'mark', 'index'] as const;

/** One kind of market data. */
export type MdKind = (typeof MD_KINDS)[number];

/** The topic each kind is published on. */
export const MD_TOPICS = {
  book: Topics.mdBook,
  trade: Topics.mdTrade,
  funding: Topics.mdFunding,
  mark: Topics.mdMark,
  index: Topics.mdIndex,
} as const satisfies Record<MdKind, CatalogueTopic>;

/** The Avro record type of each kind (part of every envelope's eventId). */
export const MD_VALUE_TYPES: Readonly<Record<MdKind, string>> = {
  book: BOOK_SNAPSHOT_TYPE,
  trade: TRADE_TYPE,
  funding: FUNDING_RATE_TYPE,
  mark: MARK_PRICE_TYPE,
  index: INDEX_PRICE_TYPE,
};

/** What orders market-data events and counts their sequences. */
export interface MdKey {
  readonly kind: MdKind;
  readonly instrument: string;
  readonly venue: string;
  /** The event time the envelope carries. */
  readonly eventTimeUs: number;
}

/** A market-data event of a tick before its sequence is known: its key and how to build the enveloped payload. */
export interface MdItem extends MdKey {
  /** Returns the contract payload with its envelope, stamped with `sequence`. */
  build(sequence: number): object;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders market-data events by event time, then instrument, then venue, then kind (in {@link MD_KINDS} order). */
export function compareMdEvents(a: MdKey, b: MdKey): number {
  if (a.eventTimeUs !== b.eventTimeUs) return a.eventTimeUs - b.eventTimeUs;
  return compareText(a.instrument, b.instrument) || compareText(a.venue, b.venue) || MD_KINDS.indexOf(a.kind) - MD_KINDS.indexOf(b.kind);
}

/** The gateway's envelope sequences: one counter per (instrument, venue, kind), from 1. */
export class MdSequencer {
  private readonly last = new Map<string, number>();

  /** Returns the next sequence of `key`'s instrument, venue and kind. */
  next(key: MdKey): number {
    const id = `${key.instrument}\u0000${key.venue}\u0000${key.kind}`;
    const sequence = (this.last.get(id) ?? 0) + 1;
    this.last.set(id, sequence);
    return sequence;
  }
}

/**
 * Returns the outputs of one tick: `items` in canonical order (a stable sort, so same-key events
 * keep their source order), each stamped with its next sequence and keyed by its instrument.
 */
export function assembleTick(items: readonly MdItem[], sequencer: MdSequencer): LaneOutput[] {
  return [...items].sort(compareMdEvents).map((item) => ({ spec: MD_TOPICS[item.kind], key: item.instrument, value: item.build(sequencer.next(item)) }));
}

/**
 * Returns the market-data item of a normalised venue event (recorded or live) at gateway event
 * time `eventTimeUs`; the payload keeps the venue's own `exchangeTimeUs`.
 */
export function venueMdItem(event: VenueMarketEvent, eventTimeUs: number): MdItem {
  const { type, payload } = toContractPayload(event);
  return {
    kind: type,
    instrument: event.instrument,
    venue: event.venue,
    eventTimeUs,
    build: (sequence) => withEnvelope({ producer: MARKET_GATEWAY, valueType: MD_VALUE_TYPES[type], instrument: event.instrument, sequence, eventTimeUs, causation: [] }, payload),
  };
}
