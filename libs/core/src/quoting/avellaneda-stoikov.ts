import { type QuotingConfig, type StrategyConfig } from '../config';
import { type VolScalars } from '../fair-value/volatility';
import { type RiskRegime } from '../risk/risk-regime';
import { isBookValid } from '../fair-value/market-data';
import { type VenueSnapshot } from '../risk/venue-snapshot';
import { type VenueInventoryTarget } from './quote-types';

/** The inputs of the reservation price. */
export interface ReservationPriceInput {
  /** Fair value S. */
  readonly S: number;
  /** Venue basis (venue mid − S). */
  readonly basis: number;
  /** Venue 8h funding rate. */
  readonly funding: number;
  /** sigma_eff, relative per √second. */
  readonly sigmaEff: number;
  /** The inventory deviation q + λ_inv·(q_v − q_target_v). */
  readonly inventoryDeviation: number;
}

/**
 * Returns the reservation price r = S + β_b·basis + β_f·funding·S − γ·(σ_eff·S)²·τ·deviation.
 * Strictly decreasing in the deviation whenever γ, σ_eff, S and τ are positive.
 */
export function reservationPrice(cfg: QuotingConfig, input: ReservationPriceInput): number {
  const sigmaPx = input.sigmaEff * input.S;
  return input.S + cfg.betaBasis * input.basis + cfg.betaFunding * input.funding * input.S - cfg.gamma * sigmaPx * sigmaPx * cfg.tauSec * input.inventoryDeviation;
}

/** Returns the Avellaneda–Stoikov optimal half-spread δ* = (1/γ)·ln(1 + γ/k). */
export function asHalfSpread(gamma: number, k: number): number {
  return Math.log1p(gamma / k) / gamma;
}

/**
 * Returns the half-spread used: max(δ*, S·(minHalfSpreadBps/10⁴ + makerFee))·spreadMult, times
 * warningSpreadMult in the Warning regime. The floor is an edge net of the venue's maker fee (a
 * fraction of notional; negative for a rebate), so a venue that charges more is quoted wider. The
 * volatility multiplier applies to the floor too: with prices in the thousands δ* is a fraction of
 * a basis point, so a multiplier applied to δ* alone would never lift the quote off the floor.
 */
export function quoteHalfSpread(cfg: QuotingConfig, S: number, scalars: VolScalars, regime: RiskRegime, makerFee = 0): number {
  return halfSpreadFrom(asHalfSpread(cfg.gamma, cfg.k), cfg, S, scalars, regime, makerFee);
}

/** `quoteHalfSpread` given δ* = asHalfSpread(γ, k) (the same for every venue, so a quoting pass computes it once). */
export function halfSpreadFrom(star: number, cfg: QuotingConfig, S: number, scalars: VolScalars, regime: RiskRegime, makerFee: number): number {
  const floor = S * (cfg.minHalfSpreadBps / 1e4 + makerFee);
  const base = (star > floor ? star : floor) * scalars.spreadMult;
  return regime === 'Warning' ? base * cfg.warningSpreadMult : base;
}

/** Returns q_global + λ_inv·(q_v − q_target_v). */
export function inventoryDeviation(cfg: QuotingConfig, qGlobal: number, qVenue: number, qTarget: number): number {
  return qGlobal + cfg.lambdaInv * (qVenue - qTarget);
}

/**
 * Returns each venue's inventory target: wLiq = depth_v / Σ depth (top-of-book bid + ask depth,
 * venues without a valid book or disabled count 0), wFund = clip(−funding_v / fundingTargetRef, −1, 1),
 * q_target_v = wLiq·q_global + fundingTargetQty·wFund.
 */
export function computeVenueTargets(cfg: StrategyConfig, venues: readonly VenueSnapshot[], qGlobal: number): readonly VenueInventoryTarget[] {
  const total = totalVenueDepth(venues);
  const out: VenueInventoryTarget[] = new Array(venues.length);
  for (let i = 0; i < venues.length; i++) {
    const v = venues[i];
    const wLiq = liquidityWeight(v, total);
    const wFund = fundingWeight(cfg, v);
    out[i] = { venueId: v.venueId, wLiq, wFund, qTarget: wLiq * qGlobal + cfg.quoting.fundingTargetQty * wFund };
  }
  return out;
}

/** Returns Σ top-of-book depth over venues with a valid book that are not disabled (the wLiq denominator). */
export function totalVenueDepth(venues: readonly VenueSnapshot[]): number {
  let total = 0;
  for (let i = 0; i < venues.length; i++) total += venueDepth(venues[i]);
  return total;
}

/** Returns one venue's q_target_v given `totalVenueDepth(venues)`: the same value as `computeVenueTargets(…)[i].qTarget`, without allocating. */
export function venueTargetQty(cfg: StrategyConfig, venue: VenueSnapshot, totalDepth: number, qGlobal: number): number {
  return liquidityWeight(venue, totalDepth) * qGlobal + cfg.quoting.fundingTargetQty * fundingWeight(cfg, venue);
}

function liquidityWeight(v: VenueSnapshot, total: number): number {
  return total > 0 ? venueDepth(v) / total : 0;
}

function fundingWeight(cfg: StrategyConfig, v: VenueSnapshot): number {
  const rawFund = -v.fundingRate8h / cfg.quoting.fundingTargetRef;
  return Number.isNaN(rawFund) ? 0 : Math.min(1, Math.max(-1, rawFund));
}

// A module-local binding of the per-venue call (see compute-quotes.ts).
const bookValid$ = isBookValid;

function venueDepth(v: VenueSnapshot): number {
  if (v.health.disabled || v.book === null || !bookValid$(v.book)) return 0;
  const d = v.book.bidDepth + v.book.askDepth;
  return d > 0 && Number.isFinite(d) ? d : 0;
}
