import { decimalString, type StrategyIntent } from '@fleet/contracts';
import { deriveClientOrderId, deriveIntentId, portfolioFromRecords } from '@fleet/core';
import { laneRunnerConfig } from '@fleet/service';
import { quotingBucketId } from './quote-decision';
import {
  bookTopOf,
  dropUnreported,
  foldBook,
  foldOrder,
  foldOrderEvent,
  initialInstrumentQuoting,
  type InstrumentQuoting,
  type QuoteOrder,
} from './quoting-state';
import { fixedBook, testSession, TestRouter } from './testing/quoting-ticks';

const session = testSession();
const config = laneRunnerConfig(session, 'ETH-PERP');
const T0 = 1_767_225_600_000_000;

/** A resting quote of ours and the PLACE intent it came from (the router's events are built from the intent). */
function quote(side: 'buy' | 'sell', venueIndex: number, seq: number, status: QuoteOrder['status'] = 'pending'): { order: QuoteOrder; intent: StrategyIntent } {
  const venue = config.strategy.venues[venueIndex]!.venueId;
  const intentId = deriveIntentId(config.strategyId, quotingBucketId('ETH-PERP'), T0, seq);
  const clientOrderId = deriveClientOrderId(intentId, venue);
  const price = side === 'buy' ? '2999.5' : '3000.5';
  const order: QuoteOrder = { clientOrderId, venueIndex, side, price: Number(price), size: 2, remaining: 2, purpose: 'mm', status, placedUs: T0, intentId, priceText: price, remainingText: '2', reported: false };
  const intent = {
    envelope: { eventId: `intent-${seq}` },
    instrument: 'ETH-PERP',
    intentId,
    action: 'PLACE',
    strategyId: config.strategyId,
    venue,
    side: side === 'buy' ? 'BUY' : 'SELL',
    price: decimalString(price),
    size: decimalString('2'),
  } as StrategyIntent;
  return { order, intent };
}

describe('quoting state folds', () => {
  it('keeps the latest complete book per venue and ignores one-sided books and unknown venues', () => {
    const a = fixedBook(session, 'ETH-PERP', 'venue-a', T0 + 100_000, 1, 2999.9, 3000.1);
    const state = foldBook(config, initialInstrumentQuoting(config), a);
    expect(state.books[0]).toEqual({ top: bookTopOf(a), eventId: a.envelope.eventId });
    expect(state.books[0]!.top).toEqual({ venueId: 'venue-a', bestBid: 2999.9, bestAsk: 3000.1, bidDepth: 3, askDepth: 3, timestampUs: T0 + 100_000 });
    expect(state.books[1]).toBeNull();
    const oneSided = { ...fixedBook(session, 'ETH-PERP', 'venue-a', T0 + 200_000, 2, 2999.8, 3000.2), asks: [] };
    expect(foldBook(config, state, oneSided)).toBe(state);
    const elsewhere = { ...fixedBook(session, 'ETH-PERP', 'venue-a', T0 + 200_000, 3, 2999.8, 3000.2), venue: 'venue-z' };
    expect(foldBook(config, state, elsewhere)).toBe(state);
  });

  it('acks make pending orders live, partial fills reduce what remains, full fills, cancels and rejects remove', () => {
    const router = new TestRouter();
    const bid = quote('buy', 0, 0);
    const ask = quote('sell', 0, 1);
    let orders: readonly QuoteOrder[] = [bid.order, ask.order];
    orders = foldOrderEvent(orders, router.event(bid.intent, 'SUBMITTED', T0));
    expect(orders[0]).toMatchObject({ status: 'pending', reported: true });
    orders = foldOrderEvent(orders, router.event(bid.intent, 'ACKED', T0));
    expect(orders[0]).toMatchObject({ status: 'live', reported: true });
    orders = foldOrderEvent(orders, router.fill(bid.intent, '0.75', '1.25', T0));
    expect(orders[0]).toMatchObject({ status: 'live', remaining: 1.25, remainingText: '1.25' });
    orders = foldOrderEvent(orders, router.fill(bid.intent, '1.25', '0', T0));
    expect(orders.map((o) => o.clientOrderId)).toEqual([ask.order.clientOrderId]);
    expect(foldOrderEvent(orders, router.event(ask.intent, 'REJECTED', T0, { reject: { reason: 'POST_ONLY_WOULD_TAKE', venueCode: null, message: 'would take' } }))).toEqual([]);
    expect(foldOrderEvent(orders, router.event(ask.intent, 'CANCELLED', T0, { cancel: { cancelledQuantity: decimalString('2'), requested: true } }))).toEqual([]);
  });

  it('ignores events of orders that are not its own', () => {
    const router = new TestRouter();
    const ours = quote('buy', 0, 0);
    const hedge = quote('sell', 1, 7);
    const orders = [ours.order];
    expect(foldOrderEvent(orders, router.event(hedge.intent, 'ACKED', T0))).toBe(orders);
    expect(foldOrderEvent(orders, router.event(hedge.intent, 'CANCELLED', T0))).toBe(orders);
  });

  it('books every fill of the strategy into its exact venue position, whatever order it came from', () => {
    const router = new TestRouter();
    const ours = quote('buy', 0, 0);
    const hedge = quote('sell', 0, 9);
    const state: InstrumentQuoting = { ...initialInstrumentQuoting(config), orders: [ours.order] };
    const afterBuy = foldOrder(config, state, router.fill(ours.intent, '2', '0', T0 + 1));
    const afterHedge = foldOrder(config, afterBuy, router.fill(hedge.intent, '0.5', '1.5', T0 + 2));
    expect(afterBuy.orders).toEqual([]);
    expect(afterHedge.positions).toEqual([
      { venue: 'venue-a', netQuantity: '1.5', costBasis: '4499.25', realisedPnl: '0.5', fees: '0', funding: '0', updatedAtUs: T0 + 2 },
    ]);
    const portfolio = portfolioFromRecords(config.currency, 'ETH-PERP', afterHedge.positions);
    expect(portfolio.positions[0]!.netQuantity.toString()).toBe('1.5');
    expect(portfolio.positions[0]!.realisedPnl.amountText()).toBe('0.5');
  });

  it('ignores order events of another strategy', () => {
    const router = new TestRouter();
    const ours = quote('buy', 0, 0);
    const state: InstrumentQuoting = { ...initialInstrumentQuoting(config), orders: [ours.order] };
    const foreign = { ...router.fill(ours.intent, '2', '0', T0), strategyId: 'other-1' };
    expect(foldOrder(config, state, foreign)).toBe(state);
  });

  it('drops the orders the router never reported', () => {
    const a = { ...quote('buy', 0, 0).order, reported: true };
    const b = quote('sell', 0, 1).order;
    expect(dropUnreported([a, b])).toEqual([a]);
    const reported = [a];
    expect(dropUnreported(reported)).toBe(reported);
  });
});
