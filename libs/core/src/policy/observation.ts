import { canonicalJson, digestOf, type Digest } from '../canonical';
import { type KillReason, type RiskRegime } from '../risk';
import { markToMarketPnl, type RunnerState, stateInventory } from '../runner/runner-state';
import { type TimeUs, type VenueId } from '../types';

/** The observation schema version; bump it on any change of fields or meaning. */
export const OBS_VERSION = 1 as const;

/** What a policy sees of one venue. Prices are null when the venue has no book. */
export interface VenueObservation {
  readonly venue: VenueId;
  readonly up: boolean;
  readonly bestBid: number | null;
  readonly bestAsk: number | null;
  readonly mid: number | null;
  /** (ask − bid) / mid, in basis points. */
  readonly spreadBps: number | null;
  readonly bidDepth: number;
  readonly askDepth: number;
  /** now − book time, in microseconds. */
  readonly bookAgeUs: number | null;
  /** (mid − fair value) / fair value, in basis points. */
  readonly basisBps: number | null;
  readonly fundingRate: number;
  readonly markPrice: number | null;
  readonly indexPrice: number | null;
  readonly positionQty: number;
  readonly avgEntryPrice: number;
  /** Our open orders on the venue (any status). */
  readonly openOrders: number;
}

/** The versioned observation: a flat, canonical-serialisable view of the runner state. */
export interface Observation {
  readonly version: typeof OBS_VERSION;
  readonly timeUs: TimeUs;
  readonly step: number;
  readonly fairValue: number | null;
  readonly fvAvailable: boolean;
  readonly sigmaEff: number;
  readonly healthyVenueCount: number;
  readonly regime: RiskRegime;
  readonly killSwitch: boolean;
  readonly killReason: KillReason | 'OperatorKill';
  readonly globalInventory: number;
  readonly dollarDeltaUsd: number;
  readonly dailyPnlUsd: number;
  readonly venues: readonly VenueObservation[];
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** Returns the observation of `state`. Deterministic: the same state gives the same observation. */
export function buildObservation(state: RunnerState): Observation {
  const S = state.fv.fairValue;
  const q = stateInventory(state);
  const venues = state.venues.map((v, i): VenueObservation => {
    const b = state.books[i] ?? null;
    const mid = b === null ? null : (b.bestBid + b.bestAsk) / 2;
    let openOrders = 0;
    for (const o of state.orders) if (o.venueIndex === i) openOrders += 1;
    return {
      venue: v.venue,
      up: v.up,
      bestBid: b?.bestBid ?? null,
      bestAsk: b?.bestAsk ?? null,
      mid,
      spreadBps: b === null || mid === null ? null : ((b.bestAsk - b.bestBid) / mid) * 1e4,
      bidDepth: b?.bidDepth ?? 0,
      askDepth: b?.askDepth ?? 0,
      bookAgeUs: b === null ? null : state.nowUs - b.timestampUs,
      basisBps: mid === null || S === null ? null : finiteOrNull(((mid - S) / S) * 1e4),
      fundingRate: v.fundingRate,
      markPrice: v.markPrice,
      indexPrice: v.indexPrice,
      positionQty: v.positionQty,
      avgEntryPrice: v.avgEntryPrice,
      openOrders,
    };
  });
  return {
    version: OBS_VERSION,
    timeUs: state.nowUs,
    step: state.steps,
    fairValue: finiteOrNull(S),
    fvAvailable: state.fv.fvAvailable,
    sigmaEff: state.fv.sigmaEff,
    healthyVenueCount: state.fv.healthyVenueCount,
    regime: state.risk.regime,
    killSwitch: state.risk.killSwitch || state.operatorKill,
    killReason: state.killReason,
    globalInventory: q,
    dollarDeltaUsd: S === null ? 0 : q * S,
    dailyPnlUsd: markToMarketPnl(state),
    venues,
  };
}

/** Returns the canonical JSON of an observation (byte-stable across runs and machines). */
export function serializeObservation(observation: Observation): string {
  return canonicalJson(observation);
}

/** Returns the SHA-256 of the canonical observation. */
export function observationDigest(observation: Observation): Digest {
  return digestOf(observation);
}
