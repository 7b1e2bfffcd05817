import { type StrategyConfig, type VenueConfig } from '../config/strategy-config';
import { type GridValue, gridSteps, gridValue, roundSizeDown } from '../config/venue-grid';
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

// Module-local bindings of the grid calls on the quoting hot path (see compute-quotes.ts).
const steps$ = gridSteps;
const value$ = gridValue;

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
  return rawQuoteSizeOf(cfg, venue, input.side, input.price, input.S, input.regime, input.sizeMult, input.qGlobal, input.qVenue, input.marginAvailableUsd, input.distLiqSigma);
}

/** `rawQuoteSize` with positional inputs (the quoting hot path builds no input object). */
export function rawQuoteSizeOf(
  cfg: StrategyConfig,
  venue: VenueConfig,
  side: Side,
  price: number,
  S: number,
  regime: RiskRegime,
  sizeMult: number,
  qGlobal: number,
  qVenue: number,
  marginAvailableUsd: number,
  distLiqSigma: number,
): number {
  const q = cfg.quoting;
  let size = q.baseOrderSize * sizeMult;
  if (size > venue.maxOrderSize) size = venue.maxOrderSize;
  const marginCap = (Math.max(0, marginAvailableUsd) * q.marginUsageFraction * q.maxLeverage) / price;
  if (size > marginCap) size = marginCap;
  if (increases(side, qGlobal)) {
    const room = (cfg.risk.deltaLimitUsd - Math.abs(qGlobal * S)) / S;
    if (size > room) size = room;
  }
  if (increases(side, qVenue) && distLiqSigma < cfg.risk.liqWarnSigma) {
    const f = (distLiqSigma - cfg.risk.liqCritSigma) / (cfg.risk.liqWarnSigma - cfg.risk.liqCritSigma);
    size *= f > 0 ? f : 0;
  }
  if (regime === 'Warning' && size > q.warningSizeCap) size = q.warningSizeCap;
  return size > 0 ? size : 0;
}

/**
 * Returns the quote size in integer size steps (rounded down), or −1 when it is below the lot
 * size or its notional (size × price) is below the venue minimum. The same decision as
 * `quoteSize`, without building the exact text.
 */
export function quoteSizeSteps(venue: VenueConfig, raw: number, price: number): number {
  if (raw < venue.lotSize) return -1;
  const steps = steps$(Math.max(0, raw), venue.sizeStep, 'down');
  const value = value$(steps, venue.sizeStep);
  if (value < venue.lotSize || value * price < venue.minNotionalUsd) return -1;
  return steps;
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
