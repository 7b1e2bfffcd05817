import { timerDue } from './taker-lane';

describe('timerDue', () => {
  const start = 1_000_000_000;
  const second = 1_000_000;
  const tick = 250_000;

  it('is due on the tick that closes on or just past a boundary start + k·interval, k ≥ 1', () => {
    const due = Array.from({ length: 12 }, (_, i) => start + (i + 1) * tick).filter((t) => timerDue(start, second, tick, t));
    expect(due).toEqual([start + second, start + 2 * second, start + 3 * second]);
  });

  it('decides every boundary exactly once when the interval is not a multiple of the tick', () => {
    const due = Array.from({ length: 40 }, (_, i) => start + (i + 1) * 300_000).filter((t) => timerDue(start, 900_000, 300_000, t));
    expect(due).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39].map((n) => start + n * 300_000));
    const odd = Array.from({ length: 10 }, (_, i) => start + (i + 1) * 400_000).filter((t) => timerDue(start, second, 400_000, t));
    expect(odd).toEqual([start + 1_200_000, start + 2_000_000, start + 3_200_000, start + 4_000_000]);
  });

  it('is never due before the first boundary', () => {
    expect(timerDue(start, second, tick, start)).toBe(false);
    expect(timerDue(start, second, tick, start + second - 1)).toBe(false);
  });
});
