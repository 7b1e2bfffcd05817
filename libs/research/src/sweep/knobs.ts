import { RISK_PROFILE_NAMES, type RiskProfileName, type RunnerConfigOverrides } from '@fleet/core';

/**
 * The strategy knobs the research tools sweep and tune. Absent knobs keep the risk profile's
 * default. Each maps onto one field of the core's StrategyConfig:
 * gamma → quoting.gamma, hedgeBand → hedge.bandBase, hedgeMaxStep → hedge.maxStep,
 * sizeEta → quoting.baseOrderSize, volRef → volatility.volRef,
 * dailyLossLimit → risk.dailyLossLimitUsd.
 * initialInventory is not a StrategyConfig field: it is the signed base-unit position the
 * session starts with, all of it on the scenario's FIRST venue (see `initialPositionsFor`).
 */
export interface StrategyKnobs {
  readonly profile: RiskProfileName;
  readonly gamma?: number;
  readonly hedgeBand?: number;
  readonly hedgeMaxStep?: number;
  readonly sizeEta?: number;
  readonly volRef?: number;
  readonly dailyLossLimit?: number;
  /** Signed base units to start the session with (any finite number; 0 or absent: start flat). */
  readonly initialInventory?: number;
}

/** The numeric knob names, in a fixed order. */
export const NUMERIC_KNOBS = ['gamma', 'hedgeBand', 'hedgeMaxStep', 'sizeEta', 'volRef', 'dailyLossLimit'] as const;
/** A numeric knob name. */
export type NumericKnob = (typeof NUMERIC_KNOBS)[number];
/** The signed knobs (any finite value, zero and negatives included), in a fixed order. */
export const SIGNED_KNOBS = ['initialInventory'] as const;
/** A signed knob name. */
export type SignedKnob = (typeof SIGNED_KNOBS)[number];
/** Every knob a sweep can vary: the numeric knobs, then the signed ones (the column order of sweep outputs). */
export const SWEEP_KNOBS = [...NUMERIC_KNOBS, ...SIGNED_KNOBS] as const;
/** A sweepable knob name. */
export type SweepKnob = (typeof SWEEP_KNOBS)[number];

/** Returns every problem with `knobs` (empty when valid), naming the knob and the value received. */
export function validateKnobs(knobs: StrategyKnobs): string[] {
  const issues: string[] = [];
  if (!RISK_PROFILE_NAMES.includes(knobs.profile)) issues.push(`profile must be one of ${RISK_PROFILE_NAMES.join(', ')}, received ${JSON.stringify(knobs.profile)}`);
  const known = new Set<string>(['profile', ...SWEEP_KNOBS]);
  for (const key of Object.keys(knobs)) if (!known.has(key)) issues.push(`unknown knob ${key} (known: ${[...known].join(', ')})`);
  for (const key of NUMERIC_KNOBS) {
    const v = knobs[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) issues.push(`${key} must be a positive finite number, received ${JSON.stringify(v)}`);
  }
  for (const key of SIGNED_KNOBS) {
    const v = knobs[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) issues.push(`${key} must be a finite number, received ${JSON.stringify(v)}`);
  }
  return issues;
}

/** Returns the runner overrides of `knobs` (only the knobs that are set). */
export function runnerOverridesFor(knobs: StrategyKnobs): RunnerConfigOverrides {
  const issues = validateKnobs(knobs);
  if (issues.length > 0) throw new RangeError(`invalid strategy knobs: ${issues.join('; ')}`);
  // Only set knobs go in: an undefined member would overwrite the profile's default.
  const pick = <T extends object>(o: T): Partial<T> | undefined => {
    const set = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
    return Object.keys(set).length > 0 ? set : undefined;
  };
  return {
    profile: knobs.profile,
    strategy: {
      quoting: pick({ gamma: knobs.gamma, baseOrderSize: knobs.sizeEta }),
      hedge: pick({ bandBase: knobs.hedgeBand, maxStep: knobs.hedgeMaxStep }),
      volatility: pick({ volRef: knobs.volRef }),
      risk: pick({ dailyLossLimitUsd: knobs.dailyLossLimit }),
    },
  };
}

/**
 * Returns the session's initial positions for `knobs` on a scenario whose venues are `venues`
 * (in scenario order, with their size decimals): the whole initialInventory on the FIRST venue,
 * rounded to its lot (Number#toFixed), as exact decimal text. Undefined when the knob is absent
 * or rounds to zero, so the session is exactly the one without inventory. One venue keeps the
 * number exact (an even split would need rounding per venue) and gives the hedge a cross-venue
 * imbalance to work on as well as a global position for the exit.
 */
export function initialPositionsFor(knobs: StrategyKnobs, venues: readonly { readonly venue: string; readonly sizeDecimals: number }[]): Record<string, string> | undefined {
  const q = knobs.initialInventory;
  const first = venues[0];
  if (q === undefined || first === undefined) return undefined;
  if (!Number.isFinite(q)) throw new RangeError(`initialInventory must be a finite number, received ${JSON.stringify(q)}`);
  const text = q.toFixed(first.sizeDecimals);
  if (Number(text) === 0) return undefined;
  return { [first.venue]: text };
}

/** Returns a short stable label of `knobs` (`profile=balanced gamma=0.5 …`, knobs in fixed order). */
export function knobsLabel(knobs: StrategyKnobs): string {
  return [`profile=${knobs.profile}`, ...SWEEP_KNOBS.filter((k) => knobs[k] !== undefined).map((k) => `${k}=${knobs[k]}`)].join(' ');
}

/** The risk profile names a sweep may use. */
export const RISK_PROFILE_NAMES_FOR_SWEEP: readonly RiskProfileName[] = RISK_PROFILE_NAMES;
