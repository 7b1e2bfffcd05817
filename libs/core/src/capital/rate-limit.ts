import type { TimeUs } from '../types';

/** The count of orders in the current rate window; window index = floor(t / windowUs). */
export interface RateWindow {
  readonly windowIndex: number;
  readonly count: number;
}

/** Returns the window index of `atUs`: floor(atUs / windowUs). */
export function rateWindowIndex(atUs: TimeUs, windowUs: number): number {
  return Math.floor(atUs / windowUs);
}

/** Returns the count that applies at `atUs` (zero in a later window), or undefined when `atUs` is in an earlier window. */
export function countInWindow(window: RateWindow, atUs: TimeUs, windowUs: number): number | undefined {
  const index = rateWindowIndex(atUs, windowUs);
  if (index < window.windowIndex) return undefined;
  return index === window.windowIndex ? window.count : 0;
}

/** Returns the window after one more order at `atUs` (the caller has checked the time is not earlier). */
export function recordInWindow(window: RateWindow, atUs: TimeUs, windowUs: number): RateWindow {
  const index = rateWindowIndex(atUs, windowUs);
  return index === window.windowIndex ? { windowIndex: index, count: window.count + 1 } : { windowIndex: index, count: 1 };
}
