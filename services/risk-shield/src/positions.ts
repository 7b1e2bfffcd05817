import { type OrderEvent } from '@fleet/contracts';
import { applyPortfolioFill, Money, type Portfolio, type Position, Price, Quantity, SignedQuantity, type TimeUs } from '@fleet/core';

/**
 * One venue position of an instrument as plain JSON (exact decimals as text), so that a lane
 * snapshot holds no class instances; {@link portfolioOf} turns the records back into the core
 * portfolio the fills are booked into.
 */
export interface PositionRecord {
  readonly venue: string;
  /** Signed net quantity, base units. */
  readonly netQuantity: string;
  /** Signed entry notional of the open quantity, quote currency. */
  readonly costBasis: string;
  readonly realisedPnl: string;
  /** Fees paid net of rebates. */
  readonly fees: string;
  readonly funding: string;
  readonly updatedAtUs: TimeUs;
}

/** Returns the core portfolio of `instrument` booked in `currency` from its position records. */
export function portfolioOf(records: readonly PositionRecord[], instrument: string, currency: string): Portfolio {
  const positions: Position[] = records.map((r) => ({
    venue: r.venue,
    instrument,
    netQuantity: SignedQuantity.create(r.netQuantity),
    costBasis: Money.create(r.costBasis, currency),
    realisedPnl: Money.create(r.realisedPnl, currency),
    fees: Money.create(r.fees, currency),
    funding: Money.create(r.funding, currency),
    updatedAtUs: r.updatedAtUs,
  }));
  return { currency, positions };
}

/** Returns the position records of a portfolio (the portfolio keeps them sorted by venue). */
export function positionRecords(portfolio: Portfolio): PositionRecord[] {
  return portfolio.positions.map((p) => ({
    venue: p.venue,
    netQuantity: p.netQuantity.toString(),
    costBasis: p.costBasis.amountText(),
    realisedPnl: p.realisedPnl.amountText(),
    fees: p.fees.amountText(),
    funding: p.funding.amountText(),
    updatedAtUs: p.updatedAtUs,
  }));
}

/**
 * Returns the portfolio after an order event: a FILLED event on one of `venues` books its fill
 * (quantity, price and fee, in the portfolio currency, at the event time) exactly as the runner
 * books a fill; every other event, and a fill on a venue outside the configuration, leaves it unchanged.
 */
export function bookOrderEvent(portfolio: Portfolio, event: OrderEvent, venues: readonly string[]): Portfolio {
  const fill = event.fill;
  if (event.kind !== 'FILLED' || fill === null || !venues.includes(event.venue)) return portfolio;
  return applyPortfolioFill(portfolio, {
    venue: event.venue,
    instrument: event.instrument,
    side: event.side === 'BUY' ? 'buy' : 'sell',
    quantity: Quantity.create(fill.quantity),
    price: Price.create(fill.price),
    fee: Money.create(fill.fee, portfolio.currency),
    atUs: event.envelope.eventTimeUs,
  });
}
