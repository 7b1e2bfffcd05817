import { gridCandidates, groupSummary, randomCandidates, toCsv } from './sweep';
import { initialPositionsFor, knobsLabel, runnerOverridesFor, validateKnobs } from './knobs';

describe('sweeps', () => {
  it('enumerates a grid in a fixed order', () => {
    const c = gridCandidates({ profile: ['balanced', 'aggressive'], values: { gamma: [0.1, 0.2], hedgeBand: [1] } });
    expect(c.map(knobsLabel)).toEqual([
      'profile=balanced gamma=0.1 hedgeBand=1',
      'profile=balanced gamma=0.2 hedgeBand=1',
      'profile=aggressive gamma=0.1 hedgeBand=1',
      'profile=aggressive gamma=0.2 hedgeBand=1',
    ]);
  });

  it('draws the same random candidates for the same seed, inside the ranges', () => {
    const space = { profile: ['balanced' as const], ranges: { gamma: { min: 0.01, max: 1, log: true }, sizeEta: { min: 0.1, max: 0.5 } } };
    const a = randomCandidates(space, 20, 5);
    expect(a).toEqual(randomCandidates(space, 20, 5));
    expect(a).not.toEqual(randomCandidates(space, 20, 6));
    for (const c of a) {
      expect(c.gamma!).toBeGreaterThanOrEqual(0.01);
      expect(c.gamma!).toBeLessThanOrEqual(1);
      expect(c.sizeEta!).toBeGreaterThanOrEqual(0.1);
    }
  });

  it('maps knobs onto the strategy configuration and refuses bad ones', () => {
    expect(runnerOverridesFor({ profile: 'balanced', gamma: 0.3, dailyLossLimit: 500 })).toEqual({
      profile: 'balanced',
      strategy: { quoting: { gamma: 0.3 }, hedge: undefined, volatility: undefined, risk: { dailyLossLimitUsd: 500 } },
    });
    expect(validateKnobs({ profile: 'bold' as never, gamma: -1 })).toEqual([
      'profile must be one of conservative, balanced, aggressive, received "bold"',
      'gamma must be a positive finite number, received -1',
    ]);
  });

  it('sweeps initialInventory (signed) in grids and random draws, and maps it onto the first venue', () => {
    const c = gridCandidates({ profile: ['balanced'], values: { gamma: [0.1], initialInventory: [-6, 0, 6] } });
    expect(c.map(knobsLabel)).toEqual(['profile=balanced gamma=0.1 initialInventory=-6', 'profile=balanced gamma=0.1 initialInventory=0', 'profile=balanced gamma=0.1 initialInventory=6']);
    const r = randomCandidates({ profile: ['balanced'], ranges: { initialInventory: { min: -5, max: 5 } } }, 20, 1);
    for (const k of r) expect(Math.abs(k.initialInventory!)).toBeLessThanOrEqual(5);
    expect(r.some((k) => k.initialInventory! < 0) && r.some((k) => k.initialInventory! > 0)).toBe(true);
    expect(() => randomCandidates({ profile: ['balanced'], ranges: { initialInventory: { min: 1, max: -1 } } }, 1, 1)).toThrow('range of initialInventory must satisfy min ≤ max (and 0 < min when log), received 1 and -1');
    const venues = [
      { venue: 'venue-a', sizeDecimals: 2 },
      { venue: 'venue-b', sizeDecimals: 2 },
    ];
    expect(initialPositionsFor({ profile: 'balanced', initialInventory: -1.234 }, venues)).toEqual({ 'venue-a': '-1.23' });
    expect(initialPositionsFor({ profile: 'balanced', initialInventory: 0.001 }, venues)).toBeUndefined();
    expect(initialPositionsFor({ profile: 'balanced' }, venues)).toBeUndefined();
    expect(runnerOverridesFor({ profile: 'balanced', initialInventory: -6 })).toEqual(runnerOverridesFor({ profile: 'balanced' }));
    expect(validateKnobs({ profile: 'balanced', initialInventory: Number.NaN })).toEqual(['initialInventory must be a finite number, received null']);
  });

  it('writes tidy CSV with quoting and a grouped summary', () => {
    const rows = [
      { label: 'a', pnl_total: 1, max_drawdown: 2, kill_switch: false },
      { label: 'a', pnl_total: 3, max_drawdown: 4, kill_switch: true },
      { label: 'b,c', pnl_total: -1, max_drawdown: 1, kill_switch: false },
    ];
    expect(toCsv(rows, ['label', 'pnl_total'])).toBe('label,pnl_total\na,1\na,3\n"b,c",-1\n');
    const g = groupSummary(rows, ['label']);
    expect(g[0]).toEqual({ label: 'a', runs: 2, pnl_mean: 2, pnl_std: Math.SQRT2, kill_rate: 0.5, max_drawdown_mean: 3, max_drawdown_max: 4 });
    expect(g[1]!.runs).toBe(1);
  });
});
