import { type StrategyConfig } from '../config';
import { isBookStale, isBookValid, type VenueBookTop } from '../fair-value/market-data';
import { type TimeUs, type VenueId } from '../types';
import { type RiskInputs } from './risk-regime';

/** Health flags of one venue, from the gateway and the toxicity model. */
export interface VenueHealth {
  /** Operator- or gateway-disabled. */
  readonly disabled: boolean;
  /** Flagged stale by the gateway (the book age is also checked against staleBookMaxAgeUs). */
  readonly stale: boolean;
  /** Flagged toxic (the score is also checked against toxicityHighThreshold). */
  readonly toxic: boolean;
  /** Toxicity score in [0, 1]. */
  readonly toxicity: number;
}

/** Everything the quoting, hedge and exit models read about one venue at one instant. */
export interface VenueSnapshot {
  readonly venueId: VenueId;
  /** The latest book top, or null when there is none. */
  readonly book: VenueBookTop | null;
  /** The 8-hour funding rate, as a fraction (positive: longs pay shorts). */
  readonly fundingRate8h: number;
  /** The signed position on the venue, in base units (positive: long). */
  readonly positionQty: number;
  /** The average entry price of the position (ignored when flat). */
  readonly avgEntryPrice: number;
  /** Distance to liquidation, in sigmas of the price (Infinity when flat). */
  readonly distLiqSigma: number;
  /** Margin available on the venue, in USD. */
  readonly marginAvailableUsd: number;
  readonly health: VenueHealth;
}

/** Why a venue is not tradable now, or null when it is. */
export type VenueSkipReason = 'disabled' | 'no-book' | 'stale' | 'toxic' | 'critical-liquidation';

/** Healthy flags: not disabled, not stale, not toxic, toxicity 0. */
export const HEALTHY_VENUE: VenueHealth = { disabled: false, stale: false, toxic: false, toxicity: 0 };

/**
 * Returns why `venue` may not be traded at `nowUs`, or null: disabled, no valid book, stale
 * (flag or book older than staleBookMaxAgeUs), toxic (flag or score ≥ toxicityHighThreshold)
 * or critical liquidation distance (≤ liqCritSigma). Checked in that order.
 */
export function venueSkipReason(cfg: StrategyConfig, venue: VenueSnapshot, nowUs: TimeUs): VenueSkipReason | null {
  if (venue.health.disabled) return 'disabled';
  if (venue.book === null || !isBookValid(venue.book)) return 'no-book';
  if (venue.health.stale || isBookStale(venue.book, nowUs, cfg.fairValue.staleBookMaxAgeUs)) return 'stale';
  if (venue.health.toxic || venue.health.toxicity >= cfg.risk.toxicityHighThreshold) return 'toxic';
  if (!(venue.distLiqSigma > cfg.risk.liqCritSigma)) return 'critical-liquidation';
  return null;
}

/** Returns the global inventory Σ q_v, in base units. */
export function globalInventory(venues: readonly VenueSnapshot[]): number {
  let q = 0;
  for (let i = 0; i < venues.length; i++) q += venues[i].positionQty;
  return q;
}

/** Returns the basis exposure Σ q_v·(mid_v − fairValue), in USD, over venues with a valid book. */
export function basisExposureUsd(venues: readonly VenueSnapshot[], fairValue: number): number {
  let b = 0;
  for (let i = 0; i < venues.length; i++) {
    const v = venues[i];
    if (v.book !== null && isBookValid(v.book)) b += v.positionQty * ((v.book.bestBid + v.book.bestAsk) / 2 - fairValue);
  }
  return b;
}

/** Returns the smallest liquidation distance over venues holding a position (Infinity when flat everywhere). */
export function minDistLiqSigma(venues: readonly VenueSnapshot[]): number {
  let d = Infinity;
  for (let i = 0; i < venues.length; i++) if (venues[i].positionQty !== 0 && venues[i].distLiqSigma < d) d = venues[i].distLiqSigma;
  return d;
}

/**
 * Returns the risk-regime inputs measured from the venue snapshots at fair value `fairValue`:
 * dollar delta Σq_v·S, basis exposure Σq_v·(mid_v − S), and the smallest liquidation distance
 * over venues with a position; `dailyPnlUsd` comes from the PnL ledger.
 */
export function riskInputsFromVenues(venues: readonly VenueSnapshot[], fairValue: number, dailyPnlUsd: number): RiskInputs {
  return {
    dailyPnlUsd,
    dollarDeltaUsd: globalInventory(venues) * fairValue,
    basisExposureUsd: basisExposureUsd(venues, fairValue),
    minDistLiqSigma: minDistLiqSigma(venues),
  };
}
