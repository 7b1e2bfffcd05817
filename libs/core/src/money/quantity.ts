import type Decimal from 'decimal.js';
import { type Result, resultErr, resultOk, ValidationError } from '../errors';
import { DecimalValue } from './decimal-value';
import { type DecimalInput, decimalText, type IncrementRounding, parseDecimal, roundToIncrement, toDecimal } from './exact-decimal';

/** A non-negative quantity (an order size, a fill size), exact. */
export class Quantity extends DecimalValue {
  private constructor(value: Decimal) {
    super(value);
  }

  /** Returns a quantity, or a ValidationError naming what was received when it is not a non-negative decimal. */
  static tryCreate(input: DecimalInput): Result<Quantity, ValidationError> {
    const parsed = parseDecimal(input);
    if (parsed.value === undefined) return resultErr(new ValidationError('quantity', `quantity must be a non-negative decimal, received ${parsed.problem ?? 'nothing'}`));
    if (parsed.value.lt(0)) return resultErr(new ValidationError('quantity', `quantity must not be negative, received ${decimalText(parsed.value)}`));
    return resultOk(new Quantity(parsed.value));
  }

  /** Returns a quantity; throws ValidationError when `input` is not a non-negative decimal. */
  static create(input: DecimalInput): Quantity {
    const result = Quantity.tryCreate(input);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Returns the zero quantity. */
  static zero(): Quantity {
    return Quantity.create(0);
  }

  /** Returns `this + other`. */
  plus(other: Quantity): Quantity {
    return new Quantity(this.value.plus(other.value));
  }

  /** Returns `this − other`; throws ValidationError when the result would be negative. */
  minus(other: Quantity): Quantity {
    return Quantity.create(this.value.minus(other.value));
  }

  /** Returns the smaller of the two quantities. */
  min(other: Quantity): Quantity {
    return this.value.lte(other.value) ? this : other;
  }

  /** Returns this quantity scaled by a non-negative factor. */
  times(factor: DecimalInput): Quantity {
    return Quantity.create(this.value.times(toDecimal(factor, 'factor')));
  }

  /** Returns this quantity rounded to a multiple of `lot`. */
  roundToLot(lot: DecimalInput, mode: IncrementRounding): Quantity {
    return Quantity.create(roundToIncrement(this.value, lot, mode));
  }
}

/** A signed quantity (a net position: positive long, negative short), exact. */
export class SignedQuantity extends DecimalValue {
  private constructor(value: Decimal) {
    super(value);
  }

  /** Returns a signed quantity, or a ValidationError naming what was received when it is not a finite decimal. */
  static tryCreate(input: DecimalInput): Result<SignedQuantity, ValidationError> {
    const parsed = parseDecimal(input);
    if (parsed.value === undefined) return resultErr(new ValidationError('signedQuantity', `signed quantity must be a finite decimal, received ${parsed.problem ?? 'nothing'}`));
    return resultOk(new SignedQuantity(parsed.value));
  }

  /** Returns a signed quantity; throws ValidationError when `input` is not a finite decimal. */
  static create(input: DecimalInput): SignedQuantity {
    const result = SignedQuantity.tryCreate(input);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Returns the zero (flat) quantity. */
  static zero(): SignedQuantity {
    return SignedQuantity.create(0);
  }

  /** Returns `this + other`. */
  plus(other: SignedQuantity): SignedQuantity {
    return new SignedQuantity(this.value.plus(other.value));
  }

  /** Returns the magnitude as a Quantity. */
  abs(): Quantity {
    return Quantity.create(this.value.abs());
  }

  /** Returns 1 for long, -1 for short and 0 for flat. */
  sign(): 1 | -1 | 0 {
    return this.value.isZero() ? 0 : this.value.isPositive() ? 1 : -1;
  }
}
