import { type OrderEvent } from '@fleet/contracts';
import { applyPortfolioFill, Money, type Portfolio, Price, Quantity } from '@fleet/core';

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
