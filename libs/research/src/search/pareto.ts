import { type Prng } from '@fleet/core';
import { NUMERIC_KNOBS, type StrategyKnobs } from '../sweep/knobs';
import { roundSig, sampleKnobs, type SweepSpace } from '../sweep/sweep';

/** A tuning trial's objectives: maximise meanPnl, minimise killProbUpper and drawdownCvar. */
export interface TrialObjectives {
  readonly meanPnl: number;
  readonly killProbUpper: number;
  readonly drawdownCvar: number;
}

/** One evaluated candidate. */
export interface Trial extends TrialObjectives {
  readonly id: string;
  readonly knobs: StrategyKnobs;
}

/** Returns true when `a` dominates `b`: no worse in every objective and better in at least one. */
export function dominates(a: TrialObjectives, b: TrialObjectives): boolean {
  const noWorse = a.meanPnl >= b.meanPnl && a.killProbUpper <= b.killProbUpper && a.drawdownCvar <= b.drawdownCvar;
  const better = a.meanPnl > b.meanPnl || a.killProbUpper < b.killProbUpper || a.drawdownCvar < b.drawdownCvar;
  return noWorse && better;
}

/** Returns the deterministic order of trials: mean PnL descending, then kill upper bound, drawdown CVaR ascending, then id. */
export function compareTrials(a: Trial, b: Trial): number {
  return b.meanPnl - a.meanPnl || a.killProbUpper - b.killProbUpper || a.drawdownCvar - b.drawdownCvar || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Returns the non-dominated trials (the Pareto frontier) in the deterministic order of `compareTrials`. */
export function paretoFrontier<T extends Trial>(trials: readonly T[]): T[] {
  return trials.filter((t) => !trials.some((o) => o !== t && dominates(o, t))).sort(compareTrials);
}

/** A budget tier: the risk a promoted configuration may carry. */
export interface BudgetTier {
  readonly name: string;
  readonly maxKillProbUpper: number;
  readonly maxDrawdownCvar: number;
  readonly minMeanPnl: number;
}

/** The default tiers, from the tightest to the loosest. */
export const DEFAULT_BUDGET_TIERS: readonly BudgetTier[] = [
  { name: 'conservative', maxKillProbUpper: 0.05, maxDrawdownCvar: 250, minMeanPnl: -Infinity },
  { name: 'balanced', maxKillProbUpper: 0.1, maxDrawdownCvar: 500, minMeanPnl: -Infinity },
  { name: 'aggressive', maxKillProbUpper: 0.2, maxDrawdownCvar: 1000, minMeanPnl: -Infinity },
];

/** Returns true when `t` is within `tier`'s budget. */
export function withinBudget(t: TrialObjectives, tier: BudgetTier): boolean {
  return t.killProbUpper <= tier.maxKillProbUpper && t.drawdownCvar <= tier.maxDrawdownCvar && t.meanPnl >= tier.minMeanPnl;
}

/**
 * Returns each tier's winner: among the frontier trials within the tier's budget, the first by
 * `compareTrials` (highest mean PnL; ties broken by lower kill upper bound, lower drawdown
 * CVaR, then the smaller id). A tier with no eligible trial gets null.
 */
export function selectWinners<T extends Trial>(trials: readonly T[], tiers: readonly BudgetTier[] = DEFAULT_BUDGET_TIERS): Record<string, T | null> {
  const frontier = paretoFrontier(trials);
  const out: Record<string, T | null> = {};
  for (const tier of tiers) out[tier.name] = frontier.find((t) => withinBudget(t, tier)) ?? null;
  return out;
}

/**
 * Returns a mutated copy of `parent`: each numeric knob in `space` is, with probability
 * `rate`, multiplied by exp(N(0, scale)) and clipped to its range (a knob the parent lacks
 * starts from the middle of its range); the profile is redrawn with probability rate / 2.
 */
export function mutateKnobs(parent: StrategyKnobs, space: SweepSpace, prng: Prng, rate = 0.5, scale = 0.3): StrategyKnobs {
  const child: Record<string, unknown> = { ...parent };
  if (space.profile.length > 1 && prng.next() < rate / 2) child.profile = space.profile[prng.int(space.profile.length)];
  for (const knob of NUMERIC_KNOBS) {
    const r = space.ranges[knob];
    if (r === undefined) continue;
    const mutate = prng.next() < rate;
    const z = prng.normal();
    const base = (parent[knob] ?? (r.min + r.max) / 2) as number;
    child[knob] = mutate ? roundSig(Math.min(r.max, Math.max(r.min, base * Math.exp(scale * z)))) : base;
  }
  return child as unknown as StrategyKnobs;
}

/**
 * Returns the next generation of `n` candidates: the first half mutated from the current
 * frontier (parents taken round-robin in frontier order), the rest fresh draws from `space`.
 * With no frontier every candidate is a fresh draw. Deterministic for a given PRNG state.
 */
export function nextGeneration(frontier: readonly Trial[], space: SweepSpace, n: number, prng: Prng): StrategyKnobs[] {
  const out: StrategyKnobs[] = [];
  const mutants = frontier.length === 0 ? 0 : Math.ceil(n / 2);
  for (let i = 0; i < mutants; i += 1) out.push(mutateKnobs(frontier[i % frontier.length]!.knobs, space, prng));
  while (out.length < n) out.push(sampleKnobs(space, prng));
  return out;
}
