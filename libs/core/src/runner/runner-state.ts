import { initialFairValueState, type FairValueState, type VenueBookTop } from '../fair-value';
import { createPortfolio, type Portfolio } from '../portfolio';
import { initialRiskState, type KillReason, type RiskState } from '../risk';
import { type Side, type TimeUs, type VenueId } from '../types';
import { type OrderPurpose } from './actions';
import { type RunnerConfig } from './runner-config';

/** One of our orders as the runner knows it. */
export interface WorkingOrder {
  readonly clientOrderId: string;
  readonly venueIndex: number;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** The size not yet filled. */
  readonly remaining: number;
  readonly purpose: OrderPurpose;
  /** pending: sent, not acknowledged; live: resting; cancelling: cancel sent. */
  readonly status: 'pending' | 'live' | 'cancelling';
  readonly placedUs: TimeUs;
}

/** What the runner knows about one venue. Floats here are model inputs; the exact books are in `portfolio`. */
export interface VenueView {
  readonly venue: VenueId;
  readonly up: boolean;
  readonly markPrice: number | null;
  readonly indexPrice: number | null;
  readonly fundingRate: number;
  /** The signed position, in base units (from the exact portfolio). */
  readonly positionQty: number;
  /** The average entry price of the position (0 when flat). */
  readonly avgEntryPrice: number;
  /** Realised PnL − fees + funding, in USD (from the exact portfolio). */
  readonly bookedPnl: number;
}

/** Counters for the session summary. */
export interface RunnerStats {
  readonly quotes: number;
  readonly cancels: number;
  readonly fills: number;
  readonly makerFills: number;
  readonly takerFills: number;
  readonly hedges: number;
  readonly exits: number;
  readonly rejects: number;
}

/** The runner's whole state. Immutable: `step` returns a new one and never changes its input. */
export interface RunnerState {
  readonly config: RunnerConfig;
  readonly nowUs: TimeUs;
  /** How many events have been stepped. */
  readonly steps: number;
  /** The sequence of the next order intent (goes into client order ids). */
  readonly orderSeq: number;
  /** The latest book top of each venue, in config order (null when none or the venue is down). */
  readonly books: readonly (VenueBookTop | null)[];
  readonly venues: readonly VenueView[];
  readonly fv: FairValueState;
  readonly risk: RiskState;
  /** True after an operator kill (the risk model's reasons are breaches only). */
  readonly operatorKill: boolean;
  /** Why the kill switch is on: the FIRST latch, a risk breach or `OperatorKill`; `None` while off. */
  readonly killReason: KillReason | 'OperatorKill';
  /** When the kill switch latched, or null while off. */
  readonly killedAtUs: TimeUs | null;
  readonly quotingPaused: boolean;
  /** The exact positions and PnL (owner: capital/portfolio). */
  readonly portfolio: Portfolio;
  readonly orders: readonly WorkingOrder[];
  readonly stats: RunnerStats;
}

/** Returns the state before any event at `startUs`. */
export function initialRunnerState(config: RunnerConfig, startUs: TimeUs): RunnerState {
  const venues = config.strategy.venues.map((v) => ({ venue: v.venueId, up: true, markPrice: null, indexPrice: null, fundingRate: 0, positionQty: 0, avgEntryPrice: 0, bookedPnl: 0 }));
  return {
    config,
    nowUs: startUs,
    steps: 0,
    orderSeq: 0,
    books: venues.map(() => null),
    venues,
    fv: initialFairValueState(config.strategy),
    risk: initialRiskState(),
    operatorKill: false,
    killReason: 'None',
    killedAtUs: null,
    quotingPaused: false,
    portfolio: createPortfolio(config.currency),
    orders: [],
    stats: { quotes: 0, cancels: 0, fills: 0, makerFills: 0, takerFills: 0, hedges: 0, exits: 0, rejects: 0 },
  };
}

/** Returns true when the runner may not open risk: kill switch (risk or operator) or HardLimit. */
export function isHalted(state: RunnerState): boolean {
  return state.operatorKill || state.risk.killSwitch || state.risk.regime === 'HardLimit';
}

/** Returns the global position Σ q_v, in base units. */
export function stateInventory(state: RunnerState): number {
  let q = 0;
  for (const v of state.venues) q += v.positionQty;
  return q;
}

/** Returns the mark-to-market PnL in USD (model float): booked PnL plus each position at its venue mid (or fair value). */
export function markToMarketPnl(state: RunnerState): number {
  let pnl = 0;
  for (let i = 0; i < state.venues.length; i++) {
    const v = state.venues[i]!;
    pnl += v.bookedPnl;
    if (v.positionQty !== 0) {
      const b = state.books[i];
      const px = b ? (b.bestBid + b.bestAsk) / 2 : (state.fv.fairValue ?? v.avgEntryPrice);
      pnl += v.positionQty * (px - v.avgEntryPrice);
    }
  }
  return pnl;
}
