import { ValidationError } from '../errors';
import { type CurrencyCode, Money, Price, type Quantity, SignedQuantity } from '../money';
import { type InstrumentId, type Side, sideSign, type TimeUs, type VenueId } from '../types';

/**
 * The decimal places to which the cost taken out on a partial reduce is rounded (ties to
 * even). Every other booked amount is a sum of exact products, so with this rounding every
 * amount stays well within 40 significant digits and PnL is conserved exactly.
 */
export const COST_SCALE = 18;

/**
 * A net position on one instrument at one venue. Linear contracts: quantity is in base units
 * and PnL is in the quote (settlement) currency. `costBasis` is the signed entry notional of
 * the open quantity (net quantity × average entry price), kept instead of the average price
 * so that booked PnL is exact.
 */
export interface Position {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  readonly netQuantity: SignedQuantity;
  readonly costBasis: Money;
  readonly realisedPnl: Money;
  /** Fees paid (positive) net of rebates received (negative). */
  readonly fees: Money;
  /** Funding received (positive) net of funding paid (negative). */
  readonly funding: Money;
  readonly updatedAtUs: TimeUs;
}

/** A fill to book into a position. */
export interface PositionFill {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  readonly side: Side;
  readonly quantity: Quantity;
  readonly price: Price;
  /** Positive when paid, negative for a rebate (maker rebates). */
  readonly fee: Money;
  readonly atUs: TimeUs;
}

/** A funding payment on a perpetual position. */
export interface FundingPayment {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  /** Positive when received, negative when paid. */
  readonly amount: Money;
  readonly atUs: TimeUs;
}

/** Returns a flat position with zero PnL in `currency`. */
export function flatPosition(venue: VenueId, instrument: InstrumentId, currency: CurrencyCode, atUs: TimeUs): Position {
  const zero = Money.zero(currency);
  return { venue, instrument, netQuantity: SignedQuantity.zero(), costBasis: zero, realisedPnl: zero, fees: zero, funding: zero, updatedAtUs: atUs };
}

function requireCurrency(position: Position, amount: Money, what: string): void {
  if (amount.currency !== position.costBasis.currency) {
    throw new ValidationError(what, `${what} must be in ${position.costBasis.currency}, received ${amount.toString()}`);
  }
}

/**
 * Returns the position after `fill`: adds to the cost basis when opening or increasing;
 * when reducing, realises `closed × (price − average entry)` (signed), and a fill that goes
 * through zero closes the old side and opens the rest on the new side at the fill price.
 */
export function applyFillToPosition(position: Position, fill: PositionFill): Position {
  if (fill.venue !== position.venue || fill.instrument !== position.instrument) {
    throw new ValidationError('fill', `fill for ${fill.venue}/${fill.instrument} cannot be booked into position ${position.venue}/${position.instrument}`);
  }
  requireCurrency(position, fill.fee, 'fee');
  if (fill.quantity.isZero()) throw new ValidationError('fill.quantity', `fill quantity must be positive, received ${fill.quantity.toString()}`);
  const currency = position.costBasis.currency;
  const sign = sideSign(fill.side);
  const q = position.netQuantity.value;
  const fees = position.fees.plus(fill.fee);
  const signedFill = fill.quantity.value.times(sign);
  if (q.isZero() || q.isPositive() === sign > 0) {
    return {
      ...position,
      netQuantity: SignedQuantity.create(q.plus(signedFill)),
      costBasis: position.costBasis.plus(Money.create(signedFill.times(fill.price.value), currency)),
      fees,
      updatedAtUs: fill.atUs,
    };
  }
  const open = q.abs();
  const closed = fill.quantity.value.lte(open) ? fill.quantity.value : open;
  const removedCost = closed.eq(open) ? position.costBasis : Money.create(position.costBasis.value.times(closed).div(open).toDecimalPlaces(COST_SCALE), currency);
  const proceeds = Money.create(closed.times(q.isPositive() ? 1 : -1).times(fill.price.value), currency);
  const realisedPnl = position.realisedPnl.plus(proceeds.minus(removedCost));
  const leftover = fill.quantity.value.minus(closed);
  if (leftover.isZero()) {
    return {
      ...position,
      netQuantity: SignedQuantity.create(q.plus(signedFill)),
      costBasis: position.costBasis.minus(removedCost),
      realisedPnl,
      fees,
      updatedAtUs: fill.atUs,
    };
  }
  const flipped = leftover.times(sign);
  return {
    ...position,
    netQuantity: SignedQuantity.create(flipped),
    costBasis: Money.create(flipped.times(fill.price.value), currency),
    realisedPnl,
    fees,
    updatedAtUs: fill.atUs,
  };
}

/** Returns the position after a funding payment. */
export function applyFundingToPosition(position: Position, payment: FundingPayment): Position {
  requireCurrency(position, payment.amount, 'funding');
  return { ...position, funding: position.funding.plus(payment.amount), updatedAtUs: payment.atUs };
}

/** Returns the average entry price of the open quantity, or undefined when flat. */
export function averageEntryPrice(position: Position): Price | undefined {
  if (position.netQuantity.isZero()) return undefined;
  return Price.create(position.costBasis.value.div(position.netQuantity.value));
}

/** Returns the unrealised PnL of the open quantity marked at `mark`: net × mark − cost basis. */
export function unrealisedPnl(position: Position, mark: Price): Money {
  return Money.create(position.netQuantity.value.times(mark.value), position.costBasis.currency).minus(position.costBasis);
}
