import { digestOf } from '@fleet/core';
import { tailRisk, type TailRisk } from '../metrics';
import { type EpisodeResult } from './episode';

/** One episode to run: its index, scenario and derived seed. */
export interface EpisodeTask {
  readonly index: number;
  readonly scenario: string;
  readonly seed: string;
}

/**
 * Returns the plan of `episodes` episodes over `scenarios` (round-robin: episode i runs
 * scenarios[i mod n]) with seeds `${seed}:${i}`. The plan depends only on its arguments, so
 * the results do not depend on how the episodes are spread over workers.
 */
export function planEpisodes(seed: number | string, scenarios: readonly string[], episodes: number): EpisodeTask[] {
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`episodes must be a positive integer, received ${episodes}`);
  if (scenarios.length === 0) throw new RangeError('a Monte Carlo plan needs at least one scenario, received none');
  return Array.from({ length: episodes }, (_, i) => ({ index: i, scenario: scenarios[i % scenarios.length]!, seed: `${String(seed)}:${i}` }));
}

/** The Monte Carlo result written as JSON. */
export interface MonteCarloResult {
  readonly schema: 'fleet.research.monte-carlo/v1';
  readonly seed: string;
  readonly episodes: number;
  readonly candidate: unknown;
  readonly suite: string;
  readonly scenarios: readonly string[];
  readonly durationSec: number | null;
  readonly tailRisk: TailRisk;
  readonly byScenario: Readonly<Record<string, TailRisk>>;
  /** SHA-256 of the canonical per-episode results (index order): equal digests mean identical runs. */
  readonly resultsDigest: string;
}

/** Returns `results` in index order after checking they are exactly episodes 0 … n − 1. */
export function orderedResults(results: readonly EpisodeResult[]): EpisodeResult[] {
  const sorted = [...results].sort((a, b) => a.index - b.index);
  sorted.forEach((r, i) => {
    if (r.index !== i) throw new RangeError(`episode results must be indices 0 … ${sorted.length - 1} exactly once, received index ${r.index} at position ${i}`);
  });
  return sorted;
}

/** Returns the Monte Carlo summary of `results` (in any order; they are put in index order first). */
export function summariseMonteCarlo(
  meta: { readonly seed: number | string; readonly candidate: unknown; readonly suite: string; readonly scenarios: readonly string[]; readonly durationSec?: number },
  results: readonly EpisodeResult[],
): MonteCarloResult {
  const ordered = orderedResults(results);
  const byScenario: Record<string, TailRisk> = {};
  for (const name of meta.scenarios) {
    const mine = ordered.filter((r) => r.scenario === name);
    if (mine.length > 0) byScenario[name] = tailRisk(mine.map((r) => ({ pnl: r.pnl, maxDrawdown: r.maxDrawdown, killed: r.killed })));
  }
  return {
    schema: 'fleet.research.monte-carlo/v1',
    seed: String(meta.seed),
    episodes: ordered.length,
    candidate: meta.candidate,
    suite: meta.suite,
    scenarios: meta.scenarios,
    durationSec: meta.durationSec ?? null,
    tailRisk: tailRisk(ordered.map((r) => ({ pnl: r.pnl, maxDrawdown: r.maxDrawdown, killed: r.killed }))),
    byScenario,
    resultsDigest: digestOf(ordered),
  };
}
