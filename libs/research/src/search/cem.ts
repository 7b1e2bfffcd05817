import { Prng, deriveId } from '@fleet/core';
import { roundSig } from '../sweep/sweep';

/** A continuous search dimension of the cross-entropy method. */
export interface CemDimension {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Round sampled values to an integer (venue indices and the like). */
  readonly integer?: boolean;
}

/** The CEM state: a mean and standard deviation per dimension. */
export interface CemState {
  readonly iteration: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Options of the search. */
export interface CemOptions {
  readonly dimensions: readonly CemDimension[];
  readonly population: number;
  /** The fraction of the population kept as elites (0 < f ≤ 1). */
  readonly eliteFraction: number;
  /** Weight of the new elite statistics against the old (1 = replace). */
  readonly smoothing: number;
  /** The smallest standard deviation, as a fraction of each range (keeps the search alive). */
  readonly minStdFraction: number;
}

/** Returns the initial state: the centre of each range and a quarter of its width as s.d. */
export function cemInit(dims: readonly CemDimension[]): CemState {
  return { iteration: 0, mean: dims.map((d) => (d.min + d.max) / 2), std: dims.map((d) => (d.max - d.min) / 4) };
}

/** Returns `population` candidate vectors of the state's iteration, drawn from a PRNG seeded by (seed, iteration). */
export function cemSample(state: CemState, options: CemOptions, seed: number | string): number[][] {
  const prng = Prng.seeded(`cem:${String(seed)}:${state.iteration}`);
  return Array.from({ length: options.population }, () =>
    options.dimensions.map((d, j) => {
      const x = Math.min(d.max, Math.max(d.min, prng.normal(state.mean[j]!, state.std[j]!)));
      return d.integer ? Math.round(x) : roundSig(x);
    }),
  );
}

/**
 * Returns the next state from scored candidates (higher score = more adversarial): the elites
 * are the top ⌈eliteFraction·n⌉ by score (ties by candidate order), and the mean and s.d. move
 * to theirs with `smoothing`.
 */
export function cemUpdate(state: CemState, options: CemOptions, candidates: readonly (readonly number[])[], scores: readonly number[]): CemState {
  if (candidates.length !== scores.length || candidates.length === 0) {
    throw new RangeError(`cemUpdate needs one score per candidate, received ${candidates.length} candidates and ${scores.length} scores`);
  }
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const k = Math.max(1, Math.ceil(options.eliteFraction * candidates.length));
  const elites = order.slice(0, k).map((o) => candidates[o.i]!);
  const a = options.smoothing;
  const mean: number[] = [];
  const std: number[] = [];
  options.dimensions.forEach((d, j) => {
    const xs = elites.map((e) => e[j]!);
    const m = xs.reduce((p, x) => p + x, 0) / xs.length;
    const v = xs.reduce((p, x) => p + (x - m) * (x - m), 0) / xs.length;
    mean.push(a * m + (1 - a) * state.mean[j]!);
    std.push(Math.max(options.minStdFraction * (d.max - d.min), a * Math.sqrt(v) + (1 - a) * state.std[j]!));
  });
  return { iteration: state.iteration + 1, mean, std };
}

/** The adversarial score of a candidate's evaluation: higher = worse for the strategy. */
export interface AdversarialOutcome {
  readonly killProb: number;
  readonly drawdownMean: number;
  readonly pnlMean: number;
}

/**
 * Returns the adversarial score: killProb + drawdownMean / scale − pnlMean / scale, so the
 * search maximises kill probability and drawdown and minimises mean PnL (`scale` puts money
 * on the same footing as a probability).
 */
export function adversarialScore(o: AdversarialOutcome, scale = 1000): number {
  return o.killProb + o.drawdownMean / scale - o.pnlMean / scale;
}

/** Returns the stable name of an adversarial scenario: `adv-` + the first 12 hex of SHA-256(canonical params). */
export function adversarialName(params: unknown): string {
  return `adv-${deriveId('adversarial-scenario', [params], 12)}`;
}
