import { baseSimConfig, noKnobs, simVenue, type Scenario, type ScenarioKnobs, type SimVenueSpec } from '@fleet/core';

/**
 * The research scenario model: a flat set of numeric parameters that `buildScenario` turns
 * into the core simulator's `Scenario` (market + knobs). Flat and numeric so that the
 * cross-entropy search can move every parameter; neutral values switch a knob off. Every
 * stress knob acts over one window [stressFromFrac, stressToFrac) of the session.
 */
export interface ScenarioParams {
  /** Session length, in seconds. */
  readonly durationSec: number;
  /** The simulation step (book publishing interval), in milliseconds. */
  readonly stepMs: number;
  /** How many venues (2 or 3; venue-a, venue-b, venue-c of the core presets). */
  readonly venueCount: number;
  /** The latent price volatility per √second (a fraction). */
  readonly volPerSqrtSec: number;
  /** Jumps: Poisson rate per second and normal size s.d. in basis points. */
  readonly jumpRatePerSec: number;
  readonly jumpSdBps: number;
  /** The stress window, as fractions of the session. */
  readonly stressFromFrac: number;
  readonly stressToFrac: number;
  /** Volatility multiplier over the window (1 = off). */
  readonly volMultiplier: number;
  /** Half-spread multiplier over the window (1 = off). */
  readonly spreadMult: number;
  /** Depth multiplier over the window (1 = off). */
  readonly depthMult: number;
  /** The venue (index) that is down over the window; −1 = no outage. */
  readonly outageVenue: number;
  /** From the window start every venue's funding becomes its base rate × this (1 = off; −1 = sign flip). */
  readonly fundingMultiplier: number;
  /** From the window start funding drifts by this much per hour (a fraction per interval; 0 = off), stepped every minute. */
  readonly fundingDriftPerHour: number;
  /** Extra basis over the window on `basisVenue`, in basis points (0 = off). */
  readonly basisSpikeBps: number;
  readonly basisVenue: number;
}

/** Neutral parameters: a calm one-hour two-venue market at 100 ms steps with every knob off. */
export const NEUTRAL_PARAMS: ScenarioParams = {
  durationSec: 3600,
  stepMs: 100,
  venueCount: 2,
  volPerSqrtSec: 0.00012,
  jumpRatePerSec: 0,
  jumpSdBps: 0,
  stressFromFrac: 0.25,
  stressToFrac: 0.75,
  volMultiplier: 1,
  spreadMult: 1,
  depthMult: 1,
  outageVenue: -1,
  fundingMultiplier: 1,
  fundingDriftPerHour: 0,
  basisSpikeBps: 0,
  basisVenue: 1,
};

/** The names of the parameters, in a fixed order. */
export const SCENARIO_PARAM_KEYS: readonly (keyof ScenarioParams)[] = Object.keys(NEUTRAL_PARAMS).sort() as (keyof ScenarioParams)[];

/** Returns every problem with `p` (empty when valid); each names the parameter and the value received. */
export function validateScenarioParams(p: ScenarioParams): string[] {
  const issues: string[] = [];
  const known = new Set<string>(SCENARIO_PARAM_KEYS);
  for (const key of Object.keys(p)) if (!known.has(key)) issues.push(`unknown scenario parameter ${key}`);
  for (const key of SCENARIO_PARAM_KEYS) {
    const v = p[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`${key} must be a finite number, received ${JSON.stringify(v)}`);
  }
  if (issues.length > 0) return issues;
  const need = (ok: boolean, msg: string): void => {
    if (!ok) issues.push(msg);
  };
  need(p.durationSec > 0 && Number.isInteger(p.durationSec * 1000), `durationSec must be positive with at most millisecond precision, received ${p.durationSec}`);
  need(Number.isInteger(p.stepMs) && p.stepMs > 0, `stepMs must be a positive integer, received ${p.stepMs}`);
  need(p.venueCount === 2 || p.venueCount === 3, `venueCount must be 2 or 3, received ${p.venueCount}`);
  need(p.volPerSqrtSec >= 0, `volPerSqrtSec must be ≥ 0, received ${p.volPerSqrtSec}`);
  need(p.jumpRatePerSec >= 0, `jumpRatePerSec must be ≥ 0, received ${p.jumpRatePerSec}`);
  need(p.jumpSdBps >= 0, `jumpSdBps must be ≥ 0, received ${p.jumpSdBps}`);
  need(p.stressFromFrac >= 0 && p.stressFromFrac < p.stressToFrac && p.stressToFrac <= 1, `the stress window must satisfy 0 ≤ stressFromFrac < stressToFrac ≤ 1, received ${p.stressFromFrac} and ${p.stressToFrac}`);
  need(p.volMultiplier > 0, `volMultiplier must be > 0, received ${p.volMultiplier}`);
  need(p.spreadMult > 0, `spreadMult must be > 0, received ${p.spreadMult}`);
  need(p.depthMult > 0, `depthMult must be > 0, received ${p.depthMult}`);
  need(Number.isInteger(p.outageVenue) && p.outageVenue >= -1 && p.outageVenue < p.venueCount, `outageVenue must be −1 or a venue index below venueCount, received ${p.outageVenue}`);
  need(Number.isInteger(p.basisVenue) && p.basisVenue >= 0 && p.basisVenue < p.venueCount, `basisVenue must be a venue index below venueCount, received ${p.basisVenue}`);
  return issues;
}

const PRESET_VENUES = (): readonly SimVenueSpec[] => baseSimConfig().venues;

/** Returns the core simulator scenario described by `params`; throws a RangeError listing every bad parameter. */
export function buildScenario(name: string, description: string, params: ScenarioParams): Scenario {
  const issues = validateScenarioParams(params);
  if (issues.length > 0) throw new RangeError(`invalid scenario parameters for ${name}: ${issues.join('; ')}`);
  const durationUs = Math.round(params.durationSec * 1e6);
  const stepUs = params.stepMs * 1000;
  const venues = PRESET_VENUES()
    .slice(0, params.venueCount)
    .map((v) => simVenue(v.venue, { ...v }));
  const sim = baseSimConfig({
    durationUs,
    stepUs,
    volPerSqrtSec: params.volPerSqrtSec,
    jumpRatePerSec: params.jumpRatePerSec,
    jumpMeanBps: 0,
    jumpSdBps: params.jumpSdBps,
    venues,
  });
  // Windows are aligned to the step grid so the knobs switch on a book update.
  const align = (frac: number): number => Math.round((frac * durationUs) / stepUs) * stepUs;
  const fromUs = align(params.stressFromFrac);
  const toUs = Math.max(fromUs + stepUs, align(params.stressToFrac));
  const knobs: { -readonly [K in keyof ScenarioKnobs]: ScenarioKnobs[K][number][] } = {
    volRegimes: [],
    outages: [],
    fundingFlips: [],
    basisSpikes: [],
    liquidityShocks: [],
  };
  if (params.volMultiplier !== 1) knobs.volRegimes.push({ fromUs, toUs, multiplier: params.volMultiplier });
  if (params.spreadMult !== 1 || params.depthMult !== 1) knobs.liquidityShocks.push({ fromUs, toUs, spreadMult: params.spreadMult, depthMult: params.depthMult });
  if (params.outageVenue >= 0) knobs.outages.push({ venue: venues[params.outageVenue]!.venue, fromUs, toUs });
  if (params.basisSpikeBps !== 0) knobs.basisSpikes.push({ venue: venues[params.basisVenue]!.venue, bps: params.basisSpikeBps, fromUs, toUs });
  if (params.fundingMultiplier !== 1 || params.fundingDriftPerHour !== 0) {
    const minuteUs = 60_000_000;
    for (let at = fromUs; at < durationUs; at += params.fundingDriftPerHour === 0 ? durationUs : minuteUs) {
      const hours = (at - fromUs) / 3_600_000_000;
      for (const v of venues) {
        const rate = Math.round((v.fundingRate * params.fundingMultiplier + params.fundingDriftPerHour * hours) * 1e10) / 1e10;
        knobs.fundingFlips.push({ atUs: at, venue: v.venue, rate });
      }
    }
  }
  return { name, description, sim, knobs: knobs.volRegimes.length + knobs.outages.length + knobs.fundingFlips.length + knobs.basisSpikes.length + knobs.liquidityShocks.length === 0 ? noKnobs() : knobs };
}
