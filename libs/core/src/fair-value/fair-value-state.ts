import { type StrategyConfig } from '../config';
import { type TimeUs, type VenueId } from '../types';

/** The fair-value filter and volatility estimator state. Immutable: each step returns a new one. */
export interface FairValueState {
  /** The Kalman estimate of fair value S; null until enough healthy venues have been seen once. */
  readonly fairValue: number | null;
  /** The estimate's variance, in price units squared (grows while no update is possible). */
  readonly variance: number;
  /** The time of the last step, or null before the first. */
  readonly lastStepUs: TimeUs | null;
  /** True when the last step had at least `minHealthyVenues` healthy venues. */
  readonly fvAvailable: boolean;
  /** Bit i is set when venue i (config order) was used in the last step. */
  readonly healthyVenueMask: number;
  /** The number of venues used in the last step. */
  readonly healthyVenueCount: number;
  /** The fair value the last volatility update used, or null. */
  readonly volAnchor: number | null;
  /** The time of the last volatility update, or null. */
  readonly volAnchorUs: TimeUs | null;
  /** Short EWMA variance rate of log returns, per second. */
  readonly varShort: number;
  /** Long EWMA variance rate of log returns, per second. */
  readonly varLong: number;
  /** √varShort, per √second. */
  readonly sigmaShort: number;
  /** √varLong, per √second. */
  readonly sigmaLong: number;
  /** max(sigmaShort, sigmaMin). */
  readonly sigmaEff: number;
}

/** The fair-value telemetry fields the seed names. */
export interface FairValueTelemetry {
  readonly fair_value: number | null;
  readonly fv_available: boolean;
  readonly healthy_venues_used: readonly VenueId[];
  readonly healthy_venues_used_count: number;
  readonly sigma_eff: number;
  readonly sigma_short: number;
  readonly sigma_long: number;
}

/**
 * Returns the state before any data: no fair value, not available, and volatility started
 * at volRef (a conservative start: spreads begin wide and narrow as data arrives).
 */
export function initialFairValueState(cfg: StrategyConfig): FairValueState {
  const v0 = cfg.volatility.volRef * cfg.volatility.volRef;
  const s0 = cfg.volatility.volRef;
  return {
    fairValue: null,
    variance: cfg.fairValue.initialVariance,
    lastStepUs: null,
    fvAvailable: false,
    healthyVenueMask: 0,
    healthyVenueCount: 0,
    volAnchor: null,
    volAnchorUs: null,
    varShort: v0,
    varLong: v0,
    sigmaShort: s0,
    sigmaLong: s0,
    sigmaEff: Math.max(s0, cfg.volatility.sigmaMin),
  };
}

/** Returns the ids of the venues used in the last step, in config order. */
export function healthyVenueIds(cfg: StrategyConfig, state: FairValueState): readonly VenueId[] {
  const ids: VenueId[] = [];
  for (let i = 0; i < cfg.venues.length; i++) if ((state.healthyVenueMask & (1 << i)) !== 0) ids.push(cfg.venues[i].venueId);
  return ids;
}

/** Returns the telemetry fields: fair value, fv_available, healthy venues used (ids and count) and sigma_eff. */
export function fairValueTelemetry(cfg: StrategyConfig, state: FairValueState): FairValueTelemetry {
  return {
    fair_value: state.fairValue,
    fv_available: state.fvAvailable,
    healthy_venues_used: healthyVenueIds(cfg, state),
    healthy_venues_used_count: state.healthyVenueCount,
    sigma_eff: state.sigmaEff,
    sigma_short: state.sigmaShort,
    sigma_long: state.sigmaLong,
  };
}
