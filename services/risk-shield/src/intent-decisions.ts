import { type IntentKind, type RiskDenialReason, type RiskOutcome, type StrategyIntent } from '@fleet/contracts';
import { ExactDecimal, parseDecimal, type RiskState, type StrategyConfig, toDecimal } from '@fleet/core';

/**
 * The reason a hedge is denied when an exit of the same instrument was approved in the same
 * tick (the runner hedges only when no exit was needed).
 */
export const SUPERSEDED_BY_EXIT: RiskDenialReason = 'SUPERSEDED';

/** The reason a cancel naming no order is denied. */
export const CANCEL_WITHOUT_TARGET: RiskDenialReason = 'INVALID_INTENT';

/** The rank of each producer kind in the decision order: exits, then hedges, then quotes. */
const KIND_RANK: Readonly<Record<IntentKind, number>> = { EXIT: 0, HEDGE: 1, MM: 2 };

/** What the decisions of one instrument in one tick are taken against. */
export interface RiskPosture {
  readonly strategy: StrategyConfig;
  /** The risk state evaluated in this tick. */
  readonly risk: RiskState;
  /** The filled global position Σ q_v, base units. */
  readonly netQuantity: ExactDecimal;
  readonly fairValue: number | null;
  readonly fairValueAvailable: boolean;
}

/** The verdict on one intent. */
export interface IntentVerdict {
  readonly intent: StrategyIntent;
  readonly outcome: RiskOutcome;
  /** Null when approved. */
  readonly reason: RiskDenialReason | null;
}

/** The new orders approved so far in the tick: their buy and sell sizes, and whether one was an exit. */
interface Approved {
  readonly buys: ExactDecimal;
  readonly sells: ExactDecimal;
  readonly exit: boolean;
}

function positive(value: string): ExactDecimal | null {
  const parsed = parseDecimal(value).value;
  return parsed !== undefined && parsed.gt(0) ? parsed : null;
}

function cancelDenial(p: RiskPosture, intent: StrategyIntent): RiskDenialReason | null {
  if (p.risk.killSwitch) return 'KILL_SWITCH';
  if (!p.strategy.venues.some((v) => v.venueId === intent.venue)) return 'UNKNOWN_VENUE';
  if (intent.targetClientOrderId === null || intent.targetClientOrderId === '') return CANCEL_WITHOUT_TARGET;
  return null;
}

function exposureDenial(p: RiskPosture, approved: Approved, intent: StrategyIntent, size: ExactDecimal): RiskDenialReason | null {
  const buy = intent.side === 'BUY';
  const before = buy ? p.netQuantity.plus(approved.buys) : p.netQuantity.minus(approved.sells);
  const after = buy ? before.plus(size) : before.minus(size);
  if (!after.abs().gt(before.abs())) return null;
  const S = p.fairValue;
  if (!p.fairValueAvailable || S === null || !(S > 0)) return 'FAIR_VALUE_UNAVAILABLE';
  const fair = toDecimal(S);
  const limit = toDecimal(p.strategy.risk.deltaLimitUsd);
  if (p.netQuantity.times(fair).abs().gte(limit.times(toDecimal(p.strategy.quoting.riskReducingOnlyDeltaFraction)))) return 'NOT_RISK_REDUCING';
  if (after.times(fair).abs().gte(limit)) return 'DELTA_LIMIT';
  return null;
}

function placeDenial(p: RiskPosture, approved: Approved, intent: StrategyIntent): RiskDenialReason | null {
  if (p.risk.killSwitch) return 'KILL_SWITCH';
  if (p.risk.regime === 'HardLimit') return 'HARD_LIMIT';
  const venue = p.strategy.venues.find((v) => v.venueId === intent.venue);
  if (venue === undefined) return 'UNKNOWN_VENUE';
  const size = positive(intent.size);
  if (size === null || size.gt(toDecimal(venue.maxOrderSize))) return 'ORDER_SIZE_LIMIT';
  if (positive(intent.price) === null || (intent.guardPrice !== null && positive(intent.guardPrice) === null)) return 'PRICE_BAND';
  if (intent.kind === 'HEDGE' && approved.exit) return SUPERSEDED_BY_EXIT;
  return exposureDenial(p, approved, intent, size);
}

/**
 * Decides every intent of one instrument in one tick, in the canonical order: exit intents
 * first, then hedge, then quoting (MM); within a kind, in the order given (the tick's offset
 * order). Returns the verdicts in that order.
 *
 * A cancel is approved unless the kill switch is latched, its venue is unknown or it names no order.
 * A new order is denied, checked in this order: kill switch latched (KILL_SWITCH); HardLimit
 * regime (HARD_LIMIT); unknown venue (UNKNOWN_VENUE); size not positive or above the venue's
 * maxOrderSize (ORDER_SIZE_LIMIT); price or guard price not positive (PRICE_BAND); a hedge
 * after an approved exit ({@link SUPERSEDED_BY_EXIT}). Then, only when it increases |position|
 * counted with the orders of its side already approved in the tick (the worst case: they all
 * fill): without an available fair value (FAIR_VALUE_UNAVAILABLE); while the filled dollar
 * delta is at or beyond riskReducingOnlyDeltaFraction of the delta limit, the reduce-only
 * zone the quoting model also respects (NOT_RISK_REDUCING); when the position after it would
 * be at or beyond the delta limit in dollars, the kill threshold (DELTA_LIMIT). A risk-reducing
 * order passes these exposure checks in every regime short of HardLimit.
 */
export function decideIntents(p: RiskPosture, intents: readonly StrategyIntent[]): IntentVerdict[] {
  const ordered = intents.map((intent, i) => ({ intent, i })).sort((a, b) => KIND_RANK[a.intent.kind] - KIND_RANK[b.intent.kind] || a.i - b.i);
  let approved: Approved = { buys: new ExactDecimal(0), sells: new ExactDecimal(0), exit: false };
  return ordered.map(({ intent }) => {
    const reason = intent.action === 'CANCEL' ? cancelDenial(p, intent) : placeDenial(p, approved, intent);
    if (reason === null && intent.action === 'PLACE') {
      const size = toDecimal(intent.size);
      approved = {
        buys: intent.side === 'BUY' ? approved.buys.plus(size) : approved.buys,
        sells: intent.side === 'SELL' ? approved.sells.plus(size) : approved.sells,
        exit: approved.exit || intent.kind === 'EXIT',
      };
    }
    return { intent, outcome: reason === null ? 'APPROVED' : 'DENIED', reason };
  });
}
