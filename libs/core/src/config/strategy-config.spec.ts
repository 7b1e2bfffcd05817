import Decimal from 'decimal.js';
import fc from 'fast-check';
import { createStrategyConfig, defaultStrategyConfig, RISK_PROFILE_NAMES, strategyConfigForProfile } from './default-strategy-config';
import { type StrategyConfig } from './strategy-config';
import { validateStrategyConfig } from './validate-strategy-config';
import { roundAskPrice, roundBidPrice, roundSizeDown, roundToGrid } from './venue-grid';

describe('strategy configuration', () => {
  it('every profile is valid', () => {
    for (const p of RISK_PROFILE_NAMES) expect(validateStrategyConfig(strategyConfigForProfile(p))).toEqual([]);
  });

  it('profiles order risk appetite: conservative < balanced < aggressive', () => {
    const [c, b, a] = RISK_PROFILE_NAMES.map((p) => strategyConfigForProfile(p));
    expect(c.quoting.gamma).toBeGreaterThan(b.quoting.gamma);
    expect(b.quoting.gamma).toBeGreaterThan(a.quoting.gamma);
    expect(c.risk.dailyLossLimitUsd).toBeLessThan(b.risk.dailyLossLimitUsd);
    expect(b.risk.deltaLimitUsd).toBeLessThan(a.risk.deltaLimitUsd);
    expect(c.risk.liqCritSigma).toBeGreaterThan(a.risk.liqCritSigma);
    expect(c.hedge.maxStep).toBeLessThan(a.hedge.maxStep);
    expect(c.exit.edgeMinUsd).toBeGreaterThan(a.exit.edgeMinUsd);
  });

  it('names each bad setting and what was received', () => {
    const base = defaultStrategyConfig();
    const bad: StrategyConfig = {
      ...base,
      venues: [{ ...base.venues[0], tickSize: 0 }, { ...base.venues[1], venueId: base.venues[0].venueId }],
      quoting: { ...base.quoting, gamma: -1, k: Number.NaN },
      risk: { ...base.risk, liqCritSigma: 6, liqWarnSigma: 5 },
      fairValue: { ...base.fairValue, minHealthyVenues: 3 },
    };
    const issues = validateStrategyConfig(bad);
    const byName = Object.fromEntries(issues.map((i) => [i.setting, i]));
    expect(byName['venues[0].tickSize'].message).toBe('venues[0].tickSize must be greater than zero, received 0');
    expect(byName['venues[1].venueId'].message).toBe('venues[1].venueId must be unique among the venues, received "venue-a"');
    expect(byName['quoting.gamma'].received).toBe(-1);
    expect(byName['quoting.k'].message).toMatch(/quoting\.k must be a finite number.*received NaN/);
    expect(byName['risk.liqCritSigma'].message).toBe('risk.liqCritSigma must be less than liqWarnSigma (5), received 6');
    expect(byName['fairValue.minHealthyVenues'].message).toBe('fairValue.minHealthyVenues must be at most the number of venues (2), received 3');
  });

  it('createStrategyConfig applies overrides and throws on an invalid result', () => {
    expect(createStrategyConfig('aggressive', { hedge: { maxStep: 3 } }).hedge.maxStep).toBe(3);
    expect(() => createStrategyConfig('balanced', { exit: { depthFraction: 2 } })).toThrow('exit.depthFraction must be in (0, 1], received 2');
    expect(() => strategyConfigForProfile('reckless' as never)).toThrow('unknown risk profile: received "reckless"');
  });
});

describe('venue grid rounding', () => {
  it('rounds bids down and asks up onto the tick grid, exactly', () => {
    expect(roundBidPrice(100.037, 0.01)).toEqual({ value: 100.03, text: '100.03', steps: 10003 });
    expect(roundAskPrice(100.031, 0.01)).toEqual({ value: 100.04, text: '100.04', steps: 10004 });
    expect(roundBidPrice(300.1, 0.1).text).toBe('300.1'); // 300.1 / 0.1 is 3000.9999999999995 in float
    expect(roundAskPrice(0.3, 0.1).text).toBe('0.3');
    expect(roundSizeDown(0.99, 0.07).text).toBe('0.98');
    expect(() => roundToGrid(1, 0, 'down')).toThrow('grid step must be a positive finite number, received 0');
  });
  it('property: bid ≤ price ≤ ask, within one step, on the grid', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.constantFrom(0.0001, 0.001, 0.01, 0.05, 0.1, 0.5, 1, 5), (px, tick) => {
        const b = roundBidPrice(px, tick);
        const a = roundAskPrice(px, tick);
        expect(b.value).toBeLessThanOrEqual(px * (1 + 1e-12));
        expect(a.value).toBeGreaterThanOrEqual(px * (1 - 1e-12));
        expect(a.steps - b.steps).toBeLessThanOrEqual(1);
        expect(Number(b.text)).toBe(b.value);
      }),
    );
  });
});

describe('venue grid text is exact', () => {
  it('property: the integer fast path agrees with decimal.js steps × step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e7 }), fc.constantFrom(0.00000001, 0.0001, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 10, 100), (lo, hi, step) => {
        const steps = hi * 1e8 + lo;
        const g = roundToGrid(steps * step, step, 'down');
        const exact = new Decimal(step).times(g.steps);
        expect(g.text).toBe(exact.toFixed());
        expect(g.value).toBe(exact.toNumber());
      }),
      { numRuns: 2000 },
    );
  });
});
