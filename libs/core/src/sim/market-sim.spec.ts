import { canonicalJson, digestOf } from '../canonical';
import { scenario } from '../testing';
import { unitsText } from './decimal-grid';
import { type BookEvent, type MarketEvent } from './market-events';
import { generateMarketEvents } from './market-sim';
import { calmScenario, volatileScenario } from './scenario';

const short = (s = calmScenario({ durationUs: 20_000_000 })) => s;

describe('MarketSim', () => {
  it('gives the same event stream for the same scenario and seed, and a different one for another seed', () => {
    const a = generateMarketEvents(short(), 7);
    const b = generateMarketEvents(short(), 7);
    const c = generateMarketEvents(short(), 8);
    expect(digestOf(a)).toBe(digestOf(b));
    expect(digestOf(c)).not.toBe(digestOf(a));
  });

  it('publishes every kind of event, in time order, with gap-free per-venue sequences', () => {
    const events = generateMarketEvents(short(), 1);
    const kinds = new Set(events.map((e) => e.type));
    expect([...kinds].sort()).toEqual(['book', 'funding', 'index', 'mark', 'trade']);
    const seq = new Map<string, number>();
    let t = 0;
    for (const e of events) {
      expect(e.eventTimeUs).toBeGreaterThanOrEqual(t);
      t = e.eventTimeUs;
      expect(e.sequence).toBe((seq.get(e.venue) ?? 0) + 1);
      seq.set(e.venue, e.sequence);
      expect(e.instrument).toBe('ETH-PERP');
    }
    expect([...seq.keys()].sort()).toEqual(['venue-a', 'venue-b', 'venue-c']);
  });

  it('keeps books uncrossed, sorted and on the tick and lot grid', () => {
    for (const e of generateMarketEvents(volatileScenario({ durationUs: 20_000_000 }), 3)) {
      if (e.type !== 'book') continue;
      expect(e.bids[0]!.price).toBeLessThan(e.asks[0]!.price);
      for (let i = 1; i < e.bids.length; i++) expect(e.bids[i]!.price).toBeLessThan(e.bids[i - 1]!.price);
      for (let i = 1; i < e.asks.length; i++) expect(e.asks[i]!.price).toBeGreaterThan(e.asks[i - 1]!.price);
      for (const l of [...e.bids, ...e.asks]) {
        expect(String(l.price)).toBe(unitsText(Math.round(l.price * 100), 2));
        expect(String(l.size)).toBe(unitsText(Math.round(l.size * 100), 2));
        expect(l.size).toBeGreaterThan(0);
      }
    }
  });

  it('prints trades at displayed book prices', () => {
    const events = generateMarketEvents(short(), 2);
    const lastBook = new Map<string, BookEvent>();
    let trades = 0;
    for (const e of events) {
      if (e.type === 'book') lastBook.set(e.venue, e);
      if (e.type === 'trade') {
        trades += 1;
        const book = lastBook.get(e.venue)!;
        const side = e.aggressor === 'buy' ? book.asks : book.bids;
        expect(side.map((l) => l.price)).toContain(e.price);
      }
    }
    expect(trades).toBeGreaterThan(50);
  });

  it('takes a venue down over an outage window: status events at the edges and nothing in between', () => {
    const s = scenario('outage').durationSec(30).outage('venue-b', 10, 20).build();
    const events = generateMarketEvents(s, 4);
    const status = events.filter((e) => e.type === 'venue-status');
    expect(status.map((e) => [e.venue, e.eventTimeUs - s.sim.startTimeUs, (e as { up: boolean }).up])).toEqual([
      ['venue-b', 10_000_000, false],
      ['venue-b', 20_000_000, true],
    ]);
    const inside = events.filter((e) => e.venue === 'venue-b' && e.type !== 'venue-status' && e.eventTimeUs >= s.sim.startTimeUs + 10_000_000 && e.eventTimeUs < s.sim.startTimeUs + 20_000_000);
    expect(inside).toEqual([]);
  });

  it('flips funding and settles it on the settlement interval', () => {
    const s = scenario('flip').durationSec(130).fundingFlip(60, -0.0005).build();
    const funding = generateMarketEvents(s, 5).filter((e): e is Extract<MarketEvent, { type: 'funding' }> => e.type === 'funding');
    const before = funding.filter((e) => e.eventTimeUs - s.sim.startTimeUs < 60_000_000);
    const after = funding.filter((e) => e.eventTimeUs - s.sim.startTimeUs >= 60_000_000);
    expect(before.every((e) => e.rate > 0)).toBe(true);
    expect(after.every((e) => e.rate < 0)).toBe(true);
    expect(funding.filter((e) => e.settles).map((e) => e.eventTimeUs - s.sim.startTimeUs)).toEqual([60_000_000, 60_000_000, 60_000_000, 120_000_000, 120_000_000, 120_000_000]);
  });

  it('adds a basis spike to one venue only during its window', () => {
    const s = scenario('spike').durationSec(30).market({ volPerSqrtSec: 0.00001 }).basisSpike('venue-c', 10, 20, 50).build();
    const mids = (from: number, to: number, venue: string): number[] =>
      generateMarketEvents(s, 6)
        .filter((e): e is BookEvent => e.type === 'book' && e.venue === venue && e.eventTimeUs - s.sim.startTimeUs >= from && e.eventTimeUs - s.sim.startTimeUs < to)
        .map((e) => (e.bids[0]!.price + e.asks[0]!.price) / 2);
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const gapIn = avg(mids(11e6, 19e6, 'venue-c')) - avg(mids(11e6, 19e6, 'venue-a'));
    const gapOut = avg(mids(21e6, 30e6, 'venue-c')) - avg(mids(21e6, 30e6, 'venue-a'));
    expect(gapIn - gapOut).toBeGreaterThan(3000 * 0.004);
  });

  it('moves the latent price more in the volatile preset than in the calm one', () => {
    const range = (events: MarketEvent[]): number => {
      const mids = events.filter((e): e is BookEvent => e.type === 'book' && e.venue === 'venue-a').map((e) => (e.bids[0]!.price + e.asks[0]!.price) / 2);
      let sum = 0;
      for (let i = 1; i < mids.length; i++) sum += Math.abs(Math.log(mids[i]! / mids[i - 1]!));
      return sum;
    };
    expect(range(generateMarketEvents(volatileScenario({ durationUs: 60_000_000 }), 9))).toBeGreaterThan(2 * range(generateMarketEvents(calmScenario({ durationUs: 60_000_000 }), 9)));
  });

  it('encodes every event canonically (finite numbers only)', () => {
    expect(() => canonicalJson(generateMarketEvents(volatileScenario({ durationUs: 5_000_000 }), 1))).not.toThrow();
  });
});
