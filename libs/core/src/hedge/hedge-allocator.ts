import { roundToGrid, roundSizeDown, type StrategyConfig } from '../config';
import { bookMid } from '../fair-value/market-data';
import { isTradingHalted } from '../risk/risk-regime';
import { globalInventory, venueSkipReason, type VenueSkipReason, type VenueSnapshot } from '../risk/venue-snapshot';
import { type Side, type VenueId } from '../types';
import { type HedgeAllocation, type HedgeCandidate, type HedgeCostBreakdown, type HedgeInput, type HedgeOrder } from './hedge-types';

/**
 * Returns the signed global hedge step for global position `qGlobal`: 0 when |q| ≤ band,
 * otherwise −sign(q)·min(gain·|q|, maxStep).
 */
export function globalHedgeStep(cfg: StrategyConfig, qGlobal: number, band: number): number {
  const a = Math.abs(qGlobal);
  if (!(a > band)) return 0;
  const size = Math.min(cfg.hedge.gain * a, cfg.hedge.maxStep);
  return qGlobal > 0 ? -size : size;
}

/** Returns the per-unit cost of hedging `side` on `venue` (which must have a valid book), against fair value `S`. */
export function hedgeCost(cfg: StrategyConfig, venueIndex: number, venue: VenueSnapshot, side: Side, S: number): HedgeCostBreakdown {
  const h = cfg.hedge;
  const book = venue.book!;
  const mid = bookMid(book);
  const px = side === 'sell' ? book.bestBid : book.bestAsk;
  const dir = side === 'sell' ? 1 : -1;
  const execution = Math.abs(px - mid);
  const fee = cfg.venues[venueIndex].takerFee * px;
  const slippage = (h.slippageBufferBps * px) / 1e4;
  const addsToVenue = venue.positionQty === 0 || (side === 'buy') === venue.positionQty > 0;
  const { liqWarnSigma, liqCritSigma } = cfg.risk;
  let liquidationPenalty = 0;
  if (addsToVenue && venue.distLiqSigma < liqWarnSigma) {
    const depth = Math.min(1, (liqWarnSigma - venue.distLiqSigma) / (liqWarnSigma - liqCritSigma));
    liquidationPenalty = ((h.liqPenaltyBps * px) / 1e4) * depth;
  }
  const fragmentationPenalty = venue.positionQty === 0 ? (h.fragmentationPenaltyBps * px) / 1e4 : 0;
  const fundingBenefit = h.fundingWeight * dir * venue.fundingRate8h * mid;
  const basisEdge = h.basisWeight * dir * (mid - S);
  const total = execution + fee + slippage + liquidationPenalty + fragmentationPenalty - fundingBenefit - basisEdge;
  return { execution, fee, slippage, liquidationPenalty, fragmentationPenalty, fundingBenefit, basisEdge, total };
}

function capacity(cfg: StrategyConfig, venueIndex: number, venue: VenueSnapshot, side: Side): number {
  const book = venue.book!;
  const depth = side === 'sell' ? book.bidDepth : book.askDepth;
  const px = side === 'sell' ? book.bestBid : book.bestAsk;
  let cap = Math.min(cfg.hedge.maxVenueStep, cfg.venues[venueIndex].maxOrderSize, cfg.hedge.depthFraction * Math.max(0, depth));
  const adds = venue.positionQty === 0 || (side === 'buy') === venue.positionQty > 0;
  if (adds) cap = Math.min(cap, (Math.max(0, venue.marginAvailableUsd) * cfg.quoting.maxLeverage) / px);
  return cap > 0 ? cap : 0;
}

/**
 * Returns the global hedge for this instant. Nothing under kill switch or HardLimit, without
 * a fair value, or inside the deadband (|q| ≤ bandBase·bandMult). Otherwise the step
 * −sign(q)·min(gain·|q|, maxStep) is allocated greedily to the cheapest venues (cost per unit,
 * ties by venue index), each capped by maxVenueStep, maxOrderSize, depthFraction × touch depth
 * and margin, sized down to the size step and dropped below the lot size or minimum notional.
 * Disabled, stale, toxic, book-less and critical-liquidation venues are skipped.
 */
export function computeHedgeAllocation(cfg: StrategyConfig, input: HedgeInput): HedgeAllocation {
  const qGlobal = globalInventory(input.venues);
  const band = cfg.hedge.bandBase * input.volScalars.bandMult;
  const idle = (reason: HedgeAllocation['idleReason'], step = 0, candidates: readonly HedgeCandidate[] = [], skipped: HedgeAllocation['skipped'] = []): HedgeAllocation => ({
    qGlobal,
    band,
    desiredStep: step,
    orders: [],
    candidates,
    skipped,
    idleReason: reason,
  });
  if (isTradingHalted(input.risk)) return idle('halted');
  const S = input.fairValue;
  if (!input.fvAvailable || S === null || !(S > 0)) return idle('no-fair-value');
  const step = globalHedgeStep(cfg, qGlobal, band);
  if (step === 0) return idle('inside-deadband');
  const side: Side = step < 0 ? 'sell' : 'buy';

  const skipped: { venueId: VenueId; reason: VenueSkipReason }[] = [];
  const candidates: HedgeCandidate[] = [];
  const n = Math.min(input.venues.length, cfg.venues.length);
  for (let i = 0; i < n; i++) {
    const v = input.venues[i];
    const reason = venueSkipReason(cfg, v, input.nowUs);
    if (reason !== null) {
      skipped.push({ venueId: v.venueId, reason });
      continue;
    }
    const cap = capacity(cfg, i, v, side);
    if (cap <= 0) continue;
    candidates.push({ venueId: v.venueId, venueIndex: i, side, capacity: cap, cost: hedgeCost(cfg, i, v, side, S) });
  }
  candidates.sort((a, b) => a.cost.total - b.cost.total || a.venueIndex - b.venueIndex);

  const orders: HedgeOrder[] = [];
  let remaining = Math.abs(step);
  for (const c of candidates) {
    if (remaining <= 0) break;
    const vcfg = cfg.venues[c.venueIndex];
    const size = roundSizeDown(Math.min(remaining, c.capacity), vcfg.sizeStep);
    const book = input.venues[c.venueIndex].book!;
    const touch = side === 'sell' ? book.bestBid : book.bestAsk;
    if (size.value < vcfg.lotSize || size.value * touch < vcfg.minNotionalUsd) continue;
    const guard = side === 'sell' ? touch * (1 - cfg.hedge.guardBps / 1e4) : touch * (1 + cfg.hedge.guardBps / 1e4);
    const limit = roundToGrid(guard, vcfg.tickSize, side === 'sell' ? 'up' : 'down');
    orders.push({
      venueId: c.venueId,
      venueIndex: c.venueIndex,
      side,
      size: size.value,
      sizeText: size.text,
      limitPrice: limit.value,
      limitPriceText: limit.text,
      costPerUnit: c.cost.total,
    });
    remaining -= size.value;
  }
  if (orders.length === 0) return idle('no-eligible-venue', step, candidates, skipped);
  return { qGlobal, band, desiredStep: step, orders, candidates, skipped, idleReason: null };
}
