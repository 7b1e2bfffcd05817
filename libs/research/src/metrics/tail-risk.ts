import { mean, quantileSorted, sortedFinite } from './quantile';
import { wilsonInterval, type WilsonInterval } from './wilson';

/**
 * Tail-risk definitions (α = 0.95 unless stated):
 * - Loss L = −PnL. VaR_α(PnL) = −Q_type7(PnL, 1 − α): a positive number is a loss.
 * - CVaR_α(PnL) = the mean loss over the worst k = ⌈(1 − α)·n⌉ episodes (at least one): the
 *   expected shortfall of the empirical distribution, always ≥ the loss at the VaR rank.
 * - Drawdowns are positive numbers (peak-to-trough of the equity curve). VaR_α(DD) =
 *   Q_type7(DD, α) and CVaR_α(DD) = the mean of the largest ⌈(1 − α)·n⌉ drawdowns.
 * - Kill probability = kills / n with a Wilson score interval at 95%.
 */

/** Returns the number of tail observations used by CVaR at confidence `alpha` over `n` values. */
export function tailCount(n: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), received ${alpha}`);
  return Math.max(1, Math.ceil((1 - alpha) * n - 1e-9));
}

/** Returns VaR at `alpha` of a PnL sample, as a loss (positive = losing money). */
export function valueAtRisk(pnl: readonly number[], alpha = 0.95): number {
  return -quantileSorted(sortedFinite(pnl), 1 - alpha);
}

/** Returns CVaR (expected shortfall) at `alpha` of a PnL sample, as a loss (positive = losing money). */
export function conditionalValueAtRisk(pnl: readonly number[], alpha = 0.95): number {
  const sorted = sortedFinite(pnl);
  if (sorted.length === 0) throw new RangeError('CVaR needs at least one value, received an empty sample');
  const k = tailCount(sorted.length, alpha);
  return -mean(sorted.slice(0, k));
}

/** Returns the maximum peak-to-trough drawdown of an equity curve (a positive number, 0 if it never falls). */
export function maxDrawdown(equity: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    else if (peak - e > worst) worst = peak - e;
  }
  return worst;
}

/** PnL quantiles of a Monte Carlo run. */
export interface PnlQuantiles {
  readonly p01: number;
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** The tail-risk section of a Monte Carlo result. */
export interface TailRisk {
  readonly episodes: number;
  readonly alpha: number;
  readonly pnl: {
    readonly mean: number;
    readonly quantiles: PnlQuantiles;
    readonly var: number;
    readonly cvar: number;
  };
  readonly drawdown: {
    readonly mean: number;
    readonly quantiles: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly var: number;
    readonly cvar: number;
  };
  readonly killProbability: WilsonInterval & { readonly kills: number };
}

/** One episode's outcome, as the tail metrics need it. */
export interface EpisodeOutcome {
  readonly pnl: number;
  readonly maxDrawdown: number;
  readonly killed: boolean;
}

/** Returns the tail-risk metrics of a set of episodes at confidence `alpha`. */
export function tailRisk(episodes: readonly EpisodeOutcome[], alpha = 0.95): TailRisk {
  if (episodes.length === 0) throw new RangeError('tail risk needs at least one episode, received none');
  const pnl = sortedFinite(episodes.map((e) => e.pnl));
  const dd = sortedFinite(episodes.map((e) => e.maxDrawdown));
  for (let i = 0; i < dd.length; i += 1) if (dd[i]! < 0) throw new RangeError(`drawdowns must be non-negative, received ${dd[i]}`);
  const k = tailCount(episodes.length, alpha);
  const kills = episodes.filter((e) => e.killed).length;
  return {
    episodes: episodes.length,
    alpha,
    pnl: {
      mean: mean(episodes.map((e) => e.pnl)),
      quantiles: {
        p01: quantileSorted(pnl, 0.01),
        p05: quantileSorted(pnl, 0.05),
        p50: quantileSorted(pnl, 0.5),
        p95: quantileSorted(pnl, 0.95),
        p99: quantileSorted(pnl, 0.99),
      },
      var: -quantileSorted(pnl, 1 - alpha),
      cvar: -mean(pnl.slice(0, k)),
    },
    drawdown: {
      mean: mean(episodes.map((e) => e.maxDrawdown)),
      quantiles: { p50: quantileSorted(dd, 0.5), p95: quantileSorted(dd, 0.95), p99: quantileSorted(dd, 0.99) },
      var: quantileSorted(dd, alpha),
      cvar: mean(dd.slice(dd.length - k)),
    },
    killProbability: { kills, ...wilsonInterval(kills, episodes.length) },
  };
}
