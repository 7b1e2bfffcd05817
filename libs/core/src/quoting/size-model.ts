import { type GridValue, roundSizeDown, type StrategyConfig, type VenueConfig } from '../config';
import { type RiskRegime } from '../risk/risk-regime';
import { type Side } from '../types';

/** The inputs of the size of one quote side. */
export interface QuoteSizeInput {
  readonly side: Side;
  /** The (rounded) quote price. */
  readonly price: number;
  /** Fair value S. */
  readonly S: number;
  readonly regime: RiskRegime;
  /** The vol size multiplier. */
  readonly sizeMult: number;
  /** The global position, in base units. */
  readonly qGlobal: number;
  /** The venue position, in base units. */
  readonly qVenue: number;
  /** The venue's margin available, in USD. */
  readonly marginAvailableUsd: number;
  /** The venue's liquidation distance, in sigmas. */
  readonly distLiqSigma: number;
}

function increases(side: Side, position: number): boolean {
  return position === 0 || (side === 'buy') === position > 0;
}

/**
 * Returns the unrounded size of a quote side: baseOrderSize·sizeMult, capped by maxOrderSize,
 * by margin (marginAvailable·marginUsageFraction·maxLeverage / price), by the room left under
 * the delta limit ((deltaLimit − |q·S|) / S) when the side increases |q_global|, by warningSizeCap
 * in Warning; and shrunk linearly by (dist − liqCrit)/(liqWarn − liqCrit) inside the liquidation
 * warning zone when the side increases |q_v|.
 */
export function rawQuoteSize(cfg: StrategyConfig, venue: VenueConfig, input: QuoteSizeInput): number {
  const q = cfg.quoting;
  let size = q.baseOrderSize * input.sizeMult;
  if (size > venue.maxOrderSize) size = venue.maxOrderSize;
  const marginCap = (Math.max(0, input.marginAvailableUsd) * q.marginUsageFraction * q.maxLeverage) / input.price;
  if (size > marginCap) size = marginCap;
  if (increases(input.side, input.qGlobal)) {
    const room = (cfg.risk.deltaLimitUsd - Math.abs(input.qGlobal * input.S)) / input.S;
    if (size > room) size = room;
  }
  if (increases(input.side, input.qVenue) && input.distLiqSigma < cfg.risk.liqWarnSigma) {
    const f = (input.distLiqSigma - cfg.risk.liqCritSigma) / (cfg.risk.liqWarnSigma - cfg.risk.liqCritSigma);
    size *= f > 0 ? f : 0;
  }
  if (input.regime === 'Warning' && size > q.warningSizeCap) size = q.warningSizeCap;
  return size > 0 ? size : 0;
}

/**
 * Returns the quote size rounded down to the venue's size step, or null when it is below the
 * lot size or its notional (size × price) is below the venue minimum.
 */
export function quoteSize(cfg: StrategyConfig, venue: VenueConfig, input: QuoteSizeInput): GridValue | null {
  const raw = rawQuoteSize(cfg, venue, input);
  if (raw < venue.lotSize) return null;
  const g = roundSizeDown(raw, venue.sizeStep);
  if (g.value < venue.lotSize || g.value * input.price < venue.minNotionalUsd) return null;
  return g;
}
