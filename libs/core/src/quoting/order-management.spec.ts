import { defaultStrategyConfig } from '../config';
import { type VenueBookTop } from '../fair-value/market-data';
import { decideOrderAction } from './order-management';
import { type LiveQuoteOrder, type QuoteLevel } from './quote-types';

const cfg = defaultStrategyConfig();
const book: VenueBookTop = { venueId: 'venue-a', bestBid: 300, bestAsk: 300.1, bidDepth: 5, askDepth: 5, timestampUs: 0 };
const MS = 1_000;

function level(price: number, size = 1): QuoteLevel {
  return { side: 'buy', price, priceText: price.toFixed(2), size, sizeText: size.toFixed(2) };
}
function live(price: number, placedAtUs: number, size = 1): LiveQuoteOrder {
  return { side: 'buy', price, size, placedAtUs };
}

describe('mm_quote_model_tests', () => {
  describe('young_passive_order_not_replaced', () => {
    it('keeps an order younger than minQuoteLifetime even when the desired price moved', () => {
      const d = decideOrderAction(cfg, 0, level(299.8), live(299.9, 100 * MS), book, 200 * MS);
      expect(d).toEqual({ action: 'keep', reason: 'min-lifetime' });
    });
  });

  describe('old_order_with_price_change_replaced', () => {
    it('replaces an order older than the lifetime whose desired price moved 10 ticks', () => {
      expect(decideOrderAction(cfg, 0, level(299.8), live(299.9, 0), book, 1_000 * MS)).toEqual({ action: 'replace', reason: 'price-moved' });
    });
    it('keeps an old order when the move is under the price tolerance', () => {
      expect(decideOrderAction(cfg, 0, level(299.88), live(299.9, 0), book, 1_000 * MS)).toEqual({ action: 'keep', reason: 'within-tolerance' });
    });
    it('replaces an old order whose size changed by at least sizeTolerance', () => {
      expect(decideOrderAction(cfg, 0, level(299.9, 1.3), live(299.9, 0), book, 1_000 * MS)).toEqual({ action: 'replace', reason: 'size-changed' });
    });
  });

  describe('order management edges', () => {
    it('places, cancels and does nothing as appropriate', () => {
      expect(decideOrderAction(cfg, 0, level(299.9), null, book, 0).action).toBe('place');
      expect(decideOrderAction(cfg, 0, null, live(299.9, 0), book, 1).action).toBe('cancel');
      expect(decideOrderAction(cfg, 0, null, null, book, 1).action).toBe('none');
    });
    it('replaces a young order the market has moved onto (at or inside the best bid): a stale price', () => {
      expect(decideOrderAction(cfg, 0, level(299.9), live(300, 0), book, 1)).toEqual({ action: 'replace', reason: 'live-order-at-touch' });
      expect(decideOrderAction(cfg, 0, level(299.9), live(300.05, 0), book, 1)).toEqual({ action: 'replace', reason: 'live-order-at-touch' });
      expect(decideOrderAction(cfg, 0, level(299.8), live(299.99, 0), book, 1)).toEqual({ action: 'keep', reason: 'min-lifetime' });
    });
    it('replaces a young order that would now touch or cross the book', () => {
      expect(decideOrderAction(cfg, 0, level(299.9), live(300.1, 0), book, 1)).toEqual({ action: 'replace', reason: 'live-order-not-passive' });
    });
  });
});
