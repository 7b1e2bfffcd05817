import { Prng } from '@fleet/core';
import { mean, sampleStd } from '../metrics';

/**
 * The single-venue experiment of Avellaneda and Stoikov, "High-frequency trading in a limit
 * order book" (Quantitative Finance, 2008), section 4.
 *
 * Dynamics over a grid t = 0, dt, …, T: the mid-price is a Brownian motion discretised as a
 * random walk S ← S ± σ·√dt (equal probabilities); in each step our ask at distance δa from
 * the mid is lifted with probability A·exp(−k·δa)·dt and our bid at distance δb is hit with
 * probability A·exp(−k·δb)·dt (one unit each, independent draws), cash X and inventory q
 * move accordingly, and at T the profit is X + q·S_T.
 *
 * The inventory strategy quotes around the reservation price r = S − q·γ·σ²·(T − t) with the
 * total spread γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k). The symmetric strategy quotes the same
 * spread (the time average of the inventory strategy's spread, by default) centred on S.
 */
export interface AsParams {
  readonly gamma: number;
  readonly sigma: number;
  readonly k: number;
  readonly A: number;
  readonly T: number;
  readonly dt: number;
  readonly s0: number;
}

/** The strategy a path is run with. */
export type AsStrategy = 'inventory' | 'symmetric';

/** One path's outcome. */
export interface AsPathResult {
  readonly profit: number;
  readonly finalInventory: number;
  /** The time-averaged quoted spread over the path. */
  readonly averageSpread: number;
}

/** One strategy's statistics over all paths. */
export interface AsStrategyStats {
  readonly strategy: AsStrategy;
  readonly paths: number;
  readonly averageSpread: number;
  readonly profitMean: number;
  readonly profitStd: number;
  readonly finalInventoryMean: number;
  readonly finalInventoryStd: number;
}

/** The whole experiment's result. */
export interface AsExperimentResult {
  readonly params: AsParams;
  readonly paths: number;
  readonly seed: number | string;
  readonly inventory: AsStrategyStats;
  readonly symmetric: AsStrategyStats;
}

/** Returns the problems with `p` (empty when valid); each names the parameter and the value received. */
export function validateAsParams(p: AsParams): string[] {
  const issues: string[] = [];
  for (const key of ['gamma', 'sigma', 'k', 'A', 'T', 'dt', 's0'] as const) {
    if (!(Number.isFinite(p[key]) && p[key] > 0)) issues.push(`${key} must be a positive finite number, received ${String(p[key])}`);
  }
  if (issues.length === 0 && p.dt > p.T) issues.push(`dt must not exceed T, received dt=${p.dt} and T=${p.T}`);
  if (issues.length === 0 && p.A * p.dt > 1) issues.push(`A·dt must be at most 1 (it is a per-step fill probability at δ = 0), received ${p.A * p.dt}`);
  return issues;
}

/** Returns the number of steps of the grid: round(T / dt). */
export function asSteps(p: AsParams): number {
  return Math.round(p.T / p.dt);
}

/** Returns the inventory strategy's total spread at time t: γσ²(T − t) + (2/γ)ln(1 + γ/k). */
export function inventorySpread(p: AsParams, t: number): number {
  return p.gamma * p.sigma * p.sigma * (p.T - t) + (2 / p.gamma) * Math.log(1 + p.gamma / p.k);
}

/** Returns the time average (over the step grid) of the inventory strategy's spread. */
export function averageInventorySpread(p: AsParams): number {
  const n = asSteps(p);
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += inventorySpread(p, i * p.dt);
  return sum / n;
}

/**
 * Returns one path of `strategy`. The path's randomness comes from `seed` through two forked
 * streams (price moves, fill draws), so both strategies can be run on the same random numbers.
 */
export function runAsPath(p: AsParams, strategy: AsStrategy, seed: number | string, symmetricSpread = averageInventorySpread(p)): AsPathResult {
  const root = Prng.seeded(`as2008:${String(seed)}`);
  const pricePrng = root.fork('price');
  const fillPrng = root.fork('fills');
  const n = asSteps(p);
  const moveSize = p.sigma * Math.sqrt(p.dt);
  let s = p.s0;
  let q = 0;
  let x = 0;
  let spreadSum = 0;
  for (let i = 0; i < n; i += 1) {
    const t = i * p.dt;
    let bid: number;
    let ask: number;
    if (strategy === 'inventory') {
      const spread = inventorySpread(p, t);
      const r = s - q * p.gamma * p.sigma * p.sigma * (p.T - t);
      bid = r - spread / 2;
      ask = r + spread / 2;
      spreadSum += spread;
    } else {
      bid = s - symmetricSpread / 2;
      ask = s + symmetricSpread / 2;
      spreadSum += symmetricSpread;
    }
    const deltaAsk = ask - s;
    const deltaBid = s - bid;
    // Both draws are always made, so the two strategies consume the same random numbers.
    const uAsk = fillPrng.next();
    const uBid = fillPrng.next();
    if (uAsk < Math.min(1, p.A * Math.exp(-p.k * deltaAsk) * p.dt)) {
      q -= 1;
      x += ask;
    }
    if (uBid < Math.min(1, p.A * Math.exp(-p.k * deltaBid) * p.dt)) {
      q += 1;
      x -= bid;
    }
    s += pricePrng.next() < 0.5 ? moveSize : -moveSize;
  }
  return { profit: x + q * s, finalInventory: q, averageSpread: spreadSum / n };
}

function stats(strategy: AsStrategy, results: readonly AsPathResult[]): AsStrategyStats {
  const profits = results.map((r) => r.profit);
  const qs = results.map((r) => r.finalInventory);
  return {
    strategy,
    paths: results.length,
    averageSpread: mean(results.map((r) => r.averageSpread)),
    profitMean: mean(profits),
    profitStd: sampleStd(profits),
    finalInventoryMean: mean(qs),
    finalInventoryStd: sampleStd(qs),
  };
}

/** Returns the experiment: `paths` paths of each strategy, path i of both using seed `${seed}:${i}`. */
export function runAsExperiment(p: AsParams, paths: number, seed: number | string): AsExperimentResult {
  const issues = validateAsParams(p);
  if (issues.length > 0) throw new RangeError(`invalid Avellaneda–Stoikov parameters: ${issues.join('; ')}`);
  if (!Number.isInteger(paths) || paths < 2) throw new RangeError(`paths must be an integer ≥ 2, received ${paths}`);
  const symmetricSpread = averageInventorySpread(p);
  const inv: AsPathResult[] = [];
  const sym: AsPathResult[] = [];
  for (let i = 0; i < paths; i += 1) {
    inv.push(runAsPath(p, 'inventory', `${String(seed)}:${i}`));
    sym.push(runAsPath(p, 'symmetric', `${String(seed)}:${i}`, symmetricSpread));
  }
  return { params: p, paths, seed, inventory: stats('inventory', inv), symmetric: stats('symmetric', sym) };
}

/** Returns the experiment's printed table. */
export function formatAsExperiment(r: AsExperimentResult): string {
  const p = r.params;
  const row = (s: AsStrategyStats): string =>
    `${s.strategy.padEnd(10)} ${s.averageSpread.toFixed(3).padStart(8)} ${s.profitMean.toFixed(2).padStart(9)} ${s.profitStd.toFixed(2).padStart(12)} ${s.finalInventoryMean.toFixed(3).padStart(10)} ${s.finalInventoryStd.toFixed(3).padStart(9)}`;
  return [
    `Avellaneda–Stoikov (2008) experiment: gamma=${p.gamma} sigma=${p.sigma} k=${p.k} A=${p.A} T=${p.T} dt=${p.dt} s0=${p.s0} paths=${r.paths} seed=${String(r.seed)}`,
    `strategy     spread    profit  std(profit)  mean(q_T)  std(q_T)`,
    row(r.inventory),
    row(r.symmetric),
  ].join('\n');
}
