import { digestOf, type Digest } from '../canonical';
import { ValidationError } from '../errors';
import { type CurrencyCode, Money, type Price } from '../money';
import type { InstrumentId, TimeUs, VenueId } from '../types';
import {
  applyFillToPosition,
  applyFundingToPosition,
  averageEntryPrice,
  flatPosition,
  type FundingPayment,
  type Position,
  type PositionFill,
  unrealisedPnl,
} from './position';

/** All positions of one account currency, sorted by venue then instrument. */
export interface Portfolio {
  readonly currency: CurrencyCode;
  readonly positions: readonly Position[];
}

/** Fair values to mark open positions at, by instrument (the same fair value on every venue). */
export type Marks = Readonly<Record<InstrumentId, Price>>;

/** PnL totals: net = realised + unrealised − fees + funding. */
export interface PnlTotals {
  readonly realised: Money;
  readonly unrealised: Money;
  readonly fees: Money;
  readonly funding: Money;
  readonly net: Money;
}

/** One position in a snapshot, marked. */
export interface PositionPnl extends PnlTotals {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  readonly netQuantity: string;
  /** Absent when flat. */
  readonly averageEntryPrice?: string;
  /** Absent when flat. */
  readonly mark?: string;
}

/** The totals of one venue. */
export interface VenuePnl extends PnlTotals {
  readonly venue: VenueId;
}

/** A marked view of the whole portfolio, per position, per venue and in total, with its digest. */
export interface PortfolioSnapshot {
  readonly currency: CurrencyCode;
  readonly atUs: TimeUs;
  readonly positions: readonly PositionPnl[];
  readonly venues: readonly VenuePnl[];
  readonly total: PnlTotals;
  readonly digest: Digest;
}

/** Returns an empty portfolio booked in `currency`. */
export function createPortfolio(currency: CurrencyCode): Portfolio {
  Money.zero(currency);
  return { currency, positions: [] };
}

function compareKey(a: { venue: string; instrument: string }, b: { venue: string; instrument: string }): number {
  if (a.venue !== b.venue) return a.venue < b.venue ? -1 : 1;
  if (a.instrument !== b.instrument) return a.instrument < b.instrument ? -1 : 1;
  return 0;
}

/** Returns the position for `venue` and `instrument`, or undefined when none was ever booked. */
export function findPosition(portfolio: Portfolio, venue: VenueId, instrument: InstrumentId): Position | undefined {
  return portfolio.positions.find((p) => p.venue === venue && p.instrument === instrument);
}

function upsert(portfolio: Portfolio, venue: VenueId, instrument: InstrumentId, atUs: TimeUs, change: (p: Position) => Position): Portfolio {
  const existing = findPosition(portfolio, venue, instrument) ?? flatPosition(venue, instrument, portfolio.currency, atUs);
  const updated = change(existing);
  const others = portfolio.positions.filter((p) => !(p.venue === venue && p.instrument === instrument));
  return { ...portfolio, positions: [...others, updated].sort(compareKey) };
}

/** Returns the portfolio after booking `fill` into its venue position. */
export function applyPortfolioFill(portfolio: Portfolio, fill: PositionFill): Portfolio {
  return upsert(portfolio, fill.venue, fill.instrument, fill.atUs, (p) => applyFillToPosition(p, fill));
}

/** Returns the portfolio after booking a funding payment. */
export function applyPortfolioFunding(portfolio: Portfolio, payment: FundingPayment): Portfolio {
  return upsert(portfolio, payment.venue, payment.instrument, payment.atUs, (p) => applyFundingToPosition(p, payment));
}

function totalsOf(realised: Money, unrealised: Money, fees: Money, funding: Money): PnlTotals {
  return { realised, unrealised, fees, funding, net: realised.plus(unrealised).minus(fees).plus(funding) };
}

function sum(items: readonly PnlTotals[], currency: CurrencyCode): PnlTotals {
  const zero = Money.zero(currency);
  return totalsOf(
    items.reduce((a, t) => a.plus(t.realised), zero),
    items.reduce((a, t) => a.plus(t.unrealised), zero),
    items.reduce((a, t) => a.plus(t.fees), zero),
    items.reduce((a, t) => a.plus(t.funding), zero),
  );
}

/**
 * Returns the portfolio marked at `marks`: per position, per venue and in total. Throws
 * ValidationError when an open position has no mark (an unmarked position is never guessed).
 */
export function snapshotPortfolio(portfolio: Portfolio, marks: Marks, atUs: TimeUs): PortfolioSnapshot {
  const zero = Money.zero(portfolio.currency);
  const positions: PositionPnl[] = portfolio.positions.map((p) => {
    const flat = p.netQuantity.isZero();
    const mark = Object.prototype.hasOwnProperty.call(marks, p.instrument) ? marks[p.instrument] : undefined;
    if (!flat && mark === undefined) {
      throw new ValidationError('marks', `no mark for open position ${p.venue}/${p.instrument} (net ${p.netQuantity.toString()})`);
    }
    const unrealised = flat || mark === undefined ? zero : unrealisedPnl(p, mark);
    return {
      venue: p.venue,
      instrument: p.instrument,
      netQuantity: p.netQuantity.toString(),
      averageEntryPrice: averageEntryPrice(p)?.toString(),
      mark: flat ? undefined : mark?.toString(),
      ...totalsOf(p.realisedPnl, unrealised, p.fees, p.funding),
    };
  });
  const venueIds = [...new Set(positions.map((p) => p.venue))].sort();
  const venues: VenuePnl[] = venueIds.map((venue) => ({ venue, ...sum(positions.filter((p) => p.venue === venue), portfolio.currency) }));
  const total = sum(positions, portfolio.currency);
  const body = { currency: portfolio.currency, atUs, positions, venues, total };
  return { ...body, digest: digestOf(body) };
}
