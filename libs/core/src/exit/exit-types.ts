import { type RiskView } from '../risk/risk-regime';
import { type VenueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { type Side, type TimeUs, type VenueId } from '../types';

/** The inputs of one exit-allocator call (typically after a batch of fills). */
export interface ExitInput {
  readonly risk: RiskView;
  /** Fair value S, or null. */
  readonly fairValue: number | null;
  readonly fvAvailable: boolean;
  /** sigma_eff (relative, per √second) for the volatility buffer. */
  readonly sigmaEff: number;
  /** One snapshot per configured venue, in config order (positions carry avgEntryPrice). */
  readonly venues: readonly VenueSnapshot[];
  readonly nowUs: TimeUs;
}

/** The per-unit edge of exiting on one venue, in USD per base unit. */
export interface ExitEdgeBreakdown {
  /** Exit price vs the average entry price, in the direction of the exit. */
  readonly baseProfit: number;
  readonly fees: number;
  readonly slippage: number;
  /** volBufferMult × sigma_eff × S. */
  readonly volBuffer: number;
  /** basisWeight × direction × (venue mid − S). */
  readonly basisAdjustment: number;
  /** fundingWeight × direction × funding × mid. */
  readonly fundingAdjustment: number;
  /** baseProfit − fees − slippage − volBuffer + basisAdjustment + fundingAdjustment. */
  readonly netEdge: number;
  /** Penalty for opening a new leg (trading a flat or opposite-signed venue). */
  readonly fragmentationPenalty: number;
  /** Bonus for closing the venue's position completely. */
  readonly fragmentationBonus: number;
  /** basisRiskPenaltyWeight × Δ|B| per unit (negative when the exit reduces basis exposure). */
  readonly basisRiskPenalty: number;
  /** netEdge − fragmentationPenalty + fragmentationBonus − basisRiskPenalty: the ranking score. */
  readonly score: number;
}

/** One venue the exit could use. */
export interface ExitCandidate {
  readonly venueId: VenueId;
  readonly venueIndex: number;
  readonly side: Side;
  /** The touch price the exit trades at. */
  readonly price: number;
  /** The most this venue may take, in base units. */
  readonly capacity: number;
  readonly edge: ExitEdgeBreakdown;
  /** True when baseProfit and netEdge both exceed edgeMinUsd. */
  readonly profitable: boolean;
}

/** An exit order (immediate-or-cancel at the touch). */
export interface ExitOrder {
  readonly venueId: VenueId;
  readonly venueIndex: number;
  readonly side: Side;
  readonly size: number;
  readonly sizeText: string;
  readonly limitPrice: number;
  readonly limitPriceText: string;
  readonly netEdgePerUnit: number;
  readonly score: number;
}

/** Why an exit call produced no orders, when it did not. */
export type ExitIdleReason = 'halted' | 'no-fair-value' | 'flat' | 'no-profitable-venue';

/** The outcome of one exit-allocator call. */
export interface ExitPlan {
  /** The global position q, in base units. */
  readonly qGlobal: number;
  /** The size-weighted average entry price of the positions on the side of q. */
  readonly entryPrice: number;
  /** The orders, in ranking order (score desc, venue index asc). */
  readonly orders: readonly ExitOrder[];
  /** Every candidate, in ranking order. */
  readonly candidates: readonly ExitCandidate[];
  readonly skipped: readonly { readonly venueId: VenueId; readonly reason: VenueSkipReason | 'thin-book' }[];
  readonly idleReason: ExitIdleReason | null;
}
