import { roundAskPrice, roundBidPrice, type StrategyConfig } from '../config';
import { bookMid } from '../fair-value/market-data';
import { isTradingHalted } from '../risk/risk-regime';
import { globalInventory, venueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { computeVenueTargets, inventoryDeviation, quoteHalfSpread, reservationPrice, asHalfSpread } from './avellaneda-stoikov';
import { type QuoteContext, type QuoteLevel, quoteLevel, type QuoteSkipReason, type VenueInventoryTarget, type VenueQuote } from './quote-types';
import { quoteSize } from './size-model';

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
 */
export function computeVenueQuote(cfg: StrategyConfig, ctx: QuoteContext, venue: VenueSnapshot, venueIndex: number, target: VenueInventoryTarget, qGlobal: number): VenueQuote {
  if (isTradingHalted(ctx.risk)) return skipped(venue, venueIndex, 'halted');
  const S = ctx.fairValue;
  if (!ctx.fvAvailable || S === null || !(S > 0)) return skipped(venue, venueIndex, 'no-fair-value');
  const reason = venueSkipReason(cfg, venue, ctx.nowUs);
  if (reason !== null) return skipped(venue, venueIndex, reason);
  const q = cfg.quoting;
  const dollarDeltaUsd = qGlobal * S;
  const absDelta = Math.abs(dollarDeltaUsd);
  if (absDelta >= q.extremeDeltaFraction * cfg.risk.deltaLimitUsd) return skipped(venue, venueIndex, 'extreme-delta');
  const reduceOnly = absDelta >= q.riskReducingOnlyDeltaFraction * cfg.risk.deltaLimitUsd;

  const vcfg = cfg.venues[venueIndex];
  const book = venue.book!;
  const basis = bookMid(book) - S;
  const dev = inventoryDeviation(q, qGlobal, venue.positionQty, target.qTarget);
  const r = reservationPrice(q, { S, basis, funding: venue.fundingRate8h, sigmaEff: ctx.sigmaEff, inventoryDeviation: dev });
  const delta = quoteHalfSpread(q, S, ctx.volScalars, ctx.risk.regime);
  const tick = vcfg.tickSize;

  let bid: QuoteLevel | null = null;
  let ask: QuoteLevel | null = null;
  const wantBid = !reduceOnly || qGlobal < 0;
  const wantAsk = !reduceOnly || qGlobal > 0;
  const sizeBase = { S, regime: ctx.risk.regime, sizeMult: ctx.volScalars.sizeMult, qGlobal, qVenue: venue.positionQty, marginAvailableUsd: venue.marginAvailableUsd, distLiqSigma: venue.distLiqSigma };
  if (wantBid) {
    let px = r - delta;
    const passiveMax = book.bestBid - tick;
    if (px > passiveMax) px = passiveMax;
    if (px > 0) {
      const price = roundBidPrice(px, tick);
      if (price.value > 0 && price.value < book.bestBid && price.value < book.bestAsk) {
        const size = quoteSize(cfg, vcfg, { ...sizeBase, side: 'buy', price: price.value });
        if (size !== null) bid = quoteLevel('buy', price, size);
      }
    }
  }
  if (wantAsk) {
    let px = r + delta;
    const passiveMin = book.bestAsk + tick;
    if (px < passiveMin) px = passiveMin;
    const price = roundAskPrice(px, tick);
    if (price.value > book.bestAsk && price.value > book.bestBid) {
      const size = quoteSize(cfg, vcfg, { ...sizeBase, side: 'sell', price: price.value });
      if (size !== null) ask = quoteLevel('sell', price, size);
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
      qVenue: venue.positionQty,
      qTarget: target.qTarget,
      inventoryDeviation: dev,
      r,
      deltaStar: asHalfSpread(q.gamma, q.k),
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
  const targets = computeVenueTargets(cfg, venues, qGlobal);
  const out: VenueQuote[] = new Array(venues.length);
  for (let i = 0; i < venues.length; i++) out[i] = computeVenueQuote(cfg, ctx, venues[i], i, targets[i], qGlobal);
  return out;
}
