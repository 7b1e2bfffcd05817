import {
  type BookSnapshot,
  type FairValueState as FairValueStateEvent,
  type FundingRate,
  type MarkPrice,
  type OrderEvent,
  type RiskRegime as RiskRegimeEvent,
  type RiskState as RiskStateEvent,
  type Side as ContractSide,
} from '@fleet/contracts';
import { applyPortfolioFill, averageEntryPrice, type FairValueState, findPosition, initialFairValueState, initialRunnerState, Money, Price, Quantity, type RiskRegime, type RiskState, type RunnerConfig, type RunnerState, type StrategyConfig, type VenueBookTop, type VenueView, portfolioFromRecords, positionRecordsOf, type PositionRecord } from '@fleet/core';

/*
 * What a taker strategy (hedge, exit) knows about one instrument, folded from its lane inputs:
 * the latest book per venue, funding and marks, the latest fair value and risk state, the exact
 * positions built from every fill, and its own orders still working. Plain JSON throughout, so
 * a lane exports as it is.
 */

/** The latest book top of a venue and the md.book event it came from. */
export interface BookRef {
  readonly top: VenueBookTop;
  readonly eventId: string;
}

/** The fields of the latest fv.state the models read, and the event's identity for the Why chain. */
export interface FairValueRef {
  readonly eventId: string;
  readonly correlationId: string;
  readonly eventTimeUs: number;
  readonly fvAvailable: boolean;
  readonly fairValue: number | null;
  readonly fairValueVariance: number | null;
  readonly healthyVenuesUsed: readonly string[];
  readonly sigmaShort: number;
  readonly sigmaLong: number;
  readonly sigmaEff: number;
}

/** The latest risk.state: its regime and kill switch. */
export interface RiskRef {
  readonly eventId: string;
  readonly regime: RiskRegimeEvent;
  readonly killSwitch: boolean;
}


/** One of our own orders, from the intent until it is filled, cancelled or rejected. */
export interface WorkingOrder {
  readonly intentId: string;
  readonly clientOrderId: string;
  readonly venue: string;
  readonly side: ContractSide;
  readonly size: string;
  /** The size not yet filled, exact text. */
  readonly remaining: string;
  /** pending: intent sent, no order event yet; live: execution-router reported the order. */
  readonly status: 'pending' | 'live';
  /** The lane tick the intent was produced in. */
  readonly placedTick: number;
}

/** Everything a taker strategy keeps about one instrument of a lane. */
export interface InstrumentView {
  /** The sequence of the last strategy.intent produced for the instrument (0 before the first). */
  readonly sequence: number;
  /** Latest book per venue, in config order. */
  readonly books: readonly (BookRef | null)[];
  /** Latest funding rate per venue (per funding interval), in config order; 0 until one is seen. */
  readonly fundingRates: readonly number[];
  /** Latest mark price per venue, in config order; null until one is seen. */
  readonly marks: readonly (number | null)[];
  readonly fv: FairValueRef | null;
  readonly risk: RiskRef | null;
  readonly positions: readonly PositionRecord[];
  readonly working: readonly WorkingOrder[];
}

/** Returns the view of an instrument before any event. */
export function emptyView(cfg: RunnerConfig): InstrumentView {
  const venues = cfg.strategy.venues;
  return { sequence: 0, books: venues.map(() => null), fundingRates: venues.map(() => 0), marks: venues.map(() => null), fv: null, risk: null, positions: [], working: [] };
}

function venueIndexOf(cfg: RunnerConfig, venue: string): number {
  return cfg.strategy.venues.findIndex((v) => v.venueId === venue);
}

function replaced<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((x, i) => (i === index ? item : x));
}

/**
 * Returns the view after a book. As in the runner, a book with an empty side leaves the venue's
 * previous top in place (the staleness gate takes the venue out when no new top arrives), and a
 * venue outside the configuration is ignored.
 */
export function foldBook(view: InstrumentView, cfg: RunnerConfig, book: BookSnapshot): InstrumentView {
  const i = venueIndexOf(cfg, book.venue);
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (i < 0 || bid === undefined || ask === undefined) return view;
  const top: VenueBookTop = {
    venueId: book.venue,
    bestBid: Number(bid.price),
    bestAsk: Number(ask.price),
    bidDepth: Number(bid.size),
    askDepth: Number(ask.size),
    timestampUs: book.envelope.eventTimeUs,
  };
  return { ...view, books: replaced(view.books, i, { top, eventId: book.envelope.eventId }) };
}

/** Returns the view after a funding rate of a configured venue. */
export function foldFunding(view: InstrumentView, cfg: RunnerConfig, funding: FundingRate): InstrumentView {
  const i = venueIndexOf(cfg, funding.venue);
  return i < 0 ? view : { ...view, fundingRates: replaced(view.fundingRates, i, Number(funding.rate)) };
}

/** Returns the view after a mark price of a configured venue. */
export function foldMark(view: InstrumentView, cfg: RunnerConfig, mark: MarkPrice): InstrumentView {
  const i = venueIndexOf(cfg, mark.venue);
  return i < 0 ? view : { ...view, marks: replaced(view.marks, i, Number(mark.markPrice)) };
}

/** Returns the view after an fv.state: it replaces the previous one. */
export function foldFairValue(view: InstrumentView, fv: FairValueStateEvent): InstrumentView {
  const ref: FairValueRef = {
    eventId: fv.envelope.eventId,
    correlationId: fv.envelope.correlationId,
    eventTimeUs: fv.envelope.eventTimeUs,
    fvAvailable: fv.fvAvailable,
    fairValue: fv.fairValue,
    fairValueVariance: fv.fairValueVariance,
    healthyVenuesUsed: [...fv.healthyVenuesUsed],
    sigmaShort: fv.sigmaShort,
    sigmaLong: fv.sigmaLong,
    sigmaEff: fv.sigmaEff,
  };
  return { ...view, fv: ref };
}

/** Returns the view after a risk.state: it replaces the previous one. */
export function foldRisk(view: InstrumentView, risk: RiskStateEvent): InstrumentView {
  return { ...view, risk: { eventId: risk.envelope.eventId, regime: risk.regime, killSwitch: risk.killSwitch } };
}

/** Returns true while the latest risk.state forbids new risk: kill switch latched or HARD_LIMIT (the runner's halt). */
export function isHalted(view: InstrumentView): boolean {
  return view.risk !== null && (view.risk.killSwitch || view.risk.regime === 'HARD_LIMIT');
}



/**
 * Returns the view after a fill: books it into the exact venue position with the core portfolio.
 * Every fill of the instrument counts (quotes, hedges and exits move the same global position).
 * The fee is booked when it is in the portfolio currency; a fee in another currency is left to
 * budget-ledger, since the models read only quantities and entry prices.
 */
function bookFill(view: InstrumentView, cfg: RunnerConfig, event: OrderEvent): InstrumentView {
  const fill = event.fill;
  if (fill === null || venueIndexOf(cfg, event.venue) < 0) return view;
  const quantity = Quantity.create(fill.quantity);
  // A zero-quantity report moves no position (the core refuses to book it).
  if (quantity.isZero()) return view;
  const fee = fill.feeCurrency === cfg.currency ? Money.create(fill.fee, cfg.currency) : Money.zero(cfg.currency);
  const portfolio = applyPortfolioFill(portfolioFromRecords(cfg.currency, cfg.instrument, view.positions), {
    venue: event.venue,
    instrument: cfg.instrument,
    side: event.side === 'BUY' ? 'buy' : 'sell',
    quantity,
    price: Price.create(fill.price),
    fee,
    atUs: event.envelope.eventTimeUs,
  });
  return { ...view, positions: positionRecordsOf(portfolio) };
}

function isOurs(order: WorkingOrder, event: OrderEvent): boolean {
  return order.intentId === event.intentId || order.clientOrderId === event.clientOrderId;
}

/**
 * Returns the view after an order event: a fill is booked into the position whoever's order it
 * was; one of our own orders becomes live on its first event and stops working once it is fully
 * filled, cancelled or rejected.
 */
export function foldOrderEvent(view: InstrumentView, cfg: RunnerConfig, event: OrderEvent): InstrumentView {
  const booked = event.kind === 'FILLED' ? bookFill(view, cfg, event) : view;
  const index = booked.working.findIndex((o) => isOurs(o, event));
  if (index < 0) return booked;
  const order = booked.working[index];
  const done = event.kind === 'CANCELLED' || event.kind === 'REJECTED' || (event.kind === 'FILLED' && event.fill !== null && Quantity.create(event.fill.remainingQuantity).isZero());
  if (done) return { ...booked, working: booked.working.filter((_, i) => i !== index) };
  const remaining = event.kind === 'FILLED' && event.fill !== null ? event.fill.remainingQuantity : order.remaining;
  return { ...booked, working: replaced(booked.working, index, { ...order, status: 'live', remaining }) };
}

/**
 * Returns the view without the intents of earlier ticks that never became orders. The lanes run
 * in lock step: an intent of tick T is decided, reserved and commanded within T, and
 * execution-router reports every command of T in its order events of T, which reach this lane at
 * T + 1 (a delayed input). An intent still pending after them was denied by risk-shield or
 * refused by budget-ledger, and will never trade.
 */
export function forgetUnconfirmed(view: InstrumentView, tick: number): InstrumentView {
  const working = view.working.filter((o) => o.status === 'live' || o.placedTick >= tick);
  return working.length === view.working.length ? view : { ...view, working };
}

/**
 * Returns the core fair-value state the models read (fairValue, fvAvailable, sigmaEff) from the
 * latest fv.state; the filter's internal volatility anchor is not on the contract and keeps its
 * initial value. Before any fv.state it is the initial state (no fair value).
 */
export function fairValueStateOf(cfg: StrategyConfig, fv: FairValueRef | null): FairValueState {
  const initial = initialFairValueState(cfg);
  if (fv === null) return initial;
  let mask = 0;
  cfg.venues.forEach((v, i) => {
    if (fv.healthyVenuesUsed.includes(v.venueId)) mask |= 1 << i;
  });
  return {
    ...initial,
    fairValue: fv.fairValue,
    variance: fv.fairValueVariance ?? initial.variance,
    lastStepUs: fv.eventTimeUs,
    fvAvailable: fv.fvAvailable,
    healthyVenueMask: mask,
    healthyVenueCount: fv.healthyVenuesUsed.length,
    varShort: fv.sigmaShort * fv.sigmaShort,
    varLong: fv.sigmaLong * fv.sigmaLong,
    sigmaShort: fv.sigmaShort,
    sigmaLong: fv.sigmaLong,
    sigmaEff: fv.sigmaEff,
  };
}

const REGIMES: Readonly<Record<RiskRegimeEvent, RiskRegime>> = { NORMAL: 'Normal', WARNING: 'Warning', HARD_LIMIT: 'HardLimit' };

/**
 * Returns the core risk state of a view that is not halted (the only case the models are run
 * in): the regime of the latest risk.state, kill switch off; Normal before any risk.state.
 */
export function riskStateOf(view: InstrumentView): RiskState {
  return { regime: REGIMES[view.risk?.regime ?? 'NORMAL'], killSwitch: false, killReason: 'None', killedAtUs: null };
}

/** Returns the runner's venue views of the instrument: positions from the exact portfolio, marks and funding. */
export function venueViewsOf(cfg: RunnerConfig, view: InstrumentView): VenueView[] {
  const portfolio = portfolioFromRecords(cfg.currency, cfg.instrument, view.positions);
  return cfg.strategy.venues.map((v, i) => {
    const p = findPosition(portfolio, v.venueId, cfg.instrument);
    return {
      venue: v.venueId,
      up: true,
      markPrice: view.marks[i] ?? null,
      indexPrice: null,
      fundingRate: view.fundingRates[i] ?? 0,
      positionQty: p === undefined ? 0 : p.netQuantity.toNumber(),
      avgEntryPrice: p === undefined ? 0 : (averageEntryPrice(p)?.toNumber() ?? 0),
      bookedPnl: p === undefined ? 0 : p.realisedPnl.minus(p.fees).plus(p.funding).toNumber(),
    };
  });
}

/** Returns the runner state that holds the view at `nowUs`: what the runner would hold at a timer step. */
export function runnerStateOf(cfg: RunnerConfig, view: InstrumentView, nowUs: number): RunnerState {
  return {
    ...initialRunnerState(cfg, nowUs),
    books: view.books.map((b) => b?.top ?? null),
    venues: venueViewsOf(cfg, view),
    fv: fairValueStateOf(cfg.strategy, view.fv),
    risk: riskStateOf(view),
    portfolio: portfolioFromRecords(cfg.currency, cfg.instrument, view.positions),
  };
}
