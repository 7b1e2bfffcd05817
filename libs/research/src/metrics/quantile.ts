/**
 * Sample quantiles. The definition is Hyndman and Fan's type 7 (the default of R and NumPy):
 * for sorted values x[0..n-1] and a probability p, h = (n − 1)·p and
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */

/** Returns a sorted copy of `values` (ascending); refuses non-finite numbers and names the index. */
export function sortedFinite(values: readonly number[]): number[] {
  for (let i = 0; i < values.length; i += 1) {
    if (!Number.isFinite(values[i])) throw new RangeError(`values must be finite numbers, received ${String(values[i])} at index ${i}`);
  }
  return [...values].sort((a, b) => a - b);
}

/** Returns the type-7 quantile of already-sorted values at probability `p` in [0, 1]. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('a quantile needs at least one value, received an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a quantile probability must be in [0, 1], received ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Returns the type-7 quantile of `values` at probability `p`. */
export function quantile(values: readonly number[], p: number): number {
  return quantileSorted(sortedFinite(values), p);
}

/** Returns the arithmetic mean; summation runs in index order so the result is reproducible. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('a mean needs at least one value, received an empty sample');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Returns the sample standard deviation (n − 1 in the denominator; 0 for a single value). */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}
