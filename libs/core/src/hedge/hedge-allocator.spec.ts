import fc from 'fast-check';
import { digestOf } from '../canonical';
import { createStrategyConfig, type HedgeConfig, type StrategyConfig } from '../config';
import { computeVolScalars } from '../fair-value/volatility';
import { HEALTHY_VENUE, type VenueSnapshot } from '../risk/venue-snapshot';
import { computeHedgeAllocation, globalHedgeStep } from './hedge-allocator';
import { type HedgeInput } from './hedge-types';

function config(h: Partial<HedgeConfig> = {}): StrategyConfig {
  return createStrategyConfig('balanced', { hedge: { fragmentationPenaltyBps: 0, ...h } });
}
const base = config();

function venue(c: StrategyConfig, i: number, positionQty: number, over: Partial<VenueSnapshot> = {}, mid = 100): VenueSnapshot {
  return {
    venueId: c.venues[i].venueId,
    book: { venueId: c.venues[i].venueId, bestBid: mid - 0.05, bestAsk: mid + 0.05, bidDepth: 20, askDepth: 20, timestampUs: 0 },
    fundingRate8h: 0,
    positionQty,
    avgEntryPrice: 100,
    distLiqSigma: 10,
    marginAvailableUsd: 100_000,
    health: HEALTHY_VENUE,
    ...over,
  };
}

function input(c: StrategyConfig, venues: VenueSnapshot[], over: Partial<HedgeInput> = {}): HedgeInput {
  return { risk: { regime: 'Normal', killSwitch: false }, fairValue: 100, fvAvailable: true, volScalars: computeVolScalars(c.volatility, c.volatility.volRef), venues, nowUs: 0, ...over };
}

/** Global long `q` held on venue 0 only; hedging sells open new legs elsewhere. */
function longOnVenue0(c: StrategyConfig, q: number): VenueSnapshot[] {
  return c.venues.map((_, i) => venue(c, i, i === 0 ? q : 0));
}
/** Global long `q` spread evenly. */
function longEven(c: StrategyConfig, q: number): VenueSnapshot[] {
  return c.venues.map((_, i) => venue(c, i, q / 5));
}
const total = (a: { orders: readonly { size: number }[] }): number => a.orders.reduce((s, o) => s + o.size, 0);

describe('hedge_allocator_tests', () => {
  describe('hedge_deadband_no_orders', () => {
    it('|q| ≤ band gives no orders and a zero step', () => {
      for (const q of [0, 1.5, -2, 2, 6, -6]) {
        const a = computeHedgeAllocation(base, input(base, longEven(base, q)));
        expect(a.band).toBe(6);
        expect(a.desiredStep).toBe(0);
        expect(a.orders).toEqual([]);
        expect(a.idleReason).toBe('inside-deadband');
      }
    });
    it('the band widens with the vol band multiplier', () => {
      const vs = computeVolScalars(base.volatility, 3 * base.volatility.volRef);
      const a = computeHedgeAllocation(base, input(base, longEven(base, 15), { volScalars: vs }));
      expect(a.band).toBeCloseTo(18, 12);
      expect(a.orders).toEqual([]);
    });
  });

  describe('hedge_outside_deadband_generates_orders', () => {
    it('a long of 10 sells gain × 10 = 5', () => {
      const a = computeHedgeAllocation(base, input(base, longEven(base, 10)));
      expect(a.desiredStep).toBe(-5);
      expect(a.orders.length).toBeGreaterThan(0);
      expect(a.orders.every((o) => o.side === 'sell')).toBe(true);
      expect(total(a)).toBeCloseTo(5, 9);
      expect(a.orders[0].limitPriceText).toBe('99.86'); // 99.95 × (1 − 10 bps) = 99.85005, rounded up
    });
    it('a short buys', () => {
      const a = computeHedgeAllocation(base, input(base, longEven(base, -10)));
      expect(a.desiredStep).toBe(5);
      expect(a.orders.every((o) => o.side === 'buy')).toBe(true);
      expect(a.orders[0].limitPriceText).toBe('100.15'); // 100.05 × 1.001 = 100.15005, rounded down
    });
  });

  describe('hedge_respects_global_max_step', () => {
    it('total size never exceeds maxStep', () => {
      const a = computeHedgeAllocation(base, input(base, longEven(base, 100)));
      expect(a.desiredStep).toBe(-base.hedge.maxStep);
      expect(total(a)).toBeCloseTo(base.hedge.maxStep, 9);
    });
    it('property: Σ|size| ≤ maxStep, and nothing inside the deadband', () => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: 5, maxLength: 5 }),
          fc.double({ min: 0.5, max: 20, noNaN: true }),
          fc.double({ min: 0, max: 10, noNaN: true }),
          fc.array(fc.double({ min: -0.002, max: 0.002, noNaN: true }), { minLength: 5, maxLength: 5 }),
          (pos, maxStep, bandBase, funding) => {
            const c = config({ maxStep, bandBase });
            const venues = pos.map((p, i) => venue(c, i, p, { fundingRate8h: funding[i] }));
            const a = computeHedgeAllocation(c, input(c, venues));
            const q = pos.reduce((s, x) => s + x, 0);
            expect(total(a)).toBeLessThanOrEqual(maxStep + 1e-9);
            expect(total(a)).toBeLessThanOrEqual(Math.abs(a.desiredStep) + 1e-9);
            if (Math.abs(q) <= bandBase) {
              expect(a.orders).toEqual([]);
              expect(a.desiredStep).toBe(0);
            }
            for (const o of a.orders) expect(o.side).toBe(q > 0 ? 'sell' : 'buy');
          },
        ),
      );
    });
  });

  describe('hedge_respects_per_venue_caps', () => {
    it('no venue exceeds maxVenueStep; the step spreads over venues', () => {
      const c = config({ maxVenueStep: 1.5 });
      const a = computeHedgeAllocation(c, input(c, longEven(c, 10)));
      expect(a.orders.map((o) => o.size)).toEqual([1.5, 1.5, 1.5, 0.5]);
      expect(a.orders.map((o) => o.venueIndex)).toEqual([0, 1, 2, 3]);
    });
    it('depth caps too: depthFraction × touch depth', () => {
      const c = config({ depthFraction: 0.1 });
      const a = computeHedgeAllocation(c, input(c, longEven(c, 10)));
      for (const o of a.orders) expect(o.size).toBeLessThanOrEqual(2 + 1e-12);
    });
  });

  describe('hedge_avoids_near_liquidation', () => {
    it('a venue in the liquidation warning zone that the hedge would add to is used last', () => {
      const c = config({ maxVenueStep: 1 });
      const venues = longOnVenue0(c, 8);
      venues[1] = { ...venues[1], distLiqSigma: c.risk.liqWarnSigma - 1 };
      const a = computeHedgeAllocation(c, input(c, venues));
      expect(a.orders.map((o) => o.venueIndex)).toEqual([0, 2, 3, 4]);
      const cand1 = a.candidates.find((x) => x.venueIndex === 1)!;
      expect(cand1.cost.liquidationPenalty).toBeGreaterThan(0);
      expect(a.candidates[a.candidates.length - 1].venueIndex).toBe(1);
    });
  });

  describe('hedge_skips_critical_liquidation_venues', () => {
    it('a venue at or below liqCritSigma is hard-skipped even when it is the cheapest', () => {
      const venues = longEven(base, 10);
      venues[0] = { ...venue(base, 0, 2, {}, 100.5), distLiqSigma: base.risk.liqCritSigma };
      const a = computeHedgeAllocation(base, input(base, venues));
      expect(a.orders.some((o) => o.venueIndex === 0)).toBe(false);
      expect(a.skipped).toEqual([{ venueId: 'venue-a', reason: 'critical-liquidation' }]);
    });
  });

  describe('hedge_prefers_funding_or_basis_when_exec_equal', () => {
    it('with equal execution cost the venue whose funding pays the hedge is used first', () => {
      const c = config({ maxVenueStep: 2 });
      const venues = longEven(c, 10);
      venues[3] = { ...venues[3], fundingRate8h: 0.0005 }; // selling (short carry) earns positive funding
      venues[4] = { ...venues[4], fundingRate8h: -0.0005 }; // and pays negative funding
      const a = computeHedgeAllocation(c, input(c, venues));
      expect(a.orders[0].venueIndex).toBe(3);
      expect(a.candidates[a.candidates.length - 1].venueIndex).toBe(4);
      expect(a.candidates[0].cost.fundingBenefit).toBeCloseTo(0.0005 * 100, 12);
    });
  });

  describe('hedge_prefers_basis_when_funding_equal', () => {
    it('with equal funding the sell goes first to the venue trading rich to fair value', () => {
      const c = config({ maxVenueStep: 2 });
      const venues = longEven(c, 10);
      venues[2] = venue(c, 2, 2, {}, 100.03);
      const a = computeHedgeAllocation(c, input(c, venues));
      expect(a.orders[0].venueIndex).toBe(2);
      expect(a.candidates[0].cost.basisEdge).toBeCloseTo(0.03, 9);
    });
  });

  describe('hedge_deterministic_tiebreak_by_venue_index', () => {
    it('identical venues are used in index order, with identical output every run', () => {
      const c = config({ maxVenueStep: 1, bandBase: 2 });
      const a = computeHedgeAllocation(c, input(c, longEven(c, 6)));
      expect(a.orders.map((o) => o.venueIndex)).toEqual([0, 1, 2]);
      expect(digestOf(a)).toBe(digestOf(computeHedgeAllocation(c, input(c, longEven(c, 6)))));
    });
  });

  describe('hedge_skips_disabled_stale_toxic_venues', () => {
    it('only healthy venues get orders and the skipped ones are named', () => {
      const c = config({ maxVenueStep: 3 });
      const venues: VenueSnapshot[] = longEven(c, 10).map((v) => ({ ...v, book: { ...v.book!, bestBid: 100.9, bestAsk: 101 } }));
      venues[3] = longEven(c, 10)[3];
      venues[4] = longEven(c, 10)[4];
      venues[0] = { ...venues[0], health: { ...HEALTHY_VENUE, disabled: true } };
      venues[1] = { ...venues[1], book: { ...venues[1].book!, timestampUs: -c.fairValue.staleBookMaxAgeUs - 1 } };
      venues[2] = { ...venues[2], health: { ...HEALTHY_VENUE, toxicity: 0.99 } };
      const a = computeHedgeAllocation(c, input(c, venues));
      // Venues 0–2 bid far above fair value (the cheapest sells by basis) yet are never used.
      expect(a.orders.map((o) => [o.venueIndex, o.size])).toEqual([
        [3, 3],
        [4, 2],
      ]);
      expect(a.skipped.map((s) => s.reason)).toEqual(['disabled', 'stale', 'toxic']);
    });
  });

  describe('hedge_disabled_when_kill_switch_active', () => {
    it('kill switch or HardLimit: no orders', () => {
      for (const risk of [{ regime: 'HardLimit', killSwitch: true } as const, { regime: 'HardLimit', killSwitch: false } as const]) {
        const a = computeHedgeAllocation(base, input(base, longEven(base, 50), { risk }));
        expect(a.orders).toEqual([]);
        expect(a.idleReason).toBe('halted');
      }
    });
  });

  describe('global step', () => {
    it('is −sign(q)·min(gain·|q|, maxStep) outside the band', () => {
      expect(globalHedgeStep(base, 10, 2)).toBe(-5);
      expect(globalHedgeStep(base, -100, 2)).toBe(10);
      expect(globalHedgeStep(base, 2, 2)).toBe(0);
    });
  });
});
