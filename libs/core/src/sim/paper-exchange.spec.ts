import fc from 'fast-check';
import { canonicalBytes, chainDigest, sha256Hex } from '../canonical';
import { bookEvent, FIXTURE_INSTRUMENT, T0, tradeEvent } from '../testing';
import { type ExchangeEvent, type FillEvent, type PaperOrderRequest } from './exchange-events';
import { type MarketEvent } from './market-events';
import { PaperExchange } from './paper-exchange';
import { simVenue } from './scenario';

const VENUE = simVenue('venue-a', { latencyUs: 10_000, makerFeeBps: 1, takerFeeBps: 5 });

function exchange(): PaperExchange {
  return new PaperExchange(FIXTURE_INSTRUMENT, [VENUE]);
}

function order(id: string, side: 'buy' | 'sell', price: string, size: string, timeInForce: PaperOrderRequest['timeInForce'] = 'post-only'): PaperOrderRequest {
  return { clientOrderId: id, venue: 'venue-a', side, price, size, timeInForce };
}

const fillsOf = (events: ExchangeEvent[]): FillEvent[] => events.filter((e): e is FillEvent => e.type === 'fill');

describe('PaperExchange', () => {
  it('makes an order live one latency after it is sent, never before', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('o1', 'buy', '99.9', '1'), T0);
    expect(ex.nextPendingTimeUs()).toBe(T0 + 10_000);
    expect(ex.advanceTo(T0 + 9_999)).toEqual([]);
    expect(ex.restingCount()).toBe(0);
    const events = ex.advanceTo(T0 + 10_000);
    expect(events.map((e) => [e.type, e.eventTimeUs])).toEqual([['order-accepted', T0 + 10_000]]);
    expect(ex.restingCount()).toBe(1);
  });

  it('fills a resting buy at its own price when a print trades through it, with the exact maker fee', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('o1', 'buy', '99.9', '1.5'), T0);
    ex.advanceTo(T0 + 10_000);
    expect(fillsOf(ex.onMarket(tradeEvent('venue-a', 99.95, 3, 'sell', T0 + 20_000)))).toEqual([]);
    const fills = fillsOf(ex.onMarket(tradeEvent('venue-a', 99.8, 0.1, 'sell', T0 + 30_000)));
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ side: 'buy', price: '99.9', size: '1.5', fee: '0.014985', liquidity: 'maker', remainingSize: '0', eventTimeUs: T0 + 30_000 });
  });

  it('fills at its price only after the displayed size ahead of it has traded (queue position)', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0, { bidSize: 2 }));
    ex.submit(order('o1', 'buy', '100', '1'), T0);
    ex.advanceTo(T0 + 10_000);
    expect(fillsOf(ex.onMarket(tradeEvent('venue-a', 100, 1.5, 'sell', T0 + 20_000)))).toEqual([]);
    const fills = fillsOf(ex.onMarket(tradeEvent('venue-a', 100, 0.8, 'sell', T0 + 30_000)));
    expect(fills.map((f) => [f.size, f.remainingSize])).toEqual([['0.3', '0.7']]);
  });

  it('fills a resting order when the book moves through it', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('s1', 'sell', '100.2', '1'), T0);
    ex.advanceTo(T0 + 10_000);
    const fills = fillsOf(ex.onMarket(bookEvent('venue-a', 100.2, 100.3, T0 + 20_000)));
    expect(fills.map((f) => [f.side, f.price, f.size, f.liquidity])).toEqual([['sell', '100.2', '1', 'maker']]);
  });

  it('rejects a post-only order that would take, and takes levels up to the limit for an IOC, cancelling the rest', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0, { levels: 3, step: 0.1, askSize: 1 }));
    ex.submit(order('p1', 'buy', '100.1', '1'), T0);
    ex.submit(order('i1', 'buy', '100.2', '5', 'ioc'), T0);
    const events = ex.advanceTo(T0 + 10_000);
    expect(events[0]).toMatchObject({ type: 'order-rejected', clientOrderId: 'p1', reason: 'post-only-would-cross' });
    const fills = fillsOf(events);
    expect(fills.map((f) => [f.price, f.size, f.liquidity, f.fee])).toEqual([
      ['100.1', '1', 'taker', '0.05005'],
      ['100.2', '1', 'taker', '0.0501'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'order-cancelled', clientOrderId: 'i1', reason: 'ioc-remainder', remainingSize: '3' });
  });

  it('applies a cancel one latency after it is sent: a fill in between still happens', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('o1', 'buy', '99.9', '1'), T0);
    ex.advanceTo(T0 + 10_000);
    ex.cancel('venue-a', 'o1', T0 + 20_000);
    expect(fillsOf(ex.onMarket(tradeEvent('venue-a', 99.8, 0.5, 'sell', T0 + 25_000)))).toHaveLength(1);
    expect(ex.advanceTo(T0 + 30_000).map((e) => e.type)).toEqual(['order-rejected']);
  });

  it('cancels resting orders when the venue goes down and rejects orders while it is down', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('o1', 'buy', '99.9', '1'), T0);
    ex.advanceTo(T0 + 10_000);
    const down = ex.onMarket({ type: 'venue-status', venue: 'venue-a', instrument: FIXTURE_INSTRUMENT, eventTimeUs: T0 + 20_000, sequence: 99, up: false });
    expect(down).toMatchObject([{ type: 'order-cancelled', reason: 'venue-down', remainingSize: '1' }]);
    ex.submit(order('o2', 'buy', '99.9', '1'), T0 + 20_000);
    expect(ex.advanceTo(T0 + 30_000)).toMatchObject([{ type: 'order-rejected', reason: 'venue-down' }]);
  });

  it('refuses a reused client order id and a price off the tick grid', () => {
    const ex = exchange();
    ex.onMarket(bookEvent('venue-a', 100, 100.1, T0));
    ex.submit(order('o1', 'buy', '99.9', '1'), T0);
    ex.submit(order('o1', 'buy', '99.8', '1'), T0);
    ex.submit(order('o2', 'buy', '99.905', '1'), T0);
    expect(ex.advanceTo(T0 + 10_000).map((e) => (e.type === 'order-rejected' ? e.reason : e.type))).toEqual(['order-accepted', 'duplicate-client-order-id', 'invalid-order']);
  });

  describe('properties', () => {
    type Step = { kind: 'book'; mid: number; half: number } | { kind: 'trade'; px: number; size: number; aggressor: 'buy' | 'sell' } | { kind: 'order'; side: 'buy' | 'sell'; offset: number; size: number; tif: 'post-only' | 'gtc' | 'ioc' } | { kind: 'cancel'; target: number } | { kind: 'wait'; us: number };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('book' as const), mid: fc.integer({ min: 9_900, max: 10_100 }), half: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('trade' as const), px: fc.integer({ min: 9_850, max: 10_150 }), size: fc.integer({ min: 1, max: 500 }), aggressor: fc.constantFrom('buy' as const, 'sell' as const) }),
      fc.record({ kind: fc.constant('order' as const), side: fc.constantFrom('buy' as const, 'sell' as const), offset: fc.integer({ min: -60, max: 60 }), size: fc.integer({ min: 1, max: 300 }), tif: fc.constantFrom('post-only' as const, 'gtc' as const, 'ioc' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), target: fc.nat(50) }),
      fc.record({ kind: fc.constant('wait' as const), us: fc.integer({ min: 0, max: 30_000 }) }),
    );

    /** Replays `steps` and returns every exchange event, the limit of each order, and the digest chain. */
    function replay(steps: readonly Step[]): { events: ExchangeEvent[]; limits: Map<string, { side: string; price: number }>; digest: string } {
      const ex = exchange();
      const events: ExchangeEvent[] = [];
      const limits = new Map<string, { side: string; price: number }>();
      let t = T0;
      let mid = 10_000;
      let seq = 0;
      let n = 0;
      const market = (e: MarketEvent): void => void events.push(...ex.advanceTo(e.eventTimeUs), ...ex.onMarket(e));
      for (const s of steps) {
        t += 1;
        if (s.kind === 'book') {
          mid = s.mid;
          market(bookEvent('venue-a', (s.mid - s.half) / 100, (s.mid + s.half) / 100, t, { levels: 3, step: 0.02, bidSize: 1, askSize: 1, sequence: ++seq }));
        } else if (s.kind === 'trade') {
          market(tradeEvent('venue-a', s.px / 100, s.size / 100, s.aggressor, t, ++seq));
        } else if (s.kind === 'order') {
          const id = `o${n++}`;
          const ticks = mid + s.offset;
          limits.set(id, { side: s.side, price: ticks / 100 });
          ex.submit({ clientOrderId: id, venue: 'venue-a', side: s.side, price: String(ticks / 100), size: String(s.size / 100), timeInForce: s.tif }, t);
        } else if (s.kind === 'cancel') {
          ex.cancel('venue-a', `o${s.target}`, t);
        } else {
          t += s.us;
          events.push(...ex.advanceTo(t));
        }
      }
      let digest = sha256Hex('property');
      for (const e of events) digest = chainDigest(digest, canonicalBytes(e));
      return { events, limits, digest };
    }

    it('never fills a buy above its limit nor a sell below it, and never fills more than was ordered', () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 120 }), (steps) => {
          const { events, limits } = replay(steps);
          const filled = new Map<string, number>();
          for (const e of events) {
            if (e.type !== 'fill') continue;
            const limit = limits.get(e.clientOrderId)!;
            expect(e.side).toBe(limit.side);
            if (e.side === 'buy') expect(Number(e.price)).toBeLessThanOrEqual(limit.price);
            else expect(Number(e.price)).toBeGreaterThanOrEqual(limit.price);
            filled.set(e.clientOrderId, (filled.get(e.clientOrderId) ?? 0) + Math.round(Number(e.size) * 100));
          }
          for (const [id, lots] of filled) {
            const step = steps.filter((s) => s.kind === 'order')[Number(id.slice(1))] as Extract<Step, { kind: 'order' }>;
            expect(lots).toBeLessThanOrEqual(step.size);
          }
        }),
        { numRuns: 300 },
      );
      // The property is not vacuous: the generated sequences do produce maker and taker fills.
      const sample = fc.sample(fc.array(stepArb, { minLength: 60, maxLength: 120 }), { numRuns: 50, seed: 42 });
      const kinds = new Set(sample.flatMap((steps) => replay(steps).events.filter((e): e is FillEvent => e.type === 'fill').map((f) => f.liquidity)));
      expect([...kinds].sort()).toEqual(['maker', 'taker']);
    });

    it('gives the same digest for the same event sequence', () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 80 }), (steps) => {
          expect(replay(steps).digest).toBe(replay(steps).digest);
        }),
        { numRuns: 100 },
      );
    });
  });
});
