import { Prng } from '@fleet/core';
import { mean, quantileSorted } from './quantile';

/** A bootstrap percentile interval of a statistic's difference (candidate − baseline). */
export interface BootstrapInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
  readonly resamples: number;
}

/** Returns the statistic of a resample of `values` drawn with replacement. */
function resample(values: readonly number[], prng: Prng, out: number[]): number[] {
  const n = values.length;
  for (let i = 0; i < n; i += 1) out[i] = values[prng.int(n)]!;
  return out;
}

/**
 * Returns a seeded percentile-bootstrap interval of stat(candidate) − stat(baseline), the two
 * samples being resampled independently. The same inputs and seed give the same interval.
 */
export function bootstrapDifference(
  candidate: readonly number[],
  baseline: readonly number[],
  options: { readonly seed: number | string; readonly resamples?: number; readonly confidence?: number; readonly statistic?: (xs: readonly number[]) => number },
): BootstrapInterval {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const stat = options.statistic ?? mean;
  if (candidate.length === 0 || baseline.length === 0) {
    throw new RangeError(`a bootstrap needs two non-empty samples, received ${candidate.length} candidate and ${baseline.length} baseline values`);
  }
  if (!Number.isInteger(resamples) || resamples < 10) throw new RangeError(`resamples must be an integer ≥ 10, received ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), received ${confidence}`);
  const prng = Prng.seeded(`bootstrap:${String(options.seed)}`);
  const a: number[] = new Array<number>(candidate.length);
  const b: number[] = new Array<number>(baseline.length);
  const diffs: number[] = [];
  for (let r = 0; r < resamples; r += 1) diffs.push(stat(resample(candidate, prng, a)) - stat(resample(baseline, prng, b)));
  diffs.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return { estimate: stat(candidate) - stat(baseline), lower: quantileSorted(diffs, tail), upper: quantileSorted(diffs, 1 - tail), confidence, resamples };
}
