import { digestOf, type Digest } from '../canonical';
import { type DecimalInput, decimalText, toDecimal } from '../money';
import type { VenueId } from '../types';

/** The promotion gate a strategy has passed; G3 and above may ask for capital. */
export type GateLevel = 'G0' | 'G1' | 'G2' | 'G3' | 'G4';

/** Eligible: may be bound to a bucket. Conditional: passed every hard check, failed a soft one. */
export type EligibilityStatus = 'eligible' | 'conditional' | 'ineligible';

/** Why a strategy is not (fully) eligible. */
export type EligibilityReason =
  | 'GateBelowG3'
  | 'NoPaperEvidence'
  | 'PromotionRejected'
  | 'DrawdownBreach'
  | 'AlphaBelowThreshold'
  | 'InsufficientPaperTrades'
  | 'WinRateBelowThreshold'
  | 'SoftPaperTradesShortfall'
  | 'SoftDrawdownWarning';

/** What a paper session proved about a strategy. Fractions are decimals, for example `0.55`. */
export interface PaperEvidence {
  readonly trades: number;
  readonly winRate: DecimalInput;
  /** The worst peak-to-trough loss, as a fraction of capital (positive). */
  readonly maxDrawdown: DecimalInput;
  readonly alphaScore: DecimalInput;
  readonly sessionDigest: Digest;
}

/** What the promotion step decided. */
export interface PromotionOutcome {
  readonly accepted: boolean;
  readonly decisionDigest: Digest;
}

/** The input of an eligibility decision. */
export interface EligibilityRequest {
  readonly strategyId: string;
  readonly gate: GateLevel;
  readonly promotion?: PromotionOutcome;
  readonly paperEvidence?: PaperEvidence;
  /** The venues the strategy was proven on and asks to trade. */
  readonly venues: readonly VenueId[];
}

/** Thresholds: hard checks make a strategy ineligible, soft checks only conditional. */
export interface EligibilityPolicy {
  readonly name: string;
  readonly minPaperTrades: number;
  readonly minWinRate: string;
  readonly maxDrawdown: string;
  readonly minAlphaScore: string;
  /** Below this many trades (but above the hard minimum) the strategy is only conditional. */
  readonly softMinPaperTrades: number;
  /** Above this drawdown (but within the hard maximum) the strategy is only conditional. */
  readonly softMaxDrawdown: string;
}

/** The preset policies: `default`, `strict` and `lenient`. */
export const ELIGIBILITY_PRESETS: Readonly<Record<'default' | 'strict' | 'lenient', EligibilityPolicy>> = {
  default: { name: 'default', minPaperTrades: 50, minWinRate: '0.45', maxDrawdown: '0.15', minAlphaScore: '0.5', softMinPaperTrades: 100, softMaxDrawdown: '0.10' },
  strict: { name: 'strict', minPaperTrades: 200, minWinRate: '0.50', maxDrawdown: '0.08', minAlphaScore: '1', softMinPaperTrades: 400, softMaxDrawdown: '0.05' },
  lenient: { name: 'lenient', minPaperTrades: 20, minWinRate: '0.40', maxDrawdown: '0.25', minAlphaScore: '0.2', softMinPaperTrades: 20, softMaxDrawdown: '0.25' },
};

/** One check of an eligibility decision. */
export interface EligibilityCheck {
  readonly name: EligibilityReason;
  readonly hard: boolean;
  readonly passed: boolean;
  readonly detail: string;
}

/** The audit artifact of an eligibility decision, with its digest. */
export interface EligibilityDecision {
  readonly strategyId: string;
  readonly status: EligibilityStatus;
  readonly venues: readonly VenueId[];
  readonly policyName: string;
  readonly checks: readonly EligibilityCheck[];
  /** The failed checks, hard ones first, in check order. */
  readonly reasons: readonly EligibilityReason[];
  readonly promotionDigest?: Digest;
  readonly evidenceDigest?: Digest;
  readonly digest: Digest;
}

const GATE_RANK: Readonly<Record<GateLevel, number>> = { G0: 0, G1: 1, G2: 2, G3: 3, G4: 4 };

/**
 * Returns whether a strategy may touch capital: no G3 → ineligible; no paper evidence →
 * ineligible; promotion rejected → ineligible; drawdown, alpha, trade count and win rate
 * thresholds are hard; the soft thresholds only make it conditional.
 */
export function decideEligibility(request: EligibilityRequest, policy: EligibilityPolicy = ELIGIBILITY_PRESETS.default): EligibilityDecision {
  const checks: EligibilityCheck[] = [];
  const check = (name: EligibilityReason, hard: boolean, passed: boolean, detail: string): void => {
    checks.push({ name, hard, passed, detail });
  };
  check('GateBelowG3', true, GATE_RANK[request.gate] >= GATE_RANK.G3, `gate ${request.gate}, G3 required`);
  check('PromotionRejected', true, request.promotion?.accepted === true, request.promotion === undefined ? 'no promotion decision' : `promotion accepted: ${String(request.promotion.accepted)}`);
  const ev = request.paperEvidence;
  check('NoPaperEvidence', true, ev !== undefined, ev === undefined ? 'no paper evidence' : `paper session ${ev.sessionDigest}`);
  if (ev !== undefined) {
    const dd = toDecimal(ev.maxDrawdown, 'maxDrawdown');
    const wr = toDecimal(ev.winRate, 'winRate');
    const alpha = toDecimal(ev.alphaScore, 'alphaScore');
    check('DrawdownBreach', true, dd.lte(policy.maxDrawdown), `drawdown ${decimalText(dd)}, maximum ${policy.maxDrawdown}`);
    check('AlphaBelowThreshold', true, alpha.gte(policy.minAlphaScore), `alpha ${decimalText(alpha)}, minimum ${policy.minAlphaScore}`);
    check('InsufficientPaperTrades', true, ev.trades >= policy.minPaperTrades, `trades ${ev.trades}, minimum ${policy.minPaperTrades}`);
    check('WinRateBelowThreshold', true, wr.gte(policy.minWinRate), `win rate ${decimalText(wr)}, minimum ${policy.minWinRate}`);
    check('SoftPaperTradesShortfall', false, ev.trades >= policy.softMinPaperTrades, `trades ${ev.trades}, preferred ${policy.softMinPaperTrades}`);
    check('SoftDrawdownWarning', false, dd.lte(policy.softMaxDrawdown), `drawdown ${decimalText(dd)}, preferred at most ${policy.softMaxDrawdown}`);
  }
  const hardFailed = checks.filter((c) => c.hard && !c.passed).map((c) => c.name);
  const softFailed = checks.filter((c) => !c.hard && !c.passed).map((c) => c.name);
  const status: EligibilityStatus = hardFailed.length > 0 ? 'ineligible' : softFailed.length > 0 ? 'conditional' : 'eligible';
  const body = {
    strategyId: request.strategyId,
    status,
    venues: [...request.venues].sort(),
    policyName: policy.name,
    checks,
    reasons: [...hardFailed, ...softFailed],
    promotionDigest: request.promotion?.decisionDigest,
    evidenceDigest:
      ev === undefined
        ? undefined
        : digestOf({
            trades: ev.trades,
            winRate: decimalText(toDecimal(ev.winRate)),
            maxDrawdown: decimalText(toDecimal(ev.maxDrawdown)),
            alphaScore: decimalText(toDecimal(ev.alphaScore)),
            sessionDigest: ev.sessionDigest,
          }),
  };
  return { ...body, digest: digestOf(body) };
}
