import type { BookSnapshot, DecimalString, FundingRate, IndexPrice, MarkPrice, PriceLevel, Trade } from '@fleet/contracts';
import type { InstrumentId, TimeUs, VenueId } from '@fleet/core';

/** What every normalised market-data event carries, whatever its source. */
export interface MarketEventBase {
  /** Canonical instrument, for example BTC-PERP. */
  readonly instrument: InstrumentId;
  /** Venue identifier, for example binanceusdm. */
  readonly venue: VenueId;
  /** Event time in integer microseconds: recorded time for a file, receive time for a live feed. */
  readonly eventTimeUs: TimeUs;
  /** The venue's own timestamp in microseconds, when it gave one. */
  readonly exchangeTimeUs: TimeUs | null;
  /** Sequence per (venue, instrument) of this source, starting at 1 and increasing by 1. */
  readonly sequence: number;
}

/** Top levels of one venue's book; maps 1:1 onto the BookSnapshot contract. */
export interface BookEvent extends MarketEventBase {
  readonly type: 'book';
  /** The venue's symbol, for example BTC/USDT:USDT. */
  readonly venueSymbol: string;
  /** The venue's book update id, when it gives one. */
  readonly venueSequence: number | null;
  /** Bids, best (highest) first. */
  readonly bids: readonly PriceLevel[];
  /** Asks, best (lowest) first. */
  readonly asks: readonly PriceLevel[];
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
}

/** One public trade; maps 1:1 onto the Trade contract. */
export interface TradeEvent extends MarketEventBase {
  readonly type: 'trade';
  readonly venueTradeId: string;
  readonly price: DecimalString;
  readonly size: DecimalString;
  /** Side of the taker, when the venue reports it. */
  readonly aggressorSide: 'BUY' | 'SELL' | null;
}

/** A perpetual funding rate; maps 1:1 onto the FundingRate contract. */
export interface FundingEvent extends MarketEventBase {
  readonly type: 'funding';
  /** Rate per funding interval as a fraction. */
  readonly rate: DecimalString;
  readonly predictedRate: DecimalString | null;
  readonly intervalUs: number;
  readonly nextFundingTimeUs: TimeUs;
}

/** A mark price; maps 1:1 onto the MarkPrice contract. */
export interface MarkEvent extends MarketEventBase {
  readonly type: 'mark';
  readonly markPrice: DecimalString;
}

/** An index price; maps 1:1 onto the IndexPrice contract. */
export interface IndexEvent extends MarketEventBase {
  readonly type: 'index';
  readonly indexPrice: DecimalString;
}

/** Every normalised market-data event, keyed on `type`. */
export type MarketEvent = BookEvent | TradeEvent | FundingEvent | MarkEvent | IndexEvent;

/** The kinds of market-data event. */
export type MarketEventType = MarketEvent['type'];

/** Every market-data event type, in a fixed order. */
export const MARKET_EVENT_TYPES: readonly MarketEventType[] = ['book', 'trade', 'funding', 'mark', 'index'];

/** A contract payload without its envelope: what the gateway wraps in an Envelope to publish. */
export type ContractPayload =
  | { readonly type: 'book'; readonly payload: Omit<BookSnapshot, 'envelope'> }
  | { readonly type: 'trade'; readonly payload: Omit<Trade, 'envelope'> }
  | { readonly type: 'funding'; readonly payload: Omit<FundingRate, 'envelope'> }
  | { readonly type: 'mark'; readonly payload: Omit<MarkPrice, 'envelope'> }
  | { readonly type: 'index'; readonly payload: Omit<IndexPrice, 'envelope'> };

/**
 * Returns the contract payload of an event (every field but the envelope); the event's
 * `eventTimeUs` and `sequence` go into the envelope the gateway builds.
 */
export function toContractPayload(event: MarketEvent): ContractPayload {
  const { instrument, venue } = event;
  switch (event.type) {
    case 'book':
      return {
        type: 'book',
        payload: {
          instrument,
          venue,
          venueSymbol: event.venueSymbol,
          venueSequence: event.venueSequence,
          exchangeTimeUs: event.exchangeTimeUs,
          bids: event.bids,
          asks: event.asks,
          tickSize: event.tickSize,
          lotSize: event.lotSize,
        },
      };
    case 'trade':
      return {
        type: 'trade',
        payload: { instrument, venue, venueTradeId: event.venueTradeId, price: event.price, size: event.size, aggressorSide: event.aggressorSide, exchangeTimeUs: event.exchangeTimeUs },
      };
    case 'funding':
      return {
        type: 'funding',
        payload: { instrument, venue, rate: event.rate, predictedRate: event.predictedRate, intervalUs: event.intervalUs, nextFundingTimeUs: event.nextFundingTimeUs },
      };
    case 'mark':
      return { type: 'mark', payload: { instrument, venue, markPrice: event.markPrice, exchangeTimeUs: event.exchangeTimeUs } };
    case 'index':
      return { type: 'index', payload: { instrument, venue, indexPrice: event.indexPrice, exchangeTimeUs: event.exchangeTimeUs } };
  }
}

/** Returns a negative, zero or positive number ordering events by event time, then sequence, then venue and instrument. */
export function compareMarketEvents(a: MarketEvent, b: MarketEvent): number {
  if (a.eventTimeUs !== b.eventTimeUs) return a.eventTimeUs - b.eventTimeUs;
  if (a.sequence !== b.sequence) return a.sequence - b.sequence;
  if (a.venue !== b.venue) return a.venue < b.venue ? -1 : 1;
  if (a.instrument !== b.instrument) return a.instrument < b.instrument ? -1 : 1;
  return 0;
}
