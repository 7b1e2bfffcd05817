/**
 * Prices and sizes on a decimal grid. The simulator and the paper exchange work in integer
 * ticks and lots; a price is `ticks / 10^decimals`, which is the double nearest the exact
 * decimal, so `String(price)` prints the short decimal and the exact value is recoverable.
 */

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Returns 10^decimals for 0 ≤ decimals ≤ 15. */
export function scaleOf(decimals: number): number {
  const scale = POW10[decimals];
  if (scale === undefined) throw new RangeError(`decimals must be an integer from 0 to 15, received ${decimals}`);
  return scale;
}

/** Returns the grid value `units / 10^decimals` as a number. */
export function fromUnits(units: number, decimals: number): number {
  return units / scaleOf(decimals);
}

/** Returns the nearest grid units of `value`. */
export function toUnits(value: number, decimals: number): number {
  return Math.round(value * scaleOf(decimals));
}

/** Returns the exact decimal text of `units / 10^decimals` (no float rounding involved). */
export function unitsText(units: number, decimals: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`units must be a safe integer, received ${units}`);
  const negative = units < 0;
  const digits = String(Math.abs(units));
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const frac = padded.slice(padded.length - decimals).replace(/0+$/, '');
  const body = frac.length > 0 ? `${whole}.${frac}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}
