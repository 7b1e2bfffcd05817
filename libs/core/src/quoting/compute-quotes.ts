import { type StrategyConfig } from '../config/strategy-config';
import { gridSteps, gridValue } from '../config/venue-grid';
import { bookMid } from '../fair-value/market-data';
import { isTradingHalted } from '../risk/risk-regime';
import { globalInventory, venueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { asHalfSpread, halfSpreadFrom, inventoryDeviation, reservationPrice, totalVenueDepth, venueTargetQty } from './avellaneda-stoikov';
import { GridQuoteLevel, type QuoteContext, type QuoteSkipReason, type VenueInventoryTarget, type VenueQuote } from './quote-types';
import { quoteSizeSteps, rawQuoteSizeOf } from './size-model';

// Module-local bindings of the per-venue calls. Compiled to CommonJS (tsc, tsx) every call of an
// imported function reads it through the exporting module's `exports` (an accessor under tsx or
// through a barrel), which costs more than the small functions themselves on this path.
const steps$ = gridSteps;
const value$ = gridValue;
const mid$ = bookMid;
const halted$ = isTradingHalted;
const skipReason$ = venueSkipReason;
const deviation$ = inventoryDeviation;
const rawSize$ = rawQuoteSizeOf;
const sizeSteps$ = quoteSizeSteps;
const reservation$ = reservationPrice;
const halfSpread$ = halfSpreadFrom;
const targetQty$ = venueTargetQty;

function skipped(venue: VenueSnapshot, venueIndex: number, reason: QuoteSkipReason): VenueQuote {
  return { venueId: venue.venueId, venueIndex, bid: null, ask: null, skipReason: reason, model: null };
}

/**
 * Returns the desired quotes on one venue (`venue` is `cfg.venues[venueIndex]`).
 *
 * No quotes when trading is halted (kill switch or HardLimit), without an available fair value,
 * on a disabled, book-less, stale, toxic or critical-liquidation venue, or when |q·S| is at or
 * beyond extremeDeltaFraction of the delta limit. Beyond riskReducingOnlyDeltaFraction only the
 * side that reduces |q| is quoted. Prices: bid = r − δ, ask = r + δ, then made passive — bid at
 * most bestBid − tick (strictly below the best bid), ask at least bestAsk + tick — and rounded
 * onto the tick grid (bid down, ask up). The bid therefore never touches or crosses the best ask.
 * The levels carry integer grid steps and floats; their exact texts are built when read.
 */
export function computeVenueQuote(cfg: StrategyConfig, ctx: QuoteContext, venue: VenueSnapshot, venueIndex: number, target: VenueInventoryTarget, qGlobal: number): VenueQuote {
  return venueQuote(cfg, ctx, venue, venueIndex, target.qTarget, qGlobal, asHalfSpread(cfg.quoting.gamma, cfg.quoting.k));
}

// `deltaStar` is asHalfSpread(γ, k), the same on every venue, so computeQuotes computes it once.
function venueQuote(cfg: StrategyConfig, ctx: QuoteContext, venue: VenueSnapshot, venueIndex: number, qTarget: number, qGlobal: number, deltaStar: number): VenueQuote {
  if (halted$(ctx.risk)) return skipped(venue, venueIndex, 'halted');
  const S = ctx.fairValue;
  if (!ctx.fvAvailable || S === null || !(S > 0)) return skipped(venue, venueIndex, 'no-fair-value');
  const reason = skipReason$(cfg, venue, ctx.nowUs);
  if (reason !== null) return skipped(venue, venueIndex, reason);
  const q = cfg.quoting;
  const dollarDeltaUsd = qGlobal * S;
  const absDelta = Math.abs(dollarDeltaUsd);
  if (absDelta >= q.extremeDeltaFraction * cfg.risk.deltaLimitUsd) return skipped(venue, venueIndex, 'extreme-delta');
  const reduceOnly = absDelta >= q.riskReducingOnlyDeltaFraction * cfg.risk.deltaLimitUsd;

  const vcfg = cfg.venues[venueIndex];
  const book = venue.book!;
  const basis = mid$(book) - S;
  const qVenue = venue.positionQty;
  const dev = deviation$(q, qGlobal, qVenue, qTarget);
  const r = reservation$(q, { S, basis, funding: venue.fundingRate8h, sigmaEff: ctx.sigmaEff, inventoryDeviation: dev });
  const delta = halfSpread$(deltaStar, q, S, ctx.volScalars, ctx.risk.regime, vcfg.makerFee);
  const tick = vcfg.tickSize;
  const regime = ctx.risk.regime;
  const sizeMult = ctx.volScalars.sizeMult;

  let bid: GridQuoteLevel | null = null;
  let ask: GridQuoteLevel | null = null;
  const wantBid = !reduceOnly || qGlobal < 0;
  const wantAsk = !reduceOnly || qGlobal > 0;
  if (wantBid) {
    let px = r - delta;
    const passiveMax = book.bestBid - tick;
    if (px > passiveMax) px = passiveMax;
    if (px > 0) {
      const steps = steps$(px, tick, 'down');
      const price = value$(steps, tick);
      if (price > 0 && price < book.bestBid && price < book.bestAsk) {
        const raw = rawSize$(cfg, vcfg, 'buy', price, S, regime, sizeMult, qGlobal, qVenue, venue.marginAvailableUsd, venue.distLiqSigma);
        const sizeSteps = sizeSteps$(vcfg, raw, price);
        if (sizeSteps >= 0) bid = new GridQuoteLevel('buy', price, value$(sizeSteps, vcfg.sizeStep), steps, sizeSteps, tick, vcfg.sizeStep);
      }
    }
  }
  if (wantAsk) {
    let px = r + delta;
    const passiveMin = book.bestAsk + tick;
    if (px < passiveMin) px = passiveMin;
    const steps = steps$(px, tick, 'up');
    const price = value$(steps, tick);
    if (price > book.bestAsk && price > book.bestBid) {
      const raw = rawSize$(cfg, vcfg, 'sell', price, S, regime, sizeMult, qGlobal, qVenue, venue.marginAvailableUsd, venue.distLiqSigma);
      const sizeSteps = sizeSteps$(vcfg, raw, price);
      if (sizeSteps >= 0) ask = new GridQuoteLevel('sell', price, value$(sizeSteps, vcfg.sizeStep), steps, sizeSteps, tick, vcfg.sizeStep);
    }
  }
  return {
    venueId: venue.venueId,
    venueIndex,
    bid,
    ask,
    skipReason: null,
    model: {
      S,
      basis,
      funding: venue.fundingRate8h,
      sigmaEff: ctx.sigmaEff,
      gamma: q.gamma,
      k: q.k,
      tau: q.tauSec,
      q: qGlobal,
      qVenue,
      qTarget,
      inventoryDeviation: dev,
      r,
      deltaStar,
      delta,
      dollarDeltaUsd,
    },
  };
}

/**
 * Returns the desired quotes on every venue (`venues[i]` is `cfg.venues[i]`), with the global
 * position q = Σ q_v and the inventory targets computed from the same snapshots.
 */
export function computeQuotes(cfg: StrategyConfig, ctx: QuoteContext, venues: readonly VenueSnapshot[]): readonly VenueQuote[] {
  if (venues.length !== cfg.venues.length) {
    throw new RangeError(`computeQuotes needs one snapshot per configured venue (${cfg.venues.length}), received ${venues.length}`);
  }
  const qGlobal = globalInventory(venues);
  const totalDepth = totalVenueDepth(venues);
  const out: VenueQuote[] = new Array(venues.length);
  const deltaStar = asHalfSpread(cfg.quoting.gamma, cfg.quoting.k);
  for (let i = 0; i < venues.length; i++) out[i] = venueQuote(cfg, ctx, venues[i], i, targetQty$(cfg, venues[i], totalDepth, qGlobal), qGlobal, deltaStar);
  return out;
}
