import { COST_SCALE, Money, type Price, type Quantity, type Side, type SignedQuantity } from '@fleet/core';

/** The committed capital behind a venue position after a fill, and what the fill freed. */
export interface BackingAfterFill {
  /** Committed capital still backing the open position. */
  readonly backing: Money;
  /** Committed capital the fill freed (zero unless it reduced the position). */
  readonly released: Money;
}

/**
 * Returns the committed capital behind a venue position after a fill that committed
 * `reservePrice × quantity`. Opening or increasing adds the commitment to the backing. Reducing
 * frees the closed share of the backing (all of it on a full close, otherwise rounded to
 * COST_SCALE places like the position's cost) and the fill's own commitment for the closed
 * quantity; a fill through zero backs the rest it opens at `reservePrice`. So the sum of the
 * backings of an instrument's venues stays equal to the budget's committed capital.
 */
export function backingAfterFill(backing: Money, netBefore: SignedQuantity, side: Side, quantity: Quantity, reservePrice: Price): BackingAfterFill {
  const currency = backing.currency;
  const commit = Money.create(reservePrice.notional(quantity), currency);
  const q = netBefore.value;
  if (q.isZero() || q.isPositive() === (side === 'buy')) return { backing: backing.plus(commit), released: Money.zero(currency) };
  const open = q.abs();
  const closed = quantity.value.lte(open) ? quantity.value : open;
  const freed = closed.eq(open) ? backing : Money.create(backing.value.times(closed).div(open).toDecimalPlaces(COST_SCALE), currency);
  const reopened = Money.create(reservePrice.value.times(quantity.value.minus(closed)), currency);
  return { backing: backing.minus(freed).plus(reopened), released: freed.plus(Money.create(reservePrice.value.times(closed), currency)) };
}
