import type Decimal from 'decimal.js';
import { type Result, resultErr, resultOk, ValidationError } from '../errors';
import { DecimalValue } from './decimal-value';
import { type DecimalInput, decimalText, type IncrementRounding, parseDecimal, roundToIncrement, toDecimal } from './exact-decimal';

/** A currency or settlement asset code, for example `USDT`, `USD` or `INR`. */
export type CurrencyCode = string;

const CURRENCY = /^[A-Z][A-Z0-9]{1,11}$/;

/** A signed, exact amount of one currency. */
export class Money extends DecimalValue {
  private constructor(
    value: Decimal,
    readonly currency: CurrencyCode,
  ) {
    super(value);
  }

  /** Returns an amount, or a ValidationError naming what was received when the amount or currency is invalid. */
  static tryCreate(amount: DecimalInput, currency: CurrencyCode): Result<Money, ValidationError> {
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
      return resultErr(new ValidationError('currency', `currency must be 2 to 12 upper-case letters or digits starting with a letter, received "${String(currency)}"`));
    }
    const parsed = parseDecimal(amount);
    if (parsed.value === undefined) return resultErr(new ValidationError('amount', `amount must be a finite decimal, received ${parsed.problem ?? 'nothing'}`));
    return resultOk(new Money(parsed.value, currency));
  }

  /** Returns an amount; throws ValidationError when the amount or currency is invalid. */
  static create(amount: DecimalInput, currency: CurrencyCode): Money {
    const result = Money.tryCreate(amount, currency);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Returns zero of `currency`. */
  static zero(currency: CurrencyCode): Money {
    return Money.create(0, currency);
  }

  /** Returns the amount and currency, for example `{ amount: "10.5", currency: "USDT" }`. */
  override toCanonical(): unknown {
    return { amount: decimalText(this.value), currency: this.currency };
  }

  /** Returns text such as `10.5 USDT`. */
  override toString(): string {
    return `${decimalText(this.value)} ${this.currency}`;
  }

  /** Returns the amount as normalised decimal text, without the currency. */
  amountText(): string {
    return decimalText(this.value);
  }

  private same(other: Money, op: string): void {
    if (other.currency !== this.currency) {
      throw new ValidationError('currency', `cannot ${op} ${other.currency} and ${this.currency}: currencies differ`);
    }
  }

  /** Returns `this + other`; throws ValidationError when the currencies differ. */
  plus(other: Money): Money {
    this.same(other, 'add');
    return new Money(this.value.plus(other.value), this.currency);
  }

  /** Returns `this − other`; throws ValidationError when the currencies differ. */
  minus(other: Money): Money {
    this.same(other, 'subtract');
    return new Money(this.value.minus(other.value), this.currency);
  }

  /** Returns this amount multiplied by `factor`, exact. */
  times(factor: DecimalInput): Money {
    return new Money(this.value.times(toDecimal(factor, 'factor')), this.currency);
  }

  /** Returns the negated amount. */
  negate(): Money {
    return new Money(this.value.negated(), this.currency);
  }

  /** Returns the absolute amount. */
  abs(): Money {
    return new Money(this.value.abs(), this.currency);
  }

  /** Returns true when the amount is below zero. */
  isNegative(): boolean {
    return this.value.lt(0);
  }

  /** Returns true when the amount is above zero. */
  isPositive(): boolean {
    return this.value.gt(0);
  }

  /** Returns -1, 0 or 1; throws ValidationError when `other` is not Money of the same currency. */
  override compare(other: DecimalValue): -1 | 0 | 1 {
    if (other instanceof Money) this.same(other, 'compare');
    return super.compare(other);
  }

  /** Returns true when `this < other` (same currency). */
  lt(other: Money): boolean {
    return this.compare(other) < 0;
  }

  /** Returns true when `this ≤ other` (same currency). */
  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  /** Returns true when `this > other` (same currency). */
  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }

  /** Returns the smaller amount (same currency). */
  min(other: Money): Money {
    return this.lte(other) ? this : other;
  }

  /** Returns the larger amount (same currency). */
  max(other: Money): Money {
    return this.lte(other) ? other : this;
  }

  /** Returns this amount rounded to a multiple of `quantum` (for example 0.01). */
  roundTo(quantum: DecimalInput, mode: IncrementRounding): Money {
    return new Money(roundToIncrement(this.value, quantum, mode), this.currency);
  }
}
