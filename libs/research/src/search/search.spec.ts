import { Prng } from '@fleet/core';
import { adversarialName, adversarialScore, cemInit, cemSample, cemUpdate, type CemOptions } from './cem';
import { dominates, mutateKnobs, nextGeneration, paretoFrontier, selectWinners, type Trial } from './pareto';

const t = (id: string, meanPnl: number, killProbUpper: number, drawdownCvar: number): Trial => ({ id, knobs: { profile: 'balanced' }, meanPnl, killProbUpper, drawdownCvar });

describe('Pareto frontier and winners', () => {
  const trials = [t('a', 10, 0.1, 100), t('b', 12, 0.2, 100), t('c', 9, 0.1, 120), t('d', 12, 0.2, 100), t('e', 5, 0.01, 50)];

  it('keeps the non-dominated trials, ordered deterministically', () => {
    expect(dominates(trials[0]!, trials[2]!)).toBe(true);
    expect(dominates(trials[1]!, trials[3]!)).toBe(false);
    expect(paretoFrontier(trials).map((x) => x.id)).toEqual(['b', 'd', 'a', 'e']);
  });

  it('picks each tier winner by mean PnL with ties broken by id, and null when nothing fits', () => {
    const w = selectWinners(trials, [
      { name: 'tight', maxKillProbUpper: 0.05, maxDrawdownCvar: 60, minMeanPnl: -Infinity },
      { name: 'mid', maxKillProbUpper: 0.1, maxDrawdownCvar: 200, minMeanPnl: -Infinity },
      { name: 'loose', maxKillProbUpper: 1, maxDrawdownCvar: 1e9, minMeanPnl: -Infinity },
      { name: 'none', maxKillProbUpper: 0, maxDrawdownCvar: 0, minMeanPnl: 0 },
    ]);
    expect([w.tight?.id, w.mid?.id, w.loose?.id, w.none]).toEqual(['e', 'a', 'b', null]);
    expect(selectWinners([...trials].reverse()).balanced?.id).toBe(selectWinners(trials).balanced?.id);
  });

  it('mutates and breeds deterministically within the ranges', () => {
    const space = { profile: ['balanced' as const, 'aggressive' as const], ranges: { gamma: { min: 0.05, max: 2 } } };
    const a = nextGeneration([trials[0]!], space, 6, Prng.seeded(1));
    expect(a).toEqual(nextGeneration([trials[0]!], space, 6, Prng.seeded(1)));
    expect(a).toHaveLength(6);
    for (const k of a) expect(k.gamma!).toBeGreaterThanOrEqual(0.05);
    const m = mutateKnobs({ profile: 'balanced', gamma: 1 }, space, Prng.seeded(2), 1);
    expect(m.gamma).not.toBe(1);
  });
});

describe('cross-entropy method', () => {
  const options: CemOptions = { dimensions: [{ name: 'x', min: -10, max: 10 }, { name: 'v', min: 0, max: 2, integer: true }], population: 40, eliteFraction: 0.2, smoothing: 0.7, minStdFraction: 0.01 };

  it('samples deterministically per seed and iteration, inside the bounds', () => {
    const s = cemInit(options.dimensions);
    expect(cemSample(s, options, 3)).toEqual(cemSample(s, options, 3));
    expect(cemSample(s, options, 3)).not.toEqual(cemSample(s, options, 4));
    for (const c of cemSample(s, options, 3)) {
      expect(Math.abs(c[0]!)).toBeLessThanOrEqual(10);
      expect([0, 1, 2]).toContain(c[1]);
    }
  });

  it('converges on the maximiser of a simple score', () => {
    let s = cemInit(options.dimensions);
    for (let i = 0; i < 15; i += 1) {
      const c = cemSample(s, options, 9);
      s = cemUpdate(s, options, c, c.map((x) => -((x[0]! - 7) ** 2)));
    }
    expect(s.mean[0]).toBeCloseTo(7, 0);
  });

  it('scores kills and drawdown up and PnL down, and names scenarios stably', () => {
    expect(adversarialScore({ killProb: 0.5, drawdownMean: 200, pnlMean: -100 })).toBeCloseTo(0.8, 12);
    expect(adversarialName({ a: 1, b: 2 })).toBe(adversarialName({ b: 2, a: 1 }));
    expect(adversarialName({ a: 1 })).toMatch(/^adv-[0-9a-f]{12}$/);
  });
});
