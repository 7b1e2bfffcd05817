import { Prng } from './prng';

describe('Prng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = Prng.seeded(42);
    const b = Prng.seeded(42);
    const c = Prng.seeded(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('draws uniforms in [0,1) with the right mean and normals with the right moments', () => {
    const p = Prng.seeded('moments');
    const n = 20000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i += 1) {
      const u = p.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 1);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i += 1) {
      const z = p.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('draws Poisson counts with the requested mean', () => {
    const p = Prng.seeded(7);
    let sum = 0;
    for (let i = 0; i < 20000; i += 1) sum += p.poisson(3);
    expect(sum / 20000).toBeCloseTo(3, 1);
  });
});
