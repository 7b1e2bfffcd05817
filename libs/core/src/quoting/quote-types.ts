import { gridText, type GridValue } from '../config/venue-grid';
import { type VolScalars } from '../fair-value/volatility';
import { type RiskView } from '../risk/risk-regime';
import { type VenueSkipReason } from '../risk/venue-snapshot';
import { type Side, type TimeUs, type VenueId } from '../types';

/** The global inputs of one quoting pass. */
export interface QuoteContext {
  /** Fair value S (from the filter); null when none exists yet. */
  readonly fairValue: number | null;
  /** False when the filter had too few healthy venues: no quotes then. */
  readonly fvAvailable: boolean;
  /** The floored volatility sigma_eff, per √second (relative, so the price volatility is sigma_eff·S). */
  readonly sigmaEff: number;
  /** Scalars derived from sigma_eff. */
  readonly volScalars: VolScalars;
  readonly risk: RiskView;
  readonly nowUs: TimeUs;
}

/** A venue's inventory target and the weights it came from. */
export interface VenueInventoryTarget {
  readonly venueId: VenueId;
  /** depth_v / Σ depth over venues with a valid book (0 without one). */
  readonly wLiq: number;
  /** clip(−funding_v / fundingTargetRef, −1, 1): positive funding tilts the target short. */
  readonly wFund: number;
  /** q_target_v = wLiq·q_global + fundingTargetQty·wFund, in base units. */
  readonly qTarget: number;
}

/** One side of a quote, on the venue grid. */
export interface QuoteLevel {
  readonly side: Side;
  /** The price as a float (model use). */
  readonly price: number;
  /** The exact price string (a multiple of the tick size). */
  readonly priceText: string;
  /** The size as a float (model use). */
  readonly size: number;
  /** The exact size string (a multiple of the size step). */
  readonly sizeText: string;
}

/**
 * A quote side computed on the hot path: the grid values as integer steps and floats; the exact
 * texts are produced only when read (when an order is placed or replaced), since most desired
 * quotes are kept, not sent. Immutable; the texts are getters, so they are not own properties.
 */
export class GridQuoteLevel implements QuoteLevel {
  /** Returns a level from integer grid steps and their floats. */
  constructor(
    readonly side: Side,
    readonly price: number,
    readonly size: number,
    /** The price as an integer number of ticks. */
    readonly priceSteps: number,
    /** The size as an integer number of size steps. */
    readonly sizeSteps: number,
    /** The tick size the price steps count. */
    readonly tickSize: number,
    /** The size step the size steps count. */
    readonly sizeStep: number,
  ) {}

  /** Returns the exact price text (priceSteps × tickSize). */
  get priceText(): string {
    return gridText(this.priceSteps, this.tickSize);
  }

  /** Returns the exact size text (sizeSteps × sizeStep). */
  get sizeText(): string {
    return gridText(this.sizeSteps, this.sizeStep);
  }
}

/** Returns the exact (price, size) texts of a quote level, as sent to the venue. */
export function quoteLevelText(level: QuoteLevel): { readonly price: string; readonly size: string } {
  return { price: level.priceText, size: level.sizeText };
}

/** The model inputs and intermediate values behind a quote, kept for the audit trail. */
export interface QuoteModelInputs {
  /** Fair value S. */
  readonly S: number;
  /** Venue basis: venue mid − S. */
  readonly basis: number;
  /** Venue 8h funding rate. */
  readonly funding: number;
  readonly sigmaEff: number;
  readonly gamma: number;
  readonly k: number;
  /** Horizon τ, in seconds. */
  readonly tau: number;
  /** Global inventory q, in base units. */
  readonly q: number;
  /** The venue position q_v. */
  readonly qVenue: number;
  /** The venue target q_target_v. */
  readonly qTarget: number;
  /** The inventory deviation the skew uses: q + λ_inv·(q_v − q_target_v). */
  readonly inventoryDeviation: number;
  /** Reservation price r. */
  readonly r: number;
  /** The raw Avellaneda–Stoikov half-spread δ* = (1/γ)·ln(1 + γ/k). */
  readonly deltaStar: number;
  /** The half-spread used (after vol scaling, the floor and the Warning multiplier). */
  readonly delta: number;
  /** The global dollar delta q·S, in USD. */
  readonly dollarDeltaUsd: number;
}

/** Why a venue (or a whole pass) produced no quotes. */
export type QuoteSkipReason = VenueSkipReason | 'halted' | 'no-fair-value' | 'extreme-delta';

/** The desired quotes on one venue. */
export interface VenueQuote {
  readonly venueId: VenueId;
  readonly venueIndex: number;
  /** The bid, or null (skipped venue, risk-increasing side beyond the delta threshold, or size below the lot). */
  readonly bid: QuoteLevel | null;
  readonly ask: QuoteLevel | null;
  /** Why the venue has no quotes at all, or null. */
  readonly skipReason: QuoteSkipReason | null;
  /** The model values behind the quotes; null when the venue was skipped before the model ran. */
  readonly model: QuoteModelInputs | null;
}

/** A live resting order of ours, as the order manager sees it. */
export interface LiveQuoteOrder {
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** When it was placed (or last replaced). */
  readonly placedAtUs: TimeUs;
}

/** What to do with one side of one venue. */
export type OrderActionKind = 'none' | 'keep' | 'place' | 'cancel' | 'replace';

/** The order manager's decision and its reason. */
export interface OrderDecision {
  readonly action: OrderActionKind;
  readonly reason: 'nothing-wanted' | 'no-desired-quote' | 'no-live-order' | 'live-order-not-passive' | 'live-order-at-touch' | 'min-lifetime' | 'price-moved' | 'size-changed' | 'within-tolerance';
}

/** Returns a grid value as the (price|size, text) pair of a quote level. */
export function quoteLevel(side: Side, price: GridValue, size: GridValue): QuoteLevel {
  return { side, price: price.value, priceText: price.text, size: size.value, sizeText: size.text };
}
