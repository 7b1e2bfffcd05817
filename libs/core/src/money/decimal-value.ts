import type Decimal from 'decimal.js';
import { decimalText } from './exact-decimal';

/** The shared behaviour of the exact value types: comparison, text and canonical form. */
export abstract class DecimalValue {
  /** Returns a value wrapping `value`, which the subclass has already checked. */
  protected constructor(readonly value: Decimal) {}

  /** Returns the normalised decimal text, for example `101.5`. */
  toString(): string {
    return decimalText(this.value);
  }

  /** Returns the normalised decimal text, so canonicalJson encodes the value exactly. */
  toCanonical(): unknown {
    return decimalText(this.value);
  }

  /** Returns the normalised decimal text (JSON.stringify uses it). */
  toJSON(): string {
    return decimalText(this.value);
  }

  /** Returns the nearest float64; for model maths only, never for booking. */
  toNumber(): number {
    return this.value.toNumber();
  }

  /** Returns true when the value is zero. */
  isZero(): boolean {
    return this.value.isZero();
  }

  /** Returns -1, 0 or 1 as this value is below, equal to or above `other`. */
  compare(other: DecimalValue): -1 | 0 | 1 {
    return this.value.cmp(other.value) as -1 | 0 | 1;
  }

  /** Returns true when both values are numerically equal. */
  equals(other: DecimalValue): boolean {
    return this.value.eq(other.value);
  }
}
