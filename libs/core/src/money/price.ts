import type Decimal from 'decimal.js';
import { type Result, resultErr, resultOk, ValidationError } from '../errors';
import { DecimalValue } from './decimal-value';
import { type DecimalInput, decimalText, type IncrementRounding, parseDecimal, roundToIncrement } from './exact-decimal';
import type { Quantity } from './quantity';

/** A strictly positive price, exact. */
export class Price extends DecimalValue {
  private constructor(value: Decimal) {
    super(value);
  }

  /** Returns a price, or a ValidationError naming what was received when it is not a positive decimal. */
  static tryCreate(input: DecimalInput): Result<Price, ValidationError> {
    const parsed = parseDecimal(input);
    if (parsed.value === undefined) return resultErr(new ValidationError('price', `price must be a positive decimal, received ${parsed.problem ?? 'nothing'}`));
    if (parsed.value.lte(0)) return resultErr(new ValidationError('price', `price must be positive, received ${decimalText(parsed.value)}`));
    return resultOk(new Price(parsed.value));
  }

  /** Returns a price; throws ValidationError when `input` is not a positive decimal. */
  static create(input: DecimalInput): Price {
    const result = Price.tryCreate(input);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Returns the notional `price × quantity`, exact. */
  notional(quantity: Quantity): Decimal {
    return this.value.times(quantity.value);
  }

  /** Returns `this − other` as a signed decimal. */
  minus(other: Price): Decimal {
    return this.value.minus(other.value);
  }

  /** Returns this price rounded to a multiple of `tick`; throws when the result would be zero. */
  roundToTick(tick: DecimalInput, mode: IncrementRounding): Price {
    return Price.create(roundToIncrement(this.value, tick, mode));
  }
}
