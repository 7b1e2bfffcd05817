import {
  decimalString,
  type DecimalString,
  type FairValueState as FairValueStateEvent,
  type KillReason as KillReasonSymbol,
  type LimitKind,
  type LimitUsage,
  type RiskRegime as RiskRegimeSymbol,
  type RiskState as RiskStateEvent,
} from '@fleet/contracts';
import {
  decimalText,
  ExactDecimal,
  type KillReason,
  type Portfolio,
  Price,
  type RiskInputs,
  type RiskLimitsConfig,
  type RiskRegime,
  type RiskState,
  toDecimal,
  unrealisedPnl,
} from '@fleet/core';

/** One venue as the latest fv.state saw it: its book mid, and whether the book was valid (not crossed or non-positive). */
export interface VenueMid {
  readonly venue: string;
  readonly mid: number | null;
  readonly valid: boolean;
}

/** What risk-shield keeps of the latest fv.state of an instrument: the estimate, the venue mids and the event's identity for causation. */
export interface FairValueMark {
  readonly eventId: string;
  readonly correlationId: string;
  readonly available: boolean;
  readonly fairValue: number | null;
  readonly venues: readonly VenueMid[];
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/**
 * Returns the mark of an fv.state. A venue's book is valid unless the filter gated it DISABLED
 * (the gate of a crossed or non-positive book); a venue without a book has no mid.
 */
export function fairValueMark(fv: FairValueStateEvent): FairValueMark {
  return {
    eventId: fv.envelope.eventId,
    correlationId: fv.envelope.correlationId,
    available: fv.fvAvailable,
    fairValue: finiteOrNull(fv.fairValue),
    venues: fv.observations.map((o) => {
      const mid = finiteOrNull(o.mid);
      return { venue: o.venue, mid, valid: mid !== null && mid > 0 && o.status !== 'DISABLED' };
    }),
  };
}

/** The exact risk measurements of an instrument, and the float inputs of the core risk evaluation taken from them. */
export interface RiskMeasures {
  /** Σ q_v, base units. */
  readonly netQuantity: ExactDecimal;
  /** Realised − fees + funding + unrealised, quote currency. */
  readonly dailyPnl: ExactDecimal;
  /** Σ q_v × fair value (zero without a fair value). */
  readonly dollarDelta: ExactDecimal;
  /** Σ q_v × (mid_v − fair value) over venues with a valid book (zero without a fair value). */
  readonly basisExposure: ExactDecimal;
  readonly inputs: RiskInputs;
}

/**
 * Returns the measurements the runner's `evaluate` takes (libs/core/src/runner/step-decide.ts),
 * computed exactly: PnL marks each open venue position at its venue mid, at the fair value when
 * the venue has no book, and at its entry price (no unrealised PnL) without either; dollar delta
 * and basis exposure are zero without a fair value; the liquidation distance is Infinity (there
 * is no margin model, as in the runner).
 */
export function measureRisk(portfolio: Portfolio, mark: FairValueMark | null): RiskMeasures {
  const S = mark?.fairValue ?? null;
  const fair = S === null ? null : toDecimal(S);
  const zero = new ExactDecimal(0);
  let q = zero;
  let pnl = zero;
  let basis = zero;
  for (const p of portfolio.positions) {
    q = q.plus(p.netQuantity.value);
    pnl = pnl.plus(p.realisedPnl.value).minus(p.fees.value).plus(p.funding.value);
    if (p.netQuantity.isZero()) continue;
    const venue = mark?.venues.find((v) => v.venue === p.venue);
    const mid = venue !== undefined && venue.mid !== null && venue.mid > 0 ? venue.mid : null;
    const px = mid ?? S;
    if (px !== null && px > 0) pnl = pnl.plus(unrealisedPnl(p, Price.create(px)).value);
    if (fair !== null && venue?.valid === true && mid !== null) basis = basis.plus(p.netQuantity.value.times(toDecimal(mid).minus(fair)));
  }
  const dollarDelta = fair === null ? zero : q.times(fair);
  return {
    netQuantity: q,
    dailyPnl: pnl,
    dollarDelta,
    basisExposure: basis,
    inputs: { dailyPnlUsd: pnl.toNumber(), dollarDeltaUsd: dollarDelta.toNumber(), basisExposureUsd: basis.toNumber(), minDistLiqSigma: Infinity },
  };
}

function text(value: ExactDecimal): DecimalString {
  return decimalString(decimalText(value));
}

function usage(limit: LimitKind, value: ExactDecimal, hardLimit: number, warnFraction: number): LimitUsage {
  const hard = toDecimal(hardLimit);
  return { limit, value: text(value), warningThreshold: text(hard.times(toDecimal(warnFraction))), hardThreshold: text(hard), usageRatio: value.div(hard).toNumber() };
}

/**
 * Returns the usage of every limit risk-shield measures, in LimitKind order: the day's loss
 * (zero while in profit), |dollar delta| and |basis exposure| against their kill limits, with
 * the warning threshold at warnFraction of each. The liquidation distance, position-notional
 * and order-rate limits are not reported: the configuration has no margin model, no notional
 * limit and no rate limit to measure them against.
 */
export function limitUsages(cfg: RiskLimitsConfig, m: RiskMeasures): LimitUsage[] {
  const loss = m.dailyPnl.isNegative() ? m.dailyPnl.negated() : new ExactDecimal(0);
  return [
    usage('DAILY_LOSS', loss, cfg.dailyLossLimitUsd, cfg.warnFraction),
    usage('DELTA', m.dollarDelta.abs(), cfg.deltaLimitUsd, cfg.warnFraction),
    usage('BASIS', m.basisExposure.abs(), cfg.basisLimitUsd, cfg.warnFraction),
  ];
}

/** The contract symbol of each core regime. */
export const REGIME_SYMBOL: Readonly<Record<RiskRegime, RiskRegimeSymbol>> = { Normal: 'NORMAL', Warning: 'WARNING', HardLimit: 'HARD_LIMIT' };

/** The contract symbol of each core kill reason. */
export const KILL_REASON_SYMBOL: Readonly<Record<Exclude<KillReason, 'None'>, KillReasonSymbol>> = {
  DailyLossBreach: 'DAILY_LOSS_LIMIT',
  DeltaBreach: 'DELTA_LIMIT',
  BasisBreach: 'BASIS_LIMIT',
  LiquidationDistanceBreach: 'LIQUIDATION_DISTANCE',
};

/**
 * Returns the risk.state payload of an instrument: the evaluated regime and latch (reason and
 * time of the first breach), the limit usages, the net position and the day's PnL. `paused` is
 * false: no operator pause is applied by this handler.
 */
export function riskStatePayload(instrument: string, cfg: RiskLimitsConfig, risk: RiskState, m: RiskMeasures): Omit<RiskStateEvent, 'envelope'> {
  return {
    instrument,
    regime: REGIME_SYMBOL[risk.regime],
    killSwitch: risk.killSwitch,
    killReason: risk.killReason === 'None' ? null : KILL_REASON_SYMBOL[risk.killReason],
    killLatchedAtUs: risk.killedAtUs,
    paused: false,
    limits: limitUsages(cfg, m),
    netDelta: text(m.netQuantity),
    dailyPnl: text(m.dailyPnl),
  };
}
