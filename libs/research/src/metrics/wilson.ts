/** A proportion with its Wilson score interval. */
export interface WilsonInterval {
  readonly n: number;
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/** z for a two-sided 95% interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * Returns the Wilson score interval of `successes` out of `n` trials:
 * centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z·√(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n).
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): WilsonInterval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`a Wilson interval needs a positive integer n, received ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${n}], received ${successes}`);
  }
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { n, point: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
