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
 * Returns the half-spread used: max(δ*·spreadMult, S·minHalfSpreadBps/10⁴), times
 * warningSpreadMult in the Warning regime.
 */
export function quoteHalfSpread(cfg: QuotingConfig, S: number, scalars: VolScalars, regime: RiskRegime): number {
  const scaled = asHalfSpread(cfg.gamma, cfg.k) * scalars.spreadMult;
  const floor = (S * cfg.minHalfSpreadBps) / 1e4;
  const base = scaled > floor ? scaled : floor;
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
  let total = 0;
  for (let i = 0; i < venues.length; i++) total += venueDepth(venues[i]);
  const out: VenueInventoryTarget[] = new Array(venues.length);
  for (let i = 0; i < venues.length; i++) {
    const v = venues[i];
    const wLiq = total > 0 ? venueDepth(v) / total : 0;
    const rawFund = -v.fundingRate8h / cfg.quoting.fundingTargetRef;
    const wFund = Number.isNaN(rawFund) ? 0 : Math.min(1, Math.max(-1, rawFund));
    out[i] = { venueId: v.venueId, wLiq, wFund, qTarget: wLiq * qGlobal + cfg.quoting.fundingTargetQty * wFund };
  }
  return out;
}

function venueDepth(v: VenueSnapshot): number {
  if (v.health.disabled || v.book === null || !isBookValid(v.book)) return 0;
  const d = v.book.bidDepth + v.book.askDepth;
  return d > 0 && Number.isFinite(d) ? d : 0;
}
