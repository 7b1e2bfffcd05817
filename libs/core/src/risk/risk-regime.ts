import { type RiskLimitsConfig } from '../config';
import { type TimeUs } from '../types';

/** The risk regime: Normal, Warning (trade smaller and wider) or HardLimit (no new risk at all). */
export type RiskRegime = 'Normal' | 'Warning' | 'HardLimit';

/** Why the kill switch tripped. `None` while it has not. */
export type KillReason = 'None' | 'DailyLossBreach' | 'DeltaBreach' | 'BasisBreach' | 'LiquidationDistanceBreach';

/** The order in which simultaneous breaches are reported (the first one is latched). */
export const KILL_REASON_PRIORITY: readonly Exclude<KillReason, 'None'>[] = ['DailyLossBreach', 'DeltaBreach', 'BasisBreach', 'LiquidationDistanceBreach'];

/** What the quoting, hedge and exit models need to know about risk. */
export interface RiskView {
  readonly regime: RiskRegime;
  readonly killSwitch: boolean;
}

/** The risk state. Invariant: killSwitch implies regime === 'HardLimit' and killReason !== 'None'. */
export interface RiskState extends RiskView {
  /** The FIRST breach that tripped the kill switch; kept until an operator reset. */
  readonly killReason: KillReason;
  /** When the kill switch tripped, or null. */
  readonly killedAtUs: TimeUs | null;
}

/** The portfolio measurements the regime is computed from. */
export interface RiskInputs {
  /** Today's total PnL (realised + unrealised), in USD; a loss is negative. */
  readonly dailyPnlUsd: number;
  /** The portfolio dollar delta (global position × fair value), in USD. */
  readonly dollarDeltaUsd: number;
  /** The basis exposure Σ q_v·(venue mid − fair value), in USD. */
  readonly basisExposureUsd: number;
  /** The smallest liquidation distance over venues with a position, in sigmas (Infinity when flat). */
  readonly minDistLiqSigma: number;
}

/** An operator command; only it clears a latched kill switch. */
export interface OperatorResetCommand {
  readonly kind: 'operator-reset';
  /** Who reset the kill switch (kept for the audit trail). */
  readonly operatorId: string;
  /** Why it was reset. */
  readonly reason: string;
}

/** The outcome of one risk evaluation. */
export interface RiskEvaluation {
  readonly state: RiskState;
  /** Every limit breached by these inputs, in KILL_REASON_PRIORITY order. */
  readonly breaches: readonly Exclude<KillReason, 'None'>[];
  /** True when at least one metric is in its warning zone (or breached). */
  readonly warning: boolean;
}

/** Returns the state at the start of a session: Normal, kill switch off. */
export function initialRiskState(): RiskState {
  return { regime: 'Normal', killSwitch: false, killReason: 'None', killedAtUs: null };
}

/**
 * Returns true when no quote, hedge or exit may be produced: the kill switch is on or the
 * regime is HardLimit. Every model checks it first.
 */
export function isTradingHalted(risk: RiskView): boolean {
  return risk.killSwitch || risk.regime === 'HardLimit';
}

/**
 * Returns the breached limits of `inputs`, in priority order: daily loss (pnl ≤ −limit),
 * delta (|delta| ≥ limit), basis (|basis| ≥ limit), liquidation distance (≤ liqCritSigma).
 * A non-finite measurement counts as a breach (safety default).
 */
export function riskBreaches(cfg: RiskLimitsConfig, inputs: RiskInputs): readonly Exclude<KillReason, 'None'>[] {
  const out: Exclude<KillReason, 'None'>[] = [];
  if (!(inputs.dailyPnlUsd > -cfg.dailyLossLimitUsd)) out.push('DailyLossBreach');
  if (!(Math.abs(inputs.dollarDeltaUsd) < cfg.deltaLimitUsd)) out.push('DeltaBreach');
  if (!(Math.abs(inputs.basisExposureUsd) < cfg.basisLimitUsd)) out.push('BasisBreach');
  if (!(inputs.minDistLiqSigma > cfg.liqCritSigma)) out.push('LiquidationDistanceBreach');
  return out;
}

/** Returns true when any metric has reached its warning zone: warnFraction of a limit, or liqWarnSigma. */
export function riskWarning(cfg: RiskLimitsConfig, inputs: RiskInputs): boolean {
  const f = cfg.warnFraction;
  return (
    inputs.dailyPnlUsd <= -f * cfg.dailyLossLimitUsd ||
    Math.abs(inputs.dollarDeltaUsd) >= f * cfg.deltaLimitUsd ||
    Math.abs(inputs.basisExposureUsd) >= f * cfg.basisLimitUsd ||
    inputs.minDistLiqSigma <= cfg.liqWarnSigma
  );
}

/**
 * Returns the next risk state. Any breach trips the kill switch and the regime becomes
 * HardLimit; the switch latches and keeps the first KillReason whatever later inputs say.
 * Without a kill, the regime is Warning inside a warning zone and Normal otherwise.
 */
export function evaluateRisk(cfg: RiskLimitsConfig, state: RiskState, inputs: RiskInputs, nowUs: TimeUs): RiskEvaluation {
  const breaches = riskBreaches(cfg, inputs);
  const warning = breaches.length > 0 || riskWarning(cfg, inputs);
  if (state.killSwitch) return { state, breaches, warning };
  if (breaches.length > 0) {
    return { state: { regime: 'HardLimit', killSwitch: true, killReason: breaches[0], killedAtUs: nowUs }, breaches, warning };
  }
  const regime: RiskRegime = warning ? 'Warning' : 'Normal';
  const next = regime === state.regime ? state : { ...state, regime };
  return { state: next, breaches, warning };
}

/**
 * Returns the state after an explicit operator reset: kill switch off, reason None, regime
 * Normal (the next evaluation recomputes it, and re-trips the switch if a limit is still breached).
 * Throws when the command is not an operator reset or names no operator.
 */
export function resetKillSwitch(state: RiskState, command: OperatorResetCommand): RiskState {
  if (command.kind !== 'operator-reset') throw new TypeError(`resetKillSwitch needs an operator-reset command, received kind ${JSON.stringify(command.kind)}`);
  if (typeof command.operatorId !== 'string' || command.operatorId.length === 0) {
    throw new TypeError(`resetKillSwitch needs a non-empty operatorId, received ${JSON.stringify(command.operatorId)}`);
  }
  if (!state.killSwitch && state.regime !== 'HardLimit') return state;
  return initialRiskState();
}
