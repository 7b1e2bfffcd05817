import { roundToGrid, roundSizeDown, type StrategyConfig } from '../config';
import { bookMid } from '../fair-value/market-data';
import { isTradingHalted } from '../risk/risk-regime';
import { basisExposureUsd, globalInventory, venueSkipReason, type VenueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { type Side, type VenueId } from '../types';
import { type ExitCandidate, type ExitEdgeBreakdown, type ExitInput, type ExitOrder, type ExitPlan } from './exit-types';

const FLAT_EPS = 1e-12;

/** Returns the size-weighted average entry price of the venue positions with the sign of `qGlobal` (NaN when none). */
export function exitEntryPrice(venues: readonly VenueSnapshot[], qGlobal: number): number {
  let qty = 0;
  let cost = 0;
  for (const v of venues) {
    if (v.positionQty !== 0 && v.positionQty > 0 === qGlobal > 0) {
      qty += Math.abs(v.positionQty);
      cost += Math.abs(v.positionQty) * v.avgEntryPrice;
    }
  }
  return qty > 0 ? cost / qty : NaN;
}

/**
 * Returns the per-unit edge of exiting `size` units of a position of sign `dir` (+1 long: sell;
 * −1 short: buy) on venue `venueIndex` at `price`, against fair value S and the global basis
 * exposure B. Δ|B| per unit is (|B − dir·size·(mid − S)| − |B|) / size.
 */
export function exitEdge(
  cfg: StrategyConfig,
  venueIndex: number,
  venue: VenueSnapshot,
  dir: 1 | -1,
  price: number,
  size: number,
  entryPrice: number,
  S: number,
  sigmaEff: number,
  basisExposure: number,
): ExitEdgeBreakdown {
  const e = cfg.exit;
  const mid = bookMid(venue.book!);
  const baseProfit = dir * (price - entryPrice);
  const fees = cfg.venues[venueIndex].takerFee * price;
  const slippage = (e.slippageBufferBps * price) / 1e4;
  const volBuffer = e.volBufferMult * sigmaEff * S;
  const basisAdjustment = e.basisWeight * dir * (mid - S);
  const fundingAdjustment = e.fundingWeight * dir * venue.fundingRate8h * mid;
  const netEdge = baseProfit - fees - slippage - volBuffer + basisAdjustment + fundingAdjustment;
  const sameSide = venue.positionQty * dir > 0;
  const fragmentationPenalty = sameSide ? 0 : e.fragmentationPenaltyPerUnit;
  const fragmentationBonus = sameSide && size + 1e-12 >= Math.abs(venue.positionQty) ? e.fragmentationReductionBonus : 0;
  const dAbsB = size > 0 ? (Math.abs(basisExposure - dir * size * (mid - S)) - Math.abs(basisExposure)) / size : 0;
  const basisRiskPenalty = e.basisRiskPenaltyWeight * dAbsB;
  const score = netEdge - fragmentationPenalty + fragmentationBonus - basisRiskPenalty;
  return { baseProfit, fees, slippage, volBuffer, basisAdjustment, fundingAdjustment, netEdge, fragmentationPenalty, fragmentationBonus, basisRiskPenalty, score };
}

/**
 * Returns the exit plan: reduce the global position on the venues with the best score, where
 * a venue qualifies only when base profit and net edge per unit both exceed edgeMinUsd.
 * Nothing under kill switch or HardLimit, without a fair value, or when flat. Disabled, stale,
 * toxic, book-less, critical-liquidation and thin (< minDepthUsd at the touch) venues are
 * skipped. Candidates are ranked by score (net edge with fragmentation and basis-risk terms),
 * ties by venue index, and filled greedily up to maxTotalPerTick and |q|, each venue capped by
 * maxVenuePerTick, maxOrderSize and depthFraction × touch depth; sizes are rounded down to the
 * size step and dropped below the lot size or the minimum notional.
 */
export function computeExitPlan(cfg: StrategyConfig, input: ExitInput): ExitPlan {
  const qGlobal = globalInventory(input.venues);
  const dir: 1 | -1 = qGlobal > 0 ? 1 : -1;
  const entryPrice = exitEntryPrice(input.venues, qGlobal);
  const idle = (reason: ExitPlan['idleReason'], candidates: readonly ExitCandidate[] = [], skipped: ExitPlan['skipped'] = []): ExitPlan => ({
    qGlobal,
    entryPrice: Number.isFinite(entryPrice) ? entryPrice : 0,
    orders: [],
    candidates,
    skipped,
    idleReason: reason,
  });
  if (isTradingHalted(input.risk)) return idle('halted');
  const S = input.fairValue;
  if (!input.fvAvailable || S === null || !(S > 0)) return idle('no-fair-value');
  if (Math.abs(qGlobal) <= FLAT_EPS || !Number.isFinite(entryPrice)) return idle('flat');

  const side: Side = dir === 1 ? 'sell' : 'buy';
  const target = Math.min(Math.abs(qGlobal), cfg.exit.maxTotalPerTick);
  const B = basisExposureUsd(input.venues, S);
  const skipped: { venueId: VenueId; reason: VenueSkipReason | 'thin-book' }[] = [];
  const candidates: ExitCandidate[] = [];
  const n = Math.min(input.venues.length, cfg.venues.length);
  for (let i = 0; i < n; i++) {
    const v = input.venues[i];
    const reason = venueSkipReason(cfg, v, input.nowUs);
    if (reason !== null) {
      skipped.push({ venueId: v.venueId, reason });
      continue;
    }
    const book = v.book!;
    const price = side === 'sell' ? book.bestBid : book.bestAsk;
    const depth = Math.max(0, side === 'sell' ? book.bidDepth : book.askDepth);
    if (depth * price < cfg.exit.minDepthUsd) {
      skipped.push({ venueId: v.venueId, reason: 'thin-book' });
      continue;
    }
    const capacity = Math.min(cfg.exit.maxVenuePerTick, cfg.venues[i].maxOrderSize, cfg.exit.depthFraction * depth);
    const edge = exitEdge(cfg, i, v, dir, price, Math.min(capacity, target), entryPrice, S, input.sigmaEff, B);
    const profitable = edge.baseProfit > cfg.exit.edgeMinUsd && edge.netEdge > cfg.exit.edgeMinUsd;
    candidates.push({ venueId: v.venueId, venueIndex: i, side, price, capacity, edge, profitable });
  }
  candidates.sort((a, b) => b.edge.score - a.edge.score || a.venueIndex - b.venueIndex);

  const orders: ExitOrder[] = [];
  let remaining = target;
  for (const c of candidates) {
    if (remaining <= 0) break;
    if (!c.profitable || c.capacity <= 0) continue;
    const vcfg = cfg.venues[c.venueIndex];
    const size = roundSizeDown(Math.min(remaining, c.capacity), vcfg.sizeStep);
    if (size.value < vcfg.lotSize || size.value * c.price < vcfg.minNotionalUsd) continue;
    const limit = roundToGrid(c.price, vcfg.tickSize, side === 'sell' ? 'up' : 'down');
    orders.push({
      venueId: c.venueId,
      venueIndex: c.venueIndex,
      side,
      size: size.value,
      sizeText: size.text,
      limitPrice: limit.value,
      limitPriceText: limit.text,
      netEdgePerUnit: c.edge.netEdge,
      score: c.edge.score,
    });
    remaining -= size.value;
  }
  if (orders.length === 0) return idle('no-profitable-venue', candidates, skipped);
  return { qGlobal, entryPrice, orders, candidates, skipped, idleReason: null };
}
