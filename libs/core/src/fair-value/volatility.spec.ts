import fc from 'fast-check';
import { createStrategyConfig, defaultStrategyConfig } from '../config';
import { initialFairValueState } from './fair-value-state';
import { stepFairValue } from './kalman-fair-value';
import { type VenueBookTop } from './market-data';
import { computeVolScalars, effectiveSigma, ewmaVarianceRate } from './volatility';

const cfg = defaultStrategyConfig();
const SEC = 1_000_000;

function flatBooks(mid: number, t: number): VenueBookTop[] {
  return cfg.venues.map((v) => ({ venueId: v.venueId, bestBid: mid - 0.05, bestAsk: mid + 0.05, bidDepth: 10, askDepth: 10, timestampUs: t }));
}

describe('vol_floor_tests', () => {
  describe('sigma_eff_never_below_sigma_min', () => {
    it('holds for any price path through the filter', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -0.002, max: 0.002, noNaN: true }), { minLength: 1, maxLength: 60 }), (rets) => {
          let s = initialFairValueState(cfg);
          let px = 100;
          rets.forEach((r, k) => {
            px *= Math.exp(r);
            s = stepFairValue(cfg, s, flatBooks(px, k * SEC), k * SEC);
            expect(s.sigmaEff).toBeGreaterThanOrEqual(cfg.volatility.sigmaMin);
            expect(s.sigmaEff).toBe(Math.max(s.sigmaShort, cfg.volatility.sigmaMin));
          });
        }),
        { numRuns: 60 },
      );
    });
    it('holds for the pure formula', () => {
      fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (raw, floor) => effectiveSigma(raw, floor) >= floor));
    });
  });

  describe('sigma_eff_uses_floor_when_raw_vol_is_low', () => {
    it('a constant price decays the raw vol below sigma_min and sigma_eff equals sigma_min', () => {
      let s = initialFairValueState(cfg);
      for (let k = 0; k <= 600; k++) s = stepFairValue(cfg, s, flatBooks(100, k * SEC), k * SEC);
      expect(s.sigmaShort).toBeLessThan(cfg.volatility.sigmaMin);
      expect(s.sigmaEff).toBe(cfg.volatility.sigmaMin);
    });
    it('a moving price lifts sigma_eff above the floor', () => {
      let s = initialFairValueState(cfg);
      for (let k = 0; k <= 120; k++) s = stepFairValue(cfg, s, flatBooks(100 * (1 + 0.002 * (k % 2)), k * SEC), k * SEC);
      expect(s.sigmaShort).toBeGreaterThan(cfg.volatility.sigmaMin);
      expect(s.sigmaEff).toBe(s.sigmaShort);
    });
  });

  describe('vol_scalars_use_sigma_eff', () => {
    it('scalars come from the floored sigma, not the raw one', () => {
      const c = createStrategyConfig('balanced', { volatility: { sigmaMin: 3e-4, volRef: 1.5e-4 } });
      let s = initialFairValueState(c);
      for (let k = 0; k <= 600; k++) s = stepFairValue(c, s, flatBooks(100, k * SEC), k * SEC);
      expect(s.sigmaShort).toBeLessThan(1e-6);
      const fromEff = computeVolScalars(c.volatility, s.sigmaEff);
      expect(fromEff.volRatio).toBeCloseTo(2, 12);
      expect(fromEff.spreadMult).toBeCloseTo(2, 12);
      expect(fromEff.sizeMult).toBeCloseTo(0.5, 12);
      expect(fromEff.bandMult).toBeCloseTo(2, 12);
      expect(computeVolScalars(c.volatility, s.sigmaShort)).not.toEqual(fromEff);
    });
    it('clips the ratio to [volRatioMin, volRatioMax]', () => {
      expect(computeVolScalars(cfg.volatility, 1).volRatio).toBe(cfg.volatility.volRatioMax);
      expect(computeVolScalars(cfg.volatility, 1e-12).volRatio).toBe(cfg.volatility.volRatioMin);
      expect(computeVolScalars(cfg.volatility, 1e-12).spreadMult).toBe(1);
    });
  });

  describe('ewma variance rate', () => {
    it('is continuous at dt = 0 and estimates the variance rate of a steady random walk', () => {
      const hl = 10;
      expect(ewmaVarianceRate(1e-8, 0.001, 1e-9, hl)).toBeCloseTo(ewmaVarianceRate(1e-8, 0.001, 0, hl), 12);
      let v = 0;
      for (let k = 0; k < 2000; k++) v = ewmaVarianceRate(v, k % 2 === 0 ? 0.001 : -0.001, 1, hl);
      expect(v).toBeCloseTo(1e-6, 9);
    });
  });
});
