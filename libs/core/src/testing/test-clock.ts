import { type TimeUs } from '../types';

/** A source of the current time in microseconds (what services inject; the core never reads a clock). */
export interface Clock {
  nowUs(): TimeUs;
}

/** A clock that moves only when told to: for tests of time-dependent code. */
export class TestClock implements Clock {
  private current: TimeUs;

  /** Returns a clock standing at `startUs` (2026-01-01T00:00:00Z by default). */
  constructor(startUs: TimeUs = 1_767_225_600_000_000) {
    this.current = startUs;
  }

  /** Returns the current time. */
  nowUs(): TimeUs {
    return this.current;
  }

  /** Moves the clock forward by `us` microseconds (never backwards) and returns the new time. */
  advance(us: number): TimeUs {
    if (!Number.isInteger(us) || us < 0) throw new RangeError(`advance needs a non-negative integer number of microseconds, received ${us}`);
    this.current += us;
    return this.current;
  }

  /** Sets the clock to `us`, which must not be earlier than now. */
  set(us: TimeUs): void {
    if (us < this.current) throw new RangeError(`the test clock never goes back: now ${this.current}, received ${us}`);
    this.current = us;
  }
}
