import { bootstrapDifference } from './bootstrap';
import { mean, quantile, sampleStd } from './quantile';
import { conditionalValueAtRisk, maxDrawdown, tailCount, tailRisk, valueAtRisk } from './tail-risk';
import { wilsonInterval } from './wilson';

describe('type-7 quantiles', () => {
  it('match hand-computed values (the NumPy/R default)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([4, 1, 3, 2], 0.01)).toBeCloseTo(1.03, 12);
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('refuses empty samples, bad probabilities and non-finite values, saying what was received', () => {
    expect(() => quantile([], 0.5)).toThrow('empty sample');
    expect(() => quantile([1], 1.5)).toThrow('received 1.5');
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow('NaN at index 1');
  });

  it('computes the mean and the sample standard deviation', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});

describe('VaR and CVaR at 95%', () => {
  const pnl = Array.from({ length: 100 }, (_, i) => i - 50); // −50 … 49

  it('gives VaR as a positive loss: −Q(0.05) = 45.05', () => {
    expect(valueAtRisk(pnl)).toBeCloseTo(45.05, 10);
  });

  it('gives CVaR as the mean loss of the worst ⌈5%·n⌉ = 5 episodes: 48', () => {
    expect(tailCount(100, 0.95)).toBe(5);
    expect(conditionalValueAtRisk(pnl)).toBeCloseTo(48, 12);
  });

  it('uses at least one tail observation for small samples', () => {
    expect(tailCount(10, 0.95)).toBe(1);
    expect(conditionalValueAtRisk([3, -2, 5])).toBe(2);
  });

  it('is negative (a gain) when even the worst tail makes money', () => {
    expect(valueAtRisk([10, 11, 12])).toBeLessThan(0);
  });
});

describe('drawdown', () => {
  it('is the largest peak-to-trough fall', () => {
    expect(maxDrawdown([0, 10, 4, 12, 1, 5])).toBe(11);
    expect(maxDrawdown([1, 2, 3])).toBe(0);
  });
});

describe('Wilson score interval', () => {
  it('matches the textbook values for 5 of 10 and 0 of 10', () => {
    const half = wilsonInterval(5, 10);
    expect(half.point).toBe(0.5);
    expect(half.lower).toBeCloseTo(0.236593, 5);
    expect(half.upper).toBeCloseTo(0.763407, 5);
    const none = wilsonInterval(0, 10);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(3.841459 / 13.841459, 6);
  });

  it('matches 1 of 100 (0.00177, 0.05448)', () => {
    const w = wilsonInterval(1, 100);
    expect(w.lower).toBeCloseTo(0.001767, 5);
    expect(w.upper).toBeCloseTo(0.054488, 5);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow('received 11');
    expect(() => wilsonInterval(0, 0)).toThrow('received 0');
  });
});

describe('tailRisk', () => {
  it('assembles the quantiles, VaR/CVaR, drawdown tail and kill probability', () => {
    const episodes = Array.from({ length: 100 }, (_, i) => ({ pnl: i - 50, maxDrawdown: i + 1, killed: i % 20 === 0 }));
    const t = tailRisk(episodes);
    expect(t.pnl.quantiles.p50).toBeCloseTo(-0.5, 12);
    expect(t.pnl.quantiles.p01).toBeCloseTo(-49.01, 10);
    expect(t.pnl.quantiles.p99).toBeCloseTo(48.01, 10);
    expect(t.pnl.var).toBeCloseTo(45.05, 10);
    expect(t.pnl.cvar).toBeCloseTo(48, 12);
    expect(t.drawdown.var).toBeCloseTo(95.05, 10);
    expect(t.drawdown.cvar).toBeCloseTo(98, 12);
    expect(t.killProbability.kills).toBe(5);
    expect(t.killProbability.point).toBe(0.05);
    expect(t.killProbability.upper).toBeCloseTo(wilsonInterval(5, 100).upper, 15);
  });
});

describe('bootstrapDifference', () => {
  const a = Array.from({ length: 50 }, (_, i) => 10 + (i % 7));
  const b = Array.from({ length: 50 }, (_, i) => 5 + (i % 5));

  it('is reproducible for a seed and brackets the observed difference', () => {
    const x = bootstrapDifference(a, b, { seed: 7, resamples: 500 });
    const y = bootstrapDifference(a, b, { seed: 7, resamples: 500 });
    expect(x).toEqual(y);
    expect(x.estimate).toBeCloseTo(mean(a) - mean(b), 12);
    expect(x.lower).toBeLessThan(x.estimate);
    expect(x.upper).toBeGreaterThan(x.estimate);
    expect(x.lower).toBeGreaterThan(0);
  });

  it('changes with the seed', () => {
    expect(bootstrapDifference(a, b, { seed: 1, resamples: 200 }).lower).not.toBe(bootstrapDifference(a, b, { seed: 2, resamples: 200 }).lower);
  });
});
