import Decimal from 'decimal.js';
import { ValidationError } from '../errors';

/**
 * The decimal constructor used for every booked amount: 40 significant digits, ties to even,
 * Euclidean modulo and no exponent notation. It is a clone, so the global decimal.js
 * configuration is never touched.
 */
export const ExactDecimal = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  modulo: Decimal.EUCLID,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** An exact decimal number (an immutable decimal.js instance). */
export type ExactDecimal = Decimal;

/** What a value type accepts: a decimal string, a finite number, a bigint or a decimal. */
export type DecimalInput = string | number | bigint | Decimal;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Returns `input` as an exact decimal, or undefined with a description when it is not a finite decimal. */
export function parseDecimal(input: DecimalInput): { readonly value?: Decimal; readonly problem?: string } {
  if (typeof input === 'string') {
    const text = input.trim();
    if (!DECIMAL_TEXT.test(text)) return { problem: `"${input}" is not a decimal number` };
    return { value: new ExactDecimal(text) };
  }
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { problem: `${String(input)} is not a finite number` };
    return { value: new ExactDecimal(String(input)) };
  }
  if (typeof input === 'bigint') return { value: new ExactDecimal(input.toString()) };
  if (Decimal.isDecimal(input)) {
    if (!input.isFinite()) return { problem: `${input.toString()} is not a finite decimal` };
    return { value: new ExactDecimal(input) };
  }
  return { problem: `${typeof input} is not a decimal input` };
}

/** Returns `input` as an exact decimal; throws ValidationError naming `field` when it is not one. */
export function toDecimal(input: DecimalInput, field = 'value'): Decimal {
  const parsed = parseDecimal(input);
  if (parsed.value === undefined) throw new ValidationError(field, `${field} must be a finite decimal, received ${parsed.problem ?? 'nothing'}`);
  return parsed.value;
}

/** Returns the normalised text of a decimal: no exponent, no trailing zeros, `0` for zero. */
export function decimalText(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

/** How to round to an increment: down, up, or to the nearest multiple (ties to the even multiple). */
export type IncrementRounding = 'floor' | 'ceil' | 'nearest';

/**
 * Returns `value` rounded to a whole multiple of `increment` (a tick or a lot), exactly.
 * Throws ValidationError when the increment is not positive.
 */
export function roundToIncrement(value: DecimalInput, increment: DecimalInput, mode: IncrementRounding): Decimal {
  const x = toDecimal(value, 'value');
  const inc = toDecimal(increment, 'increment');
  if (inc.lte(0)) throw new ValidationError('increment', `increment must be positive, received ${decimalText(inc)}`);
  const remainder = x.mod(inc);
  const floor = x.minus(remainder);
  if (remainder.isZero() || mode === 'floor') return floor;
  const ceil = floor.plus(inc);
  if (mode === 'ceil') return ceil;
  const twice = remainder.times(2);
  if (twice.lt(inc)) return floor;
  if (twice.gt(inc)) return ceil;
  return floor.div(inc).mod(2).isZero() ? floor : ceil;
}

/** Returns true when `value` is a whole multiple of `increment`. */
export function isMultipleOf(value: DecimalInput, increment: DecimalInput): boolean {
  return toDecimal(value).mod(toDecimal(increment, 'increment')).isZero();
}
