import { tickCloseUs, tickOfTime, ticksIn } from './tick-source';

describe('tick windows', () => {
  const start = 1_000_000;
  const tick = 250_000;

  it('closes ticks on the right and gives the opening instant to tick 0', () => {
    expect([start, start + 1, start + tick, start + tick + 1, start + 2 * tick].map((t) => tickOfTime(start, tick, t))).toEqual([0, 0, 0, 1, 1]);
    for (const t of [start + 1, start + 249_999, start + 250_000, start + 250_001, start + 999_999]) {
      const n = tickOfTime(start, tick, t);
      expect(t > tickCloseUs(start, tick, n) - tick && t <= tickCloseUs(start, tick, n)).toBe(true);
    }
  });

  it('covers a duration with whole ticks', () => {
    expect([ticksIn(60_000_000, tick), ticksIn(1_100_000, tick), ticksIn(tick, tick)]).toEqual([240, 5, 1]);
  });
});
