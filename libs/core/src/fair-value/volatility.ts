import { type VolatilityConfig } from '../config';

/** The multipliers the quoting and hedge models take from the effective volatility. */
export interface VolScalars {
  /** sigma_eff / volRef clipped to [volRatioMin, volRatioMax]. */
  readonly volRatio: number;
  /** Multiplies the quote half-spread: max(1, volRatio). */
  readonly spreadMult: number;
  /** Multiplies the quote size: min(1, 1 / volRatio). */
  readonly sizeMult: number;
  /** Multiplies the hedge deadband: max(1, volRatio). */
  readonly bandMult: number;
}

const LN2 = Math.LN2;

/**
 * Returns the next EWMA variance rate (per second) of log fair-value returns after a return
 * `logReturn` over `dtSec` seconds, with half-life `halfLifeSec`. For dt > 0 it is
 * (1 − a)·var + (a / dt)·r² with a = 1 − exp(−ln2·dt / halfLife); at dt = 0 it is the limit
 * var + r²·ln2 / halfLife, so back-to-back updates at one timestamp are handled without a division by zero.
 */
export function ewmaVarianceRate(variance: number, logReturn: number, dtSec: number, halfLifeSec: number): number {
  const r2 = logReturn * logReturn;
  if (dtSec <= 0) return variance + (r2 * LN2) / halfLifeSec;
  const a = 1 - Math.exp((-LN2 * dtSec) / halfLifeSec);
  return (1 - a) * variance + (a / dtSec) * r2;
}

/** Returns sigma_eff = max(sigmaShort, sigmaMin): the floored volatility every model uses. */
export function effectiveSigma(sigmaShort: number, sigmaMin: number): number {
  return sigmaShort > sigmaMin ? sigmaShort : sigmaMin;
}

/** Returns the vol scalars computed from `sigmaEff` (never from the raw, unfloored volatility). */
export function computeVolScalars(cfg: VolatilityConfig, sigmaEff: number): VolScalars {
  let volRatio = sigmaEff / cfg.volRef;
  if (volRatio < cfg.volRatioMin) volRatio = cfg.volRatioMin;
  if (volRatio > cfg.volRatioMax) volRatio = cfg.volRatioMax;
  return {
    volRatio,
    spreadMult: volRatio > 1 ? volRatio : 1,
    sizeMult: volRatio > 1 ? 1 / volRatio : 1,
    bandMult: volRatio > 1 ? volRatio : 1,
  };
}
