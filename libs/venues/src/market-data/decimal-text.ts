import { type DecimalString, isDecimalString } from '@fleet/contracts';
import Decimal from 'decimal.js';

/**
 * Returns `value` as a plain decimal string (no exponent, no trailing zeros after the point,
 * no leading zeros). Accepts a decimal string such as "65000.10" or "1e-7", or a finite
 * number; a number is read through its shortest round-trip text, which is the venue's text
 * whenever the venue sent at most 15 significant digits. Throws a RangeError naming the
 * received value otherwise.
 */
export function toDecimalString(value: string | number): DecimalString {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`expected a finite decimal, received ${String(value)}`);
  let d: Decimal;
  try {
    d = new Decimal(typeof value === 'number' ? String(value) : value.trim());
  } catch {
    throw new RangeError(`expected a decimal, received ${JSON.stringify(value)}`);
  }
  if (!d.isFinite()) throw new RangeError(`expected a finite decimal, received ${JSON.stringify(value)}`);
  const text = d.isZero() ? '0' : d.toFixed();
  if (!isDecimalString(text)) throw new RangeError(`expected a plain decimal, received ${JSON.stringify(value)}`);
  return text;
}

/** Returns the decimal string, or null when `value` is null or undefined. */
export function toDecimalStringOrNull(value: string | number | null | undefined): DecimalString | null {
  return value === null || value === undefined ? null : toDecimalString(value);
}
