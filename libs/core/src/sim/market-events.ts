import { type InstrumentId, type Side, type TimeUs, type VenueId } from '../types';

/** The header every market event carries. */
export interface MarketEventHeader {
  /** The venue that published the event. */
  readonly venue: VenueId;
  /** The canonical instrument. */
  readonly instrument: InstrumentId;
  /** When the venue stamped the event, in simulated microseconds. */
  readonly eventTimeUs: TimeUs;
  /** The per-venue feed sequence number: 1, 2, 3, … with no gaps. */
  readonly sequence: number;
}

/** One price level: a tick-rounded price and the displayed size at it (lot-rounded). */
export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** A book snapshot: the best few levels per side, best first. */
export interface BookEvent extends MarketEventHeader {
  readonly type: 'book';
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** A public trade print at one price level. */
export interface TradeEvent extends MarketEventHeader {
  readonly type: 'trade';
  readonly price: number;
  readonly size: number;
  /** The side of the aggressive (taker) order. */
  readonly aggressor: Side;
}

/** The venue's current funding rate; `settles` is true at a funding settlement. */
export interface FundingEvent extends MarketEventHeader {
  readonly type: 'funding';
  /** The funding rate per settlement interval (a fraction; positive means longs pay shorts). */
  readonly rate: number;
  /** True when this event is the settlement at which positions pay or receive `rate × mark`. */
  readonly settles: boolean;
  /** The next settlement time, in microseconds. */
  readonly nextSettlementUs: TimeUs;
}

/** The venue's mark price. */
export interface MarkEvent extends MarketEventHeader {
  readonly type: 'mark';
  readonly price: number;
}

/** The venue's index (spot reference) price. */
export interface IndexEvent extends MarketEventHeader {
  readonly type: 'index';
  readonly price: number;
}

/** The venue became reachable (`up`) or unreachable. */
export interface VenueStatusEvent extends MarketEventHeader {
  readonly type: 'venue-status';
  readonly up: boolean;
}

/** A market event, keyed on `type`. */
export type MarketEvent = BookEvent | TradeEvent | FundingEvent | MarkEvent | IndexEvent | VenueStatusEvent;

/** The `type` values of market events. */
export const MARKET_EVENT_TYPES: readonly MarketEvent['type'][] = ['book', 'trade', 'funding', 'mark', 'index', 'venue-status'];

/** Returns true when `event` is a market event. */
export function isMarketEvent(event: { readonly type: string }): event is MarketEvent {
  return (MARKET_EVENT_TYPES as readonly string[]).includes(event.type);
}
