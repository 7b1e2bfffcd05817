import { type StrategyConfig } from '../config';
import { type TimeUs } from '../types';
import { type FairValueState } from './fair-value-state';
import { bookMid, isBookStale, isBookValid, type VenueBookTop } from './market-data';
import { effectiveSigma, ewmaVarianceRate } from './volatility';

// Module-local bindings of the per-venue calls: compiled to CommonJS (tsc, tsx) every call of an
// imported function reads it through the exporting module's `exports`, which costs more than
// these small functions on the per-book-update path.
const mid$ = bookMid;
const valid$ = isBookValid;
const stale$ = isBookStale;

/** Why a venue's book was or was not used by the fair-value filter. */
export type VenueGate = 'healthy' | 'missing' | 'invalid' | 'stale' | 'outlier';

/**
 * Returns how the filter treats `book` at `nowUs` against the current estimate
 * `fairValue` (null: no estimate yet, so no outlier test): missing, invalid (crossed or
 * non-positive), stale (older than staleBookMaxAgeUs), outlier (mid further than
 * outlierMaxBps from the estimate) or healthy.
 */
export function gateVenueBook(cfg: StrategyConfig, book: VenueBookTop | null | undefined, fairValue: number | null, nowUs: TimeUs): VenueGate {
  if (book === null || book === undefined) return 'missing';
  if (!valid$(book)) return 'invalid';
  if (stale$(book, nowUs, cfg.fairValue.staleBookMaxAgeUs)) return 'stale';
  if (fairValue !== null) {
    const bps = (Math.abs(mid$(book) - fairValue) / fairValue) * 1e4;
    if (bps > cfg.fairValue.outlierMaxBps) return 'outlier';
  }
  return 'healthy';
}

/** Returns the measurement noise variance of a venue mid: base + w·(half-spread)². */
export function measurementNoise(cfg: StrategyConfig, book: VenueBookTop): number {
  const half = (book.bestAsk - book.bestBid) / 2;
  return cfg.fairValue.measurementNoiseBase + cfg.fairValue.measurementNoiseSpreadWeight * half * half;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  return n % 2 === 1 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/**
 * Anchors a first estimate (or re-anchors a stuck one) on the median of fresh mids when at
 * least minHealthyVenues of them agree within outlierMaxBps of that median. Returns the
 * anchor and the mask of agreeing venues, or null. Rare path: it allocates.
 */
function consensusAnchor(cfg: StrategyConfig, books: readonly (VenueBookTop | null | undefined)[], nowUs: TimeUs): { readonly mid: number; readonly mask: number; readonly count: number } | null {
  const mids: number[] = [];
  const n = Math.min(books.length, cfg.venues.length);
  for (let i = 0; i < n; i++) {
    const g = gateVenueBook(cfg, books[i], null, nowUs);
    if (g === 'healthy') mids.push(bookMid(books[i] as VenueBookTop));
  }
  if (mids.length < cfg.fairValue.minHealthyVenues) return null;
  const m = median(mids);
  let mask = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (gateVenueBook(cfg, books[i], m, nowUs) === 'healthy') {
      mask |= 1 << i;
      count++;
    }
  }
  return count >= cfg.fairValue.minHealthyVenues ? { mid: m, mask, count } : null;
}

/**
 * Returns the state after one filter step at `nowUs` over the latest book of each venue
 * (`books[i]` belongs to `cfg.venues[i]`; null or undefined when there is none).
 *
 * Predict: variance += S²·processNoiseVarPerSec·dt. Gate each venue against the prior estimate
 * (stale, invalid, outlier). With at least minHealthyVenues healthy venues, apply one O(1)
 * scalar Kalman update per healthy venue (K = P / (P + R), R from the venue's spread) and
 * update the EWMA volatility from the log return since the last update. With fewer, the
 * estimate is carried forward unchanged, its variance keeps growing and fvAvailable is false.
 * The first estimate, and a re-anchor when every fresh venue disagrees with a stale estimate,
 * need at least minHealthyVenues fresh venues agreeing within outlierMaxBps of their median.
 */
export function stepFairValue(cfg: StrategyConfig, state: FairValueState, books: readonly (VenueBookTop | null | undefined)[], nowUs: TimeUs): FairValueState {
  const fvCfg = cfg.fairValue;
  const dtSec = state.lastStepUs === null ? 0 : Math.max(0, nowUs - state.lastStepUs) / 1e6;
  let x = state.fairValue;
  let p = state.variance;
  if (x !== null) p += x * x * fvCfg.processNoiseVarPerSec * dtSec;

  const n = Math.min(books.length, cfg.venues.length);
  let mask = 0;
  let count = 0;
  if (x !== null) {
    for (let i = 0; i < n; i++) {
      if (gateVenueBook(cfg, books[i], x, nowUs) === 'healthy') {
        mask |= 1 << i;
        count++;
      }
    }
  }
  if (count < fvCfg.minHealthyVenues) {
    const anchor = consensusAnchor(cfg, books, nowUs);
    if (anchor !== null && (x === null || anchor.count > count)) {
      x = anchor.mid;
      p = fvCfg.initialVariance;
      mask = anchor.mask;
      count = anchor.count;
    }
  }
  if (x === null || count < fvCfg.minHealthyVenues) {
    return { ...state, fairValue: x, variance: p, lastStepUs: nowUs, fvAvailable: false, healthyVenueMask: mask, healthyVenueCount: count };
  }

  for (let i = 0; i < n; i++) {
    if ((mask & (1 << i)) === 0) continue;
    const book = books[i] as VenueBookTop;
    const r = measurementNoise(cfg, book);
    const k = p / (p + r);
    x += k * (mid$(book) - x);
    p = (1 - k) * p;
  }

  let { varShort, varLong, sigmaShort, sigmaLong, sigmaEff } = state;
  if (state.volAnchor !== null && state.volAnchorUs !== null) {
    const dtVol = Math.max(0, nowUs - state.volAnchorUs) / 1e6;
    const ret = Math.log(x / state.volAnchor);
    varShort = ewmaVarianceRate(varShort, ret, dtVol, cfg.volatility.shortHalfLifeUs / 1e6);
    varLong = ewmaVarianceRate(varLong, ret, dtVol, cfg.volatility.longHalfLifeUs / 1e6);
    sigmaShort = Math.sqrt(varShort);
    sigmaLong = Math.sqrt(varLong);
  }
  sigmaEff = effectiveSigma(sigmaShort, cfg.volatility.sigmaMin);

  return {
    fairValue: x,
    variance: p,
    lastStepUs: nowUs,
    fvAvailable: true,
    healthyVenueMask: mask,
    healthyVenueCount: count,
    volAnchor: x,
    volAnchorUs: nowUs,
    varShort,
    varLong,
    sigmaShort,
    sigmaLong,
    sigmaEff,
  };
}
