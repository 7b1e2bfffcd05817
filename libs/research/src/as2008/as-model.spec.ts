import { averageInventorySpread, inventorySpread, runAsExperiment, runAsPath, validateAsParams, type AsParams } from './as-model';

const paper: AsParams = { gamma: 0.1, sigma: 2, k: 1.5, A: 140, T: 1, dt: 0.005, s0: 100 };

describe('the Avellaneda–Stoikov (2008) model', () => {
  it('has the paper’s spread: γσ²(T − t) + (2/γ)ln(1 + γ/k)', () => {
    expect(inventorySpread(paper, 1)).toBeCloseTo(20 * Math.log(1 + 0.1 / 1.5), 12);
    expect(inventorySpread(paper, 1)).toBeCloseTo(1.2908, 4);
    expect(inventorySpread(paper, 0)).toBeCloseTo(1.2908 + 0.4, 4);
    // The time average over 200 steps: 1.2908 + 0.4 × (1 + 1/200)/2.
    expect(averageInventorySpread(paper)).toBeCloseTo(20 * Math.log(1 + 0.1 / 1.5) + 0.4 * 0.5025, 10);
  });

  it('is reproducible per seed', () => {
    expect(runAsPath(paper, 'inventory', 'x')).toEqual(runAsPath(paper, 'inventory', 'x'));
    expect(runAsPath(paper, 'inventory', 'x')).not.toEqual(runAsPath(paper, 'inventory', 'y'));
  });

  it('reproduces the paper’s qualitative result: the inventory strategy has less profit variance and inventory risk', () => {
    const r = runAsExperiment(paper, 300, 'spec');
    expect(r.inventory.profitMean).toBeGreaterThan(55);
    expect(r.inventory.profitMean).toBeLessThan(75);
    expect(r.symmetric.profitMean).toBeGreaterThan(r.inventory.profitMean - 10);
    expect(r.inventory.profitStd).toBeLessThan(r.symmetric.profitStd / 1.5);
    expect(r.inventory.finalInventoryStd).toBeLessThan(r.symmetric.finalInventoryStd / 2);
    expect(r.inventory.finalInventoryStd).toBeGreaterThan(2);
    expect(r.inventory.finalInventoryStd).toBeLessThan(4);
  });

  it('names bad parameters', () => {
    expect(validateAsParams({ ...paper, k: 0 })).toEqual(['k must be a positive finite number, received 0']);
    expect(validateAsParams({ ...paper, A: 400 })).toEqual(['A·dt must be at most 1 (it is a per-step fill probability at δ = 0), received 2']);
    expect(() => runAsExperiment(paper, 1, 1)).toThrow('paths must be an integer ≥ 2, received 1');
  });
});
