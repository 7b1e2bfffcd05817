import { laneOf } from './lanes';

describe('laneOf', () => {
  it('is stable and within range for instrument keys', () => {
    for (const key of ['ETH-PERP', 'BTC-PERP', 'SOL-PERP']) {
      const lane = laneOf(key, 6);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(6);
      expect(laneOf(key, 6)).toBe(lane);
    }
  });

  it('puts the default session instruments on different lanes (murmur2 of the key, modulo 6)', () => {
    expect([laneOf('ETH-PERP', 6), laneOf('BTC-PERP', 6), laneOf('SOL-PERP', 6)]).toEqual([2, 3, 4]);
  });
});
