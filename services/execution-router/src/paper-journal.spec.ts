import { type ExchangeEvent, simVenue } from '@fleet/core';
import { bookEvent, T0, tradeEvent } from '@fleet/core/testing';
import fc from 'fast-check';
import { JournaledPaperExchange } from './paper-journal';

const VENUES = [simVenue('venue-a', { latencyUs: 10_000, makerFeeBps: 1, takerFeeBps: 5 }), simVenue('venue-b', { latencyUs: 25_000, makerFeeBps: -0.5, takerFeeBps: 6 })];
const NAMES = ['venue-a', 'venue-b'] as const;

type Step =
  | { readonly kind: 'book'; readonly venue: number; readonly mid: number; readonly half: number; readonly size: number }
  | { readonly kind: 'trade'; readonly venue: number; readonly px: number; readonly size: number; readonly aggressor: 'buy' | 'sell' }
  | { readonly kind: 'order'; readonly venue: number; readonly side: 'buy' | 'sell'; readonly offset: number; readonly size: number; readonly tif: 'post-only' | 'gtc' | 'ioc' }
  | { readonly kind: 'cancel'; readonly target: number }
  | { readonly kind: 'wait'; readonly us: number };

/** Steps over a narrow market, so orders often share a price, trades often hit it and takes often precede a place. */
function stepsOver(spread: number): fc.Arbitrary<Step> {
  const venue = fc.nat(1);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('book' as const), venue, mid: fc.integer({ min: 10_000 - spread, max: 10_000 + spread }), half: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: 300 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('trade' as const), venue, px: fc.integer({ min: 10_000 - 2 * spread, max: 10_000 + 2 * spread }), size: fc.integer({ min: 1, max: 200 }), aggressor: fc.constantFrom('buy' as const, 'sell' as const) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('order' as const), venue, side: fc.constantFrom('buy' as const, 'sell' as const), offset: fc.integer({ min: -spread, max: spread }), size: fc.integer({ min: 1, max: 200 }), tif: fc.constantFrom('post-only' as const, 'gtc' as const, 'ioc' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat(60) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), us: fc.integer({ min: 0, max: 40_000 }) }) },
  );
}

/** Drives an exchange through `steps` from step `from`, the way the router does: market events after advancing to their time, cancels only of working orders. */
class Driver {
  t = T0;
  mid = [10_000, 10_000];
  n = 0;
  readonly venueOf = new Map<string, string>();
  readonly done = new Set<string>();
  readonly cancelling = new Set<string>();
  readonly out: ExchangeEvent[] = [];

  constructor(public x: JournaledPaperExchange) {}

  run(steps: readonly Step[], from: number, to: number): void {
    for (let i = from; i < to; i += 1) this.step(steps[i]!);
  }

  private take(events: ExchangeEvent[]): void {
    for (const e of events) {
      this.out.push(e);
      if (e.type === 'order-cancelled' || (e.type === 'order-rejected' && !e.cancel) || (e.type === 'fill' && e.remainingSize === '0')) this.done.add(e.clientOrderId);
      if (e.type === 'order-cancelled' || (e.type === 'order-rejected' && e.cancel)) this.cancelling.delete(e.clientOrderId);
    }
  }

  private step(s: Step): void {
    this.t += 1;
    if (s.kind === 'book' || s.kind === 'trade') {
      const venue = NAMES[s.venue]!;
      this.take(this.x.advanceTo(this.t));
      if (s.kind === 'book') {
        this.mid[s.venue] = s.mid;
        this.take(this.x.onMarket(bookEvent(venue, (s.mid - s.half) / 100, (s.mid + s.half) / 100, this.t, { levels: 3, step: 0.01, bidSize: s.size / 100, askSize: s.size / 100 })));
      } else {
        this.take(this.x.onMarket(tradeEvent(venue, s.px / 100, s.size / 100, s.aggressor, this.t)));
      }
    } else if (s.kind === 'order') {
      const id = `o${this.n++}`;
      this.venueOf.set(id, NAMES[s.venue]!);
      this.x.submit({ clientOrderId: id, venue: NAMES[s.venue]!, side: s.side, price: String((this.mid[s.venue]! + s.offset) / 100), size: String(s.size / 100), timeInForce: s.tif }, this.t);
    } else if (s.kind === 'cancel') {
      const id = `o${s.target}`;
      const order = s.target < this.n && !this.done.has(id) && !this.cancelling.has(id);
      if (order) {
        this.cancelling.add(id);
        this.x.cancel(this.venueOf.get(id)!, id, this.t);
      }
    } else {
      this.t += s.us;
      this.take(this.x.advanceTo(this.t));
    }
    this.x.compact();
  }
}

describe('JournaledPaperExchange', () => {
  it.each([
    ['a narrow market', 2],
    ['a wider market', 8],
  ])('continues from its JSON journal exactly as the exchange it was taken from, after every step, in %s', (_name, spread) => {
    fc.assert(
      fc.property(fc.array(stepsOver(spread), { minLength: 1, maxLength: 160, size: 'max' }), (steps) => {
        const whole = new Driver(JournaledPaperExchange.create('ETH-PERP', VENUES));
        whole.run(steps, 0, steps.length);
        const rebuilt = new Driver(JournaledPaperExchange.create('ETH-PERP', VENUES));
        steps.forEach((_, i) => {
          rebuilt.run(steps, i, i + 1);
          rebuilt.x = JournaledPaperExchange.fromJournal('ETH-PERP', VENUES, JSON.parse(JSON.stringify(rebuilt.x.toJournal())));
        });
        expect(rebuilt.out).toEqual(whole.out);
        expect(rebuilt.x.restingCount()).toBe(whole.x.restingCount());
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a short log while quotes are replaced continuously', () => {
    const d = new Driver(JournaledPaperExchange.create('ETH-PERP', VENUES));
    const steps: Step[] = [];
    for (let i = 0; i < 400; i += 1) {
      steps.push({ kind: 'book', venue: i % 2, mid: 10_000 + (i % 7), half: 2, size: 100 });
      steps.push({ kind: 'trade', venue: i % 2, px: 10_000 + (i % 5) - 2, size: 30, aggressor: i % 3 === 0 ? 'buy' : 'sell' });
      steps.push({ kind: 'order', venue: i % 2, side: i % 2 === 0 ? 'buy' : 'sell', offset: i % 2 === 0 ? -2 : 2, size: 10, tif: 'post-only' });
      if (i >= 2) steps.push({ kind: 'cancel', target: i - 2 });
      steps.push({ kind: 'wait', us: 50_000 });
    }
    d.run(steps, 0, steps.length);
    const journal = d.x.toJournal();
    expect(d.out.filter((e) => e.type === 'fill').length).toBeGreaterThan(10);
    expect(journal.base).toBeGreaterThan(1_500);
    expect(journal.calls.length).toBeLessThan(40);
    expect(journal.traces.length).toBeLessThanOrEqual(4);
  });
});
