import fc from 'fast-check';
import { createStrategyConfig, defaultStrategyConfig, type StrategyConfig } from '../config';
import { digestOf } from '../canonical';
import { fairValueTelemetry, healthyVenueIds, initialFairValueState, type FairValueState } from './fair-value-state';
import { gateVenueBook, stepFairValue } from './kalman-fair-value';
import { type VenueBookTop } from './market-data';

const cfg: StrategyConfig = defaultStrategyConfig();
const SEC = 1_000_000;

function book(i: number, mid: number, timestampUs: number, spread = 0.1): VenueBookTop {
  return { venueId: cfg.venues[i].venueId, bestBid: mid - spread / 2, bestAsk: mid + spread / 2, bidDepth: 10, askDepth: 10, timestampUs };
}

/** Five books at `mids`, all stamped at `t`. */
function books(mids: readonly number[], t: number): VenueBookTop[] {
  return mids.map((m, i) => book(i, m, t));
}

/** Returns a state converged on 100 at time t after 20 one-second steps. */
function warmState(c: StrategyConfig = cfg, t0 = 0): FairValueState {
  let s = initialFairValueState(c);
  for (let k = 0; k <= 20; k++) s = stepFairValue(c, s, books([100, 100, 100, 100, 100], t0 + k * SEC), t0 + k * SEC);
  return s;
}

describe('fair_value_gating_tests', () => {
  describe('stale_venue_data_excluded_from_fv_update', () => {
    it('ignores a stale venue whatever its price, and uses the fresh ones', () => {
      const s0 = warmState();
      const t = 21 * SEC;
      const fresh = [book(0, 100.2, t), book(1, 100.2, t), book(2, 100.2, t), book(3, 100.2, t), book(4, 150, t - cfg.fairValue.staleBookMaxAgeUs - 1)];
      expect(gateVenueBook(cfg, fresh[4], s0.fairValue, t)).toBe('stale');
      const s1 = stepFairValue(cfg, s0, fresh, t);
      expect(s1.fvAvailable).toBe(true);
      expect(s1.healthyVenueCount).toBe(4);
      expect(healthyVenueIds(cfg, s1)).toEqual(['venue-a', 'venue-b', 'venue-c', 'venue-d']);
      expect(s1.fairValue!).toBeGreaterThan(100);
      expect(s1.fairValue!).toBeLessThanOrEqual(100.2 + 1e-9);
      // Identical to the step where venue e has no book at all: the stale one had no influence.
      const without = stepFairValue(cfg, s0, [fresh[0], fresh[1], fresh[2], fresh[3], null], t);
      expect(s1.fairValue).toBe(without.fairValue);
    });
  });

  describe('fv_degrades_gracefully_with_all_stale_data', () => {
    it('carries the estimate forward, grows its variance and reports fv_available = false', () => {
      const s0 = warmState();
      const stale = books([140, 60, 130, 70, 120], 20 * SEC);
      const t = 20 * SEC + cfg.fairValue.staleBookMaxAgeUs + 5 * SEC;
      const s1 = stepFairValue(cfg, s0, stale, t);
      expect(s1.fvAvailable).toBe(false);
      expect(s1.fairValue).toBe(s0.fairValue);
      expect(s1.variance).toBeGreaterThan(s0.variance);
      expect(s1.healthyVenueCount).toBe(0);
      expect(s1.sigmaEff).toBe(s0.sigmaEff);
      const s2 = stepFairValue(cfg, s1, stale, t + 10 * SEC);
      expect(s2.fairValue).toBe(s0.fairValue);
      expect(s2.variance).toBeGreaterThan(s1.variance);
      // Fresh data again: the filter recovers near the new prices, never garbage.
      const s3 = stepFairValue(cfg, s2, books([100.1, 100.1, 100.1, 100.1, 100.1], t + 11 * SEC), t + 11 * SEC);
      expect(s3.fvAvailable).toBe(true);
      expect(s3.fairValue!).toBeGreaterThan(100.05);
      expect(s3.fairValue!).toBeLessThanOrEqual(100.1 + 1e-9);
    });
    it('has no fair value at all before enough fresh venues are seen', () => {
      const s = stepFairValue(cfg, initialFairValueState(cfg), [book(0, 100, 0), null, null, null, null], 0);
      expect(s.fairValue).toBeNull();
      expect(s.fvAvailable).toBe(false);
    });
  });

  describe('outlier_venue_excluded_from_fv_update', () => {
    it('excludes a venue far (in bps) from the estimate and keeps the estimate near the others', () => {
      const s0 = warmState();
      const t = 21 * SEC;
      const s1 = stepFairValue(cfg, s0, books([100, 100, 100, 100, 110], t), t);
      expect(gateVenueBook(cfg, book(4, 110, t), s0.fairValue, t)).toBe('outlier');
      expect(s1.healthyVenueCount).toBe(4);
      expect(healthyVenueIds(cfg, s1)).not.toContain('venue-e');
      expect(Math.abs(s1.fairValue! - 100)).toBeLessThan(1e-9);
    });
    it('re-anchors on a consensus move that every venue agrees on', () => {
      const s0 = warmState();
      const t = 21 * SEC;
      const s1 = stepFairValue(cfg, s0, books([110, 110, 110.01, 110, 110], t), t);
      expect(s1.fvAvailable).toBe(true);
      expect(Math.abs(s1.fairValue! - 110)).toBeLessThan(0.02);
    });
  });

  describe('min_healthy_threshold_enforced', () => {
    it('sets fv_available = false below minHealthyVenues and leaves the estimate unchanged', () => {
      const c = createStrategyConfig('balanced', { fairValue: { minHealthyVenues: 3 } });
      const s0 = warmState(c);
      const t = 21 * SEC;
      const two = [book(0, 100.3, t), book(1, 100.3, t), null, null, null];
      const s1 = stepFairValue(c, s0, two, t);
      expect(s1.healthyVenueCount).toBe(2);
      expect(s1.fvAvailable).toBe(false);
      expect(s1.fairValue).toBe(s0.fairValue);
      const three = [book(0, 100.3, t), book(1, 100.3, t), book(2, 100.3, t), null, null];
      const s2 = stepFairValue(c, s0, three, t);
      expect(s2.fvAvailable).toBe(true);
      expect(s2.healthyVenueCount).toBe(3);
      expect(s2.fairValue).not.toBe(s0.fairValue);
    });
    it('counts an outlier as unhealthy', () => {
      const c = createStrategyConfig('balanced', { fairValue: { minHealthyVenues: 3 } });
      const s0 = warmState(c);
      const t = 21 * SEC;
      const s1 = stepFairValue(c, s0, [book(0, 100, t), book(1, 100, t), book(2, 120, t), null, null], t);
      expect(s1.fvAvailable).toBe(false);
      expect(s1.healthyVenueCount).toBe(2);
    });
  });

  describe('telemetry_fields_populated_correctly', () => {
    it('reports fair value, fv_available, healthy venue ids and count and sigma_eff', () => {
      const s0 = warmState();
      const t = 21 * SEC;
      const s1 = stepFairValue(cfg, s0, [book(0, 100, t), null, book(2, 100, t), book(3, 100, t - 10 * SEC), book(4, 100, t)], t);
      const tel = fairValueTelemetry(cfg, s1);
      expect(tel).toEqual({
        fair_value: s1.fairValue,
        fv_available: true,
        healthy_venues_used: ['venue-a', 'venue-c', 'venue-e'],
        healthy_venues_used_count: 3,
        sigma_eff: s1.sigmaEff,
        sigma_short: s1.sigmaShort,
        sigma_long: s1.sigmaLong,
      });
      expect(tel.sigma_eff).toBeGreaterThanOrEqual(cfg.volatility.sigmaMin);
    });
  });

  describe('determinism', () => {
    it('gives the same digest for the same book stream', () => {
      const stream = fc.array(fc.tuple(fc.array(fc.double({ min: 95, max: 105, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 2 * SEC })), {
        minLength: 1,
        maxLength: 40,
      });
      fc.assert(
        fc.property(stream, (events) => {
          const run = (): string => {
            let s = initialFairValueState(cfg);
            let t = 0;
            for (const [mids, dt] of events) {
              t += dt;
              s = stepFairValue(cfg, s, books(mids, t), t);
            }
            return digestOf(s);
          };
          expect(run()).toBe(run());
        }),
        { numRuns: 50 },
      );
    });
  });
});
