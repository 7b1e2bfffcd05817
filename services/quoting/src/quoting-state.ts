import { type BookSnapshot, type FairValueState as FairValueStateEvent, type OrderEvent, type RiskRegime as RiskRegimeEvent, type RiskState as RiskStateEvent } from '@fleet/contracts';
import { applyPortfolioFill, Money, Price, Quantity, type RunnerConfig, type VenueBookTop, type WorkingOrder, portfolioFromRecords, positionRecordsOf, type PositionRecord } from '@fleet/core';

/*
 * The lane state of quoting, per instrument, and the pure folds of each input into it. Every
 * value is plain JSON (strings for exact amounts, finite numbers for model floats), so the
 * state is its own snapshot.
 */

/** The latest book top of one venue and the md.book event it came from. */
export interface BookSeen {
  readonly top: VenueBookTop;
  readonly eventId: string;
}

/** What quoting keeps of the latest fv.state: the model inputs and the event's identity. */
export interface FairValueSeen {
  readonly eventId: string;
  readonly correlationId: string;
  readonly eventTimeUs: number;
  readonly fvAvailable: boolean;
  readonly fairValue: number | null;
  readonly variance: number | null;
  /** The venues the filter used, sorted. */
  readonly healthyVenues: readonly string[];
  readonly sigmaShort: number;
  readonly sigmaLong: number;
  readonly sigmaEff: number;
  readonly spreadVolScalar: number;
  readonly sizeVolScalar: number;
}

/** What quoting keeps of the latest risk.state: what stops or shapes quoting. */
export interface RiskSeen {
  readonly regime: RiskRegimeEvent;
  readonly killSwitch: boolean;
  /** An operator pause: quoting pulls its quotes and places none, as the runner does on pause-quoting. */
  readonly paused: boolean;
}


/** One of quoting's orders: the runner's working order plus its intent and exact texts. */
export interface QuoteOrder extends WorkingOrder {
  readonly intentId: string;
  /** The exact limit price sent. */
  readonly priceText: string;
  /** The exact size still open. */
  readonly remainingText: string;
  /** True once execution-router reported the order (any order event); an order it never reported was denied or not reserved. */
  readonly reported: boolean;
}

/** Everything quoting knows about one instrument of a lane. */
export interface InstrumentQuoting {
  /** The sequence of the last strategy.intent produced for the instrument (0 before the first). */
  readonly sequence: number;
  /** How many ticks were decided for the instrument. */
  readonly ticks: number;
  /** The sequence of the next order intent (goes into client order ids, as in the runner). */
  readonly orderSeq: number;
  /** The latest book of each venue, in config order. */
  readonly books: readonly (BookSeen | null)[];
  readonly fv: FairValueSeen | null;
  readonly risk: RiskSeen | null;
  /** The strategy's positions on the instrument, sorted by venue. */
  readonly positions: readonly PositionRecord[];
  readonly orders: readonly QuoteOrder[];
}

/** The state of one lane: its instruments by name. */
export interface QuotingLaneState {
  readonly instruments: Readonly<Record<string, InstrumentQuoting>>;
}

/** Returns the state of an instrument before any event. */
export function initialInstrumentQuoting(config: RunnerConfig): InstrumentQuoting {
  return { sequence: 0, ticks: 0, orderSeq: 0, books: config.strategy.venues.map(() => null), fv: null, risk: null, positions: [], orders: [] };
}

/** Returns the top of a BookSnapshot as the core reads it, or null when a side is empty. */
export function bookTopOf(book: BookSnapshot): VenueBookTop | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid === undefined || ask === undefined) return null;
  return { venueId: book.venue, bestBid: Number(bid.price), bestAsk: Number(ask.price), bidDepth: Number(bid.size), askDepth: Number(ask.size), timestampUs: book.envelope.eventTimeUs };
}

function venueIndexOf(config: RunnerConfig, venue: string): number {
  return config.strategy.venues.findIndex((v) => v.venueId === venue);
}

/** Returns the state after a book: it replaces its venue's latest book; a book with an empty side is ignored, as the runner ignores it. */
export function foldBook(config: RunnerConfig, state: InstrumentQuoting, book: BookSnapshot): InstrumentQuoting {
  const i = venueIndexOf(config, book.venue);
  const top = bookTopOf(book);
  if (i < 0 || top === null) return state;
  return { ...state, books: state.books.map((b, j) => (j === i ? { top, eventId: book.envelope.eventId } : b)) };
}

/** Returns the state after an fv.state: it replaces the fair value, volatility and healthy venues. */
export function foldFairValue(state: InstrumentQuoting, fv: FairValueStateEvent): InstrumentQuoting {
  return {
    ...state,
    fv: {
      eventId: fv.envelope.eventId,
      correlationId: fv.envelope.correlationId,
      eventTimeUs: fv.envelope.eventTimeUs,
      fvAvailable: fv.fvAvailable,
      fairValue: fv.fairValue,
      variance: fv.fairValueVariance,
      healthyVenues: [...fv.healthyVenuesUsed],
      sigmaShort: fv.sigmaShort,
      sigmaLong: fv.sigmaLong,
      sigmaEff: fv.sigmaEff,
      spreadVolScalar: fv.spreadVolScalar,
      sizeVolScalar: fv.sizeVolScalar,
    },
  };
}

/** Returns the state after a risk.state: it replaces the regime, kill switch and pause. */
export function foldRisk(state: InstrumentQuoting, risk: RiskStateEvent): InstrumentQuoting {
  return {
    ...state,
    risk: { regime: risk.regime, killSwitch: risk.killSwitch, paused: risk.paused },
  };
}



/** Returns the positions after booking a fill with the core portfolio (exact decimals; the fee in the fill's currency). */
export function bookFill(config: RunnerConfig, records: readonly PositionRecord[], event: OrderEvent): readonly PositionRecord[] {
  const fill = event.fill;
  if (fill === null) return records;
  const portfolio = applyPortfolioFill(portfolioFromRecords(config.currency, config.instrument, records), {
    venue: event.venue,
    instrument: config.instrument,
    side: event.side === 'BUY' ? 'buy' : 'sell',
    quantity: Quantity.create(fill.quantity),
    price: Price.create(fill.price),
    fee: Money.create(fill.fee, fill.feeCurrency),
    atUs: event.envelope.eventTimeUs,
  });
  return positionRecordsOf(portfolio);
}

/**
 * Returns the working orders after one order event, as the runner applies its own order events:
 * an ack makes a pending order live, a fill reduces what remains (and removes a filled order),
 * a cancel or a reject removes it. Any event marks the order reported. Events of orders that are
 * not quoting's (hedge or exit orders, or orders already gone) change nothing.
 */
export function foldOrderEvent(orders: readonly QuoteOrder[], event: OrderEvent): readonly QuoteOrder[] {
  const idx = orders.findIndex((o) => o.clientOrderId === event.clientOrderId);
  if (idx < 0) return orders;
  const order = { ...orders[idx]!, reported: true };
  const without = (): QuoteOrder[] => orders.filter((_, j) => j !== idx);
  const replaced = (next: QuoteOrder): QuoteOrder[] => orders.map((o, j) => (j === idx ? next : o));
  switch (event.kind) {
    case 'SUBMITTED':
      return replaced(order);
    case 'ACKED':
      return replaced(order.status === 'pending' ? { ...order, status: 'live' } : order);
    case 'FILLED': {
      if (event.fill === null) return replaced(order);
      const remaining = Number(event.fill.remainingQuantity);
      if (remaining <= 0) return without();
      return replaced({ ...order, remaining, remainingText: event.fill.remainingQuantity, status: order.status === 'pending' ? 'live' : order.status });
    }
    case 'REJECTED':
    case 'CANCELLED':
      return without();
    case 'POSITION_CLOSED':
      return orders;
  }
}

/** Returns the state after an order event: the strategy's fills go into its positions, quoting's orders are updated. */
export function foldOrder(config: RunnerConfig, state: InstrumentQuoting, event: OrderEvent): InstrumentQuoting {
  if (event.strategyId !== config.strategyId) return state;
  const booked = event.kind === 'FILLED' && venueIndexOf(config, event.venue) >= 0;
  const positions = booked ? bookFill(config, state.positions, event) : state.positions;
  return { ...state, positions, orders: foldOrderEvent(state.orders, event) };
}

/**
 * Returns the orders without those execution-router never reported. Order events are a delayed
 * input: at tick T they are the router's events of T − 1, which report every order commanded at
 * T − 1 (SUBMITTED at least). An order placed at T − 1 or earlier and still unreported was denied
 * by risk-shield or not reserved by budget-ledger, so it never reaches a venue.
 */
export function dropUnreported(orders: readonly QuoteOrder[]): readonly QuoteOrder[] {
  return orders.every((o) => o.reported) ? orders : orders.filter((o) => o.reported);
}
