import { type StrategyConfig } from '../config';
import { type VenueBookTop } from '../fair-value/market-data';
import { type TimeUs } from '../types';
import { type LiveQuoteOrder, type OrderDecision, type QuoteLevel } from './quote-types';

/**
 * Returns what to do with one side of one venue given the desired quote and our live order:
 * - nothing desired, nothing live: none; nothing desired, live order: cancel (cancels ignore the lifetime);
 * - desired, nothing live: place;
 * - a live order that would now touch or cross the book (buy ≥ best ask, sell ≤ best bid): replace;
 * - a live order the market has moved onto or through (buy ≥ best bid, sell ≤ best ask: it no longer
 *   satisfies the passivity rule the quotes are built with, so it is a stale price about to be picked
 *   off): replace, whatever its age;
 * - a live order younger than minQuoteLifetimeUs: keep;
 * - the desired price moved by at least priceToleranceTicks ticks, or the size by at least
 *   sizeTolerance (relative): replace; otherwise keep.
 */
export function decideOrderAction(
  cfg: StrategyConfig,
  venueIndex: number,
  desired: QuoteLevel | null,
  live: LiveQuoteOrder | null,
  book: VenueBookTop | null,
  nowUs: TimeUs,
): OrderDecision {
  if (desired === null) return live === null ? { action: 'none', reason: 'nothing-wanted' } : { action: 'cancel', reason: 'no-desired-quote' };
  if (live === null) return { action: 'place', reason: 'no-live-order' };
  if (book !== null) {
    const crossing = live.side === 'buy' ? live.price >= book.bestAsk : live.price <= book.bestBid;
    if (crossing) return { action: 'replace', reason: 'live-order-not-passive' };
    const stale = live.side === 'buy' ? live.price >= book.bestBid : live.price <= book.bestAsk;
    if (stale) return { action: 'replace', reason: 'live-order-at-touch' };
  }
  const q = cfg.quoting;
  if (nowUs - live.placedAtUs < q.minQuoteLifetimeUs) return { action: 'keep', reason: 'min-lifetime' };
  const tick = cfg.venues[venueIndex].tickSize;
  const ticksMoved = Math.abs(desired.price - live.price) / tick;
  if (ticksMoved + 1e-9 >= q.priceToleranceTicks && ticksMoved > 1e-9) return { action: 'replace', reason: 'price-moved' };
  const sizeChange = live.size > 0 ? Math.abs(desired.size - live.size) / live.size : Infinity;
  if (sizeChange + 1e-12 >= q.sizeTolerance && sizeChange > 1e-12) return { action: 'replace', reason: 'size-changed' };
  return { action: 'keep', reason: 'within-tolerance' };
}
