import { Prng, RISK_PROFILE_NAMES, type RiskProfileName } from '@fleet/core';
import { mean, sampleStd } from '../metrics';
import { SIGNED_KNOBS, SWEEP_KNOBS, type StrategyKnobs, type SweepKnob } from './knobs';

/** A grid: the values of each knob; the sweep is their Cartesian product (profile outermost, then SWEEP_KNOBS order). */
export interface SweepGrid {
  readonly profile: readonly RiskProfileName[];
  readonly values: Partial<Readonly<Record<SweepKnob, readonly number[]>>>;
}

/**
 * A random-sweep space: profiles to draw from and a [min, max] range per knob (log-uniform when
 * `log`). Numeric knobs need 0 < min ≤ max; signed knobs (initialInventory) need min ≤ max, and
 * log ranges only when min > 0.
 */
export interface SweepSpace {
  readonly profile: readonly RiskProfileName[];
  readonly ranges: Partial<Readonly<Record<SweepKnob, { readonly min: number; readonly max: number; readonly log?: boolean }>>>;
}

/** Returns true when `knob` may take zero and negative values. */
export function isSignedKnob(knob: string): boolean {
  return (SIGNED_KNOBS as readonly string[]).includes(knob);
}

/** Returns every combination of the grid, in a fixed order. */
export function gridCandidates(grid: SweepGrid): StrategyKnobs[] {
  if (grid.profile.length === 0) throw new RangeError('a grid needs at least one profile, received none');
  let out: Record<string, unknown>[] = grid.profile.map((profile) => ({ profile }));
  for (const knob of SWEEP_KNOBS) {
    const values = grid.values[knob];
    if (values === undefined) continue;
    if (values.length === 0) throw new RangeError(`grid knob ${knob} has no values`);
    out = out.flatMap((c) => values.map((v) => ({ ...c, [knob]: v })));
  }
  return out as unknown as StrategyKnobs[];
}

/** Returns `n` candidates drawn from `space` with a PRNG seeded by `seed` (same seed, same candidates). */
export function randomCandidates(space: SweepSpace, n: number, seed: number | string): StrategyKnobs[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a random sweep needs a positive integer count, received ${n}`);
  const prng = Prng.seeded(`sweep:${String(seed)}`);
  return Array.from({ length: n }, () => sampleKnobs(space, prng));
}

/** Returns one candidate drawn from `space`. */
export function sampleKnobs(space: SweepSpace, prng: Prng): StrategyKnobs {
  const profiles = space.profile.length > 0 ? space.profile : RISK_PROFILE_NAMES;
  const c: Record<string, unknown> = { profile: profiles[prng.int(profiles.length)] };
  for (const knob of SWEEP_KNOBS) {
    const r = space.ranges[knob];
    if (r === undefined) continue;
    if (isSignedKnob(knob)) {
      if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.max >= r.min && (r.log !== true || r.min > 0))) throw new RangeError(`range of ${knob} must satisfy min ≤ max (and 0 < min when log), received ${r.min} and ${r.max}`);
    } else if (!(r.min > 0 && r.max >= r.min)) throw new RangeError(`range of ${knob} must satisfy 0 < min ≤ max, received ${r.min} and ${r.max}`);
    const u = prng.next();
    c[knob] = roundSig(r.log ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min));
  }
  return c as unknown as StrategyKnobs;
}

/** Returns `x` rounded to 6 significant digits (stable, readable knob values). */
export function roundSig(x: number, digits = 6): number {
  return Number(x.toPrecision(digits));
}

/** One tidy per-run row: labels and metrics, flat. */
export type TidyRow = Readonly<Record<string, string | number | boolean | null>>;

/** Returns RFC 4180 CSV text with the given columns (a header line, then one line per row). */
export function toCsv(rows: readonly TidyRow[], columns: readonly string[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'number' ? (Object.is(v, -0) ? '0' : String(v)) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/**
 * Returns the grouped summary of per-run rows (the seed's aggregate_basic): for each distinct
 * combination of `groupKeys` (in first-seen order), the run count, mean and standard deviation
 * of pnl_total, kill rate, mean and maximum max_drawdown.
 */
export function groupSummary(rows: readonly TidyRow[], groupKeys: readonly string[]): TidyRow[] {
  const groups = new Map<string, TidyRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(groupKeys.map((k) => r[k] ?? null));
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const out: TidyRow[] = [];
  for (const list of groups.values()) {
    const pnl = list.map((r) => Number(r.pnl_total));
    const dd = list.map((r) => Number(r.max_drawdown));
    const labels: Record<string, string | number | boolean | null> = {};
    for (const k of groupKeys) labels[k] = list[0]![k] ?? null;
    out.push({
      ...labels,
      runs: list.length,
      pnl_mean: mean(pnl),
      pnl_std: sampleStd(pnl),
      kill_rate: list.filter((r) => r.kill_switch === true || r.kill_switch === 'true').length / list.length,
      max_drawdown_mean: mean(dd),
      max_drawdown_max: Math.max(...dd),
    });
  }
  return out;
}
