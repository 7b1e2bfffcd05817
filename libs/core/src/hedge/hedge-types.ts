import { type VolScalars } from '../fair-value/volatility';
import { type RiskView } from '../risk/risk-regime';
import { type VenueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { type Side, type TimeUs, type VenueId } from '../types';

/** The inputs of one global hedge step. */
export interface HedgeInput {
  readonly risk: RiskView;
  /** Fair value S, or null. */
  readonly fairValue: number | null;
  readonly fvAvailable: boolean;
  /** Scalars from sigma_eff; the deadband is bandBase × bandMult. */
  readonly volScalars: VolScalars;
  /** One snapshot per configured venue, in config order. */
  readonly venues: readonly VenueSnapshot[];
  readonly nowUs: TimeUs;
}

/** The additive per-unit cost components of hedging on one venue, in USD per base unit. */
export interface HedgeCostBreakdown {
  /** Distance from mid to the touch we trade at (half spread). */
  readonly execution: number;
  /** takerFee × price. */
  readonly fee: number;
  /** slippageBufferBps × price. */
  readonly slippage: number;
  /** Inside the liquidation warning zone, when the hedge adds to the venue position. */
  readonly liquidationPenalty: number;
  /** When the hedge opens a leg on a flat venue. */
  readonly fragmentationPenalty: number;
  /** Funding the resulting position earns (subtracted). */
  readonly fundingBenefit: number;
  /** Selling a rich venue / buying a cheap one relative to fair value (subtracted). */
  readonly basisEdge: number;
  /** execution + fee + slippage + liquidationPenalty + fragmentationPenalty − fundingBenefit − basisEdge. */
  readonly total: number;
}

/** One venue the allocator could hedge on. */
export interface HedgeCandidate {
  readonly venueId: VenueId;
  readonly venueIndex: number;
  readonly side: Side;
  /** The most this venue may take this step, in base units. */
  readonly capacity: number;
  readonly cost: HedgeCostBreakdown;
}

/** An immediate-or-cancel hedge order with a guard price. */
export interface HedgeOrder {
  readonly venueId: VenueId;
  readonly venueIndex: number;
  readonly side: Side;
  readonly size: number;
  /** Exact size string on the venue's size grid. */
  readonly sizeText: string;
  /** The guard (limit) price: at most guardBps through the touch, on the tick grid. */
  readonly limitPrice: number;
  readonly limitPriceText: string;
  /** The candidate's total cost per unit, in USD. */
  readonly costPerUnit: number;
}

/** Why a hedge step produced no orders, when it did not. */
export type HedgeIdleReason = 'halted' | 'no-fair-value' | 'inside-deadband' | 'no-eligible-venue';

/** The outcome of one hedge step. */
export interface HedgeAllocation {
  /** The global position q, in base units. */
  readonly qGlobal: number;
  /** The vol-scaled deadband half-width, in base units. */
  readonly band: number;
  /** The signed global step wanted (negative: sell), |step| ≤ maxStep; 0 inside the band. */
  readonly desiredStep: number;
  /** The orders, in allocation (cost) order. Σ size ≤ |desiredStep|. */
  readonly orders: readonly HedgeOrder[];
  /** Every candidate considered, in allocation order. */
  readonly candidates: readonly HedgeCandidate[];
  /** Venues not considered and why. */
  readonly skipped: readonly { readonly venueId: VenueId; readonly reason: VenueSkipReason }[];
  readonly idleReason: HedgeIdleReason | null;
}
