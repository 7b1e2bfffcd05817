import Decimal from 'decimal.js';
import fc from 'fast-check';
import { digestOf } from '../canonical';
import { createStrategyConfig, defaultStrategyConfig, type ExitConfig, type StrategyConfig, type VenueConfig } from '../config';
import { HEALTHY_VENUE, type VenueSnapshot } from '../risk/venue-snapshot';
import { computeExitPlan } from './exit-allocator';
import { type ExitInput } from './exit-types';

const defaults = defaultStrategyConfig();
const S = 100;

function config(e: Partial<ExitConfig> = {}, venues: (v: VenueConfig, i: number) => VenueConfig = (v) => v): StrategyConfig {
  return createStrategyConfig('balanced', {
    venues: defaults.venues.map((v, i) => venues({ ...v, maxOrderSize: 50 }, i)),
    exit: { maxTotalPerTick: 10, maxVenuePerTick: 10, edgeMinUsd: 0.01, minDepthUsd: 1, depthFraction: 1, volBufferMult: 0, ...e },
  });
}

/** A venue with a book of `spread` around `mid` (or no book when mid is null). */
function venue(c: StrategyConfig, i: number, mid: number | null, positionQty = 0, over: Partial<VenueSnapshot> = {}, spread = 0.5): VenueSnapshot {
  return {
    venueId: c.venues[i].venueId,
    book: mid === null ? null : { venueId: c.venues[i].venueId, bestBid: mid - spread / 2, bestAsk: mid + spread / 2, bidDepth: 1_000, askDepth: 1_000, timestampUs: 0 },
    fundingRate8h: 0,
    positionQty,
    avgEntryPrice: 100,
    distLiqSigma: 10,
    marginAvailableUsd: 1e6,
    health: HEALTHY_VENUE,
    ...over,
  };
}

function input(venues: VenueSnapshot[], over: Partial<ExitInput> = {}): ExitInput {
  return { risk: { regime: 'Normal', killSwitch: false }, fairValue: S, fvAvailable: true, sigmaEff: defaults.volatility.sigmaMin, venues, nowUs: 0, ...over };
}

const sizes = (p: { orders: readonly { venueIndex: number; size: number }[] }): [number, number][] => p.orders.map((o) => [o.venueIndex, o.size]);

describe('exit_engine_tests', () => {
  describe('exit_respects_lot_size_and_min_notional', () => {
    it('skips a venue whose lot size (5) exceeds the 3 to exit and whose min notional is not met; uses the normal venue', () => {
      const c = config({}, (v, i) => (i === 1 ? { ...v, lotSize: 5, sizeStep: 5, maxOrderSize: 50, minNotionalUsd: 1000 } : v));
      const venues = [venue(c, 0, null, 3), venue(c, 1, 105), venue(c, 2, 104), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(plan.candidates[0].venueIndex).toBe(1); // the best price, but it cannot be used
      expect(sizes(plan)).toEqual([[2, 3]]);
      expect(plan.orders[0]).toMatchObject({ side: 'sell', sizeText: '3', limitPriceText: '103.75' });
    });
  });

  describe('exit_respects_min_notional', () => {
    it('skips a venue where 2 units (≈ 210 USD) are under its 500 USD minimum', () => {
      const c = config({}, (v, i) => (i === 1 ? { ...v, minNotionalUsd: 500 } : v));
      const venues = [venue(c, 0, null, 2), venue(c, 1, 105), venue(c, 2, 104), venue(c, 3, null), venue(c, 4, null)];
      expect(sizes(computeExitPlan(c, input(venues)))).toEqual([[2, 2]]);
    });
  });

  describe('exit_profit_only_blocks_unprofitable_exits', () => {
    it('a bid below the entry price gives no exit', () => {
      const c = config({ edgeMinUsd: 0.25 });
      const venues = [venue(c, 0, null, 10), venue(c, 1, 100, 0, {}, 2), venue(c, 2, null), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(plan.orders).toEqual([]);
      expect(plan.idleReason).toBe('no-profitable-venue');
      expect(plan.candidates[0].edge.baseProfit).toBeCloseTo(-1, 12);
    });
    it('a base profit above the minimum is still blocked when fees, slippage and the vol buffer eat the edge', () => {
      const c = config({ edgeMinUsd: 0.05, volBufferMult: 1000 });
      const venues = [venue(c, 0, null, 10), venue(c, 1, 100.5, 0, {}, 0.1), venue(c, 2, null), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues, { sigmaEff: 1e-4 }));
      expect(plan.candidates[0].edge.baseProfit).toBeGreaterThan(0.05);
      expect(plan.candidates[0].edge.netEdge).toBeLessThan(0.05);
      expect(plan.orders).toEqual([]);
    });
  });

  describe('exit_splits_across_best_venues_when_capped_per_venue', () => {
    it('sells 6 on the best venue and 4 on the next', () => {
      const c = config({ maxVenuePerTick: 6 });
      const venues = [venue(c, 0, null, 10), venue(c, 1, 102), venue(c, 2, 101.5), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(sizes(plan)).toEqual([
        [1, 6],
        [2, 4],
      ]);
      expect(plan.orders.every((o) => o.side === 'sell')).toBe(true);
    });
    it('a short exits by buying', () => {
      const c = config({ maxVenuePerTick: 6 });
      const venues = [venue(c, 0, null, -10), venue(c, 1, 98), venue(c, 2, 98.5), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(plan.orders.map((o) => [o.venueIndex, o.side, o.size])).toEqual([
        [1, 'buy', 6],
        [2, 'buy', 4],
      ]);
    });
  });

  describe('exit_skips_disabled_or_toxic_or_stale', () => {
    it('never uses a disabled, toxic or stale venue', () => {
      const c = config();
      const now = c.fairValue.staleBookMaxAgeUs + 1;
      const fresh = (i: number, mid: number): VenueSnapshot => {
        const v = venue(c, i, mid);
        return { ...v, book: { ...v.book!, timestampUs: now } };
      };
      const venues = [
        venue(c, 0, null, 5),
        { ...fresh(1, 105), health: { ...HEALTHY_VENUE, disabled: true } },
        { ...fresh(2, 105), health: { ...HEALTHY_VENUE, toxicity: c.risk.toxicityHighThreshold + 0.01 } },
        venue(c, 3, 105),
        fresh(4, 102),
      ];
      const plan = computeExitPlan(c, input(venues, { nowUs: now }));
      expect(sizes(plan)).toEqual([[4, 5]]);
      expect(plan.skipped).toEqual([
        { venueId: 'venue-a', reason: 'no-book' },
        { venueId: 'venue-b', reason: 'disabled' },
        { venueId: 'venue-c', reason: 'toxic' },
        { venueId: 'venue-d', reason: 'stale' },
      ]);
    });
  });

  describe('exit_prefers_less_fragmentation_when_edges_similar', () => {
    it('with identical prices, closing an existing leg beats opening a new one, against the index order', () => {
      const c = config({ maxVenuePerTick: 2, fragmentationPenaltyPerUnit: 0.1, fragmentationReductionBonus: 0.5 });
      const venues = [venue(c, 0, null, 3), venue(c, 1, 103), venue(c, 2, 103, 2), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(plan.orders[0].venueIndex).toBe(2);
      expect(plan.candidates[0].edge.fragmentationBonus).toBe(0.5);
      const neutral = config({ maxVenuePerTick: 2, fragmentationPenaltyPerUnit: 0, fragmentationReductionBonus: 0 });
      expect(computeExitPlan(neutral, input(venues)).orders[0].venueIndex).toBe(1);
    });
    it('prefers the venue whose position it can close completely', () => {
      const c = config({ maxTotalPerTick: 5, maxVenuePerTick: 2.5, fragmentationReductionBonus: 0.5 });
      const venues = [venue(c, 0, null), venue(c, 1, 103, 3), venue(c, 2, 103, 2), venue(c, 3, null), venue(c, 4, null)];
      const plan = computeExitPlan(c, input(venues));
      expect(sizes(plan)).toEqual([
        [2, 2.5],
        [1, 2.5],
      ]);
      expect(plan.candidates.map((x) => x.edge.fragmentationBonus)).toEqual([0.5, 0]);
    });
  });

  describe('exit_prefers_less_basis_risk_when_edges_similar', () => {
    // Venues 1 and 2 sell at the same bid (102.5) but mid differs: 103 vs 102.75.
    const c = config({ maxVenuePerTick: 5, maxTotalPerTick: 5, basisWeight: 0, basisRiskPenaltyWeight: 0.5 });
    const candidates = (hedgeLeg: VenueSnapshot): VenueSnapshot[] => [venue(c, 0, null, 10), venue(c, 1, 103, 0, {}, 1), venue(c, 2, 102.75, 0, {}, 0.5), hedgeLeg, venue(c, 4, null)];
    it('with positive basis exposure it sells where the exit reduces |B| most (the richer mid)', () => {
      const plan = computeExitPlan(c, input(candidates(venue(c, 3, 96, -5, { avgEntryPrice: 96 }))));
      expect(plan.orders[0].venueIndex).toBe(1);
      expect(plan.candidates[0].edge.basisRiskPenalty).toBeLessThan(0);
    });
    it('with negative basis exposure it sells where the exit increases |B| least', () => {
      const plan = computeExitPlan(c, input(candidates(venue(c, 3, 96, 5))));
      expect(plan.orders[0].venueIndex).toBe(2);
      expect(plan.candidates[0].edge.netEdge).toBeCloseTo(plan.candidates[1].edge.netEdge, 12);
    });
  });

  describe('exit_deterministic_ordering_with_identical_edges', () => {
    it('identical venues are used in index order and the plan digest is stable', () => {
      const c = config({ maxVenuePerTick: 5, basisWeight: 0, fundingWeight: 0, fragmentationPenaltyPerUnit: 0, fragmentationReductionBonus: 0, basisRiskPenaltyWeight: 0 });
      const venues = [venue(c, 0, null, 10), venue(c, 1, 103), venue(c, 2, 103), venue(c, 3, 103), venue(c, 4, 103)];
      const plan = computeExitPlan(c, input(venues));
      expect(sizes(plan)).toEqual([
        [1, 5],
        [2, 5],
      ]);
      expect(digestOf(plan)).toBe(digestOf(computeExitPlan(c, input(venues))));
    });
  });

  describe('exit invariants (property)', () => {
    it('sizes are on the size step, ≥ lot, notional ≥ minimum, total ≤ min(|q|, maxTotal), base profit > edgeMin, deterministic', () => {
      const venueRules = fc.record({ step: fc.constantFrom(0.001, 0.01, 0.1, 0.5, 1, 5), lotMult: fc.integer({ min: 1, max: 5 }), minNotional: fc.double({ min: 0, max: 2000, noNaN: true }) });
      const arb = fc.record({
        rules: fc.array(venueRules, { minLength: 5, maxLength: 5 }),
        mids: fc.array(fc.option(fc.double({ min: 90, max: 110, noNaN: true }), { nil: null }), { minLength: 5, maxLength: 5 }),
        positions: fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 5, maxLength: 5 }),
        entries: fc.array(fc.double({ min: 95, max: 105, noNaN: true }), { minLength: 5, maxLength: 5 }),
        maxTotal: fc.double({ min: 0.5, max: 40, noNaN: true }),
        maxVenue: fc.double({ min: 0.5, max: 20, noNaN: true }),
      });
      fc.assert(
        fc.property(arb, (a) => {
          const c = config({ maxTotalPerTick: a.maxTotal, maxVenuePerTick: a.maxVenue, edgeMinUsd: 0.05 }, (v, i) => ({
            ...v,
            sizeStep: a.rules[i].step,
            lotSize: a.rules[i].step * a.rules[i].lotMult,
            minNotionalUsd: a.rules[i].minNotional,
            maxOrderSize: 100,
          }));
          const venues = c.venues.map((_, i) => venue(c, i, a.mids[i], a.positions[i], { avgEntryPrice: a.entries[i] }));
          const plan = computeExitPlan(c, input(venues));
          const q = a.positions.reduce((s, x) => s + x, 0);
          let total = 0;
          for (const o of plan.orders) {
            const v = c.venues[o.venueIndex];
            expect(new Decimal(o.sizeText).mod(new Decimal(v.sizeStep)).isZero()).toBe(true);
            expect(o.size).toBeGreaterThanOrEqual(v.lotSize - 1e-12);
            expect(o.size * o.limitPrice).toBeGreaterThanOrEqual(v.minNotionalUsd);
            expect(o.side).toBe(q > 0 ? 'sell' : 'buy');
            const cand = plan.candidates.find((x) => x.venueIndex === o.venueIndex)!;
            expect(cand.edge.baseProfit).toBeGreaterThan(c.exit.edgeMinUsd);
            expect(cand.edge.netEdge).toBeGreaterThan(c.exit.edgeMinUsd);
            total += o.size;
          }
          expect(total).toBeLessThanOrEqual(Math.min(Math.abs(q), a.maxTotal) + 1e-9);
          expect(digestOf(plan)).toBe(digestOf(computeExitPlan(c, input(venues))));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('exit preconditions', () => {
    it('no fair value or flat: no exit', () => {
      const c = config();
      const venues = [venue(c, 0, null, 10), venue(c, 1, 103), venue(c, 2, null), venue(c, 3, null), venue(c, 4, null)];
      expect(computeExitPlan(c, input(venues, { fvAvailable: false })).idleReason).toBe('no-fair-value');
      expect(computeExitPlan(c, input(venues.map((v) => ({ ...v, positionQty: 0 })))).idleReason).toBe('flat');
    });
  });
});
