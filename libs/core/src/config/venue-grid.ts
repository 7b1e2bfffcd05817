import Decimal from 'decimal.js';

/** A value on a venue grid: the exact decimal text for the venue and the float for model use. */
export interface GridValue {
  /** The float value (model use only). */
  readonly value: number;
  /** The exact decimal string sent to the venue: an integer multiple of the grid step. */
  readonly text: string;
  /** The integer number of grid steps. */
  readonly steps: number;
}

/** The direction a value is rounded onto a grid. */
export type GridRounding = 'down' | 'up';

// Float noise allowance when a value sits on a grid point (300.1 / 0.1 = 3000.9999999999995):
// an absolute 1e-9 step, or a few dozen ulps of the step count for large counts; never more than a quarter step.
const ON_GRID_ABS_EPS = 1e-9;
const ON_GRID_REL_EPS = 1e-14;

/**
 * Returns the integer number of `step`s nearest `value` in direction `rounding`, treating a
 * value within float noise of a grid point as on it.
 */
export function gridSteps(value: number, step: number, rounding: GridRounding): number {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`grid step must be a positive finite number, received ${step}`);
  if (!Number.isFinite(value)) throw new RangeError(`value to round onto the grid must be finite, received ${value}`);
  const raw = value / step;
  const nearest = Math.round(raw);
  if (Math.abs(raw - nearest) <= Math.min(0.25, Math.max(ON_GRID_ABS_EPS, ON_GRID_REL_EPS * Math.abs(raw)))) return nearest;
  return rounding === 'down' ? Math.floor(raw) : Math.ceil(raw);
}

/** The exact integer form of a grid step: step = units / 10^decimals. */
interface ExactStep {
  readonly step: number;
  readonly units: number;
  readonly decimals: number;
  readonly scale: number;
}

// Memo of a pure function (grid steps are few and fixed by configuration); bounded. The last
// two steps looked up are kept in front of it, since a venue quote alternates tick and size step.
const exactSteps = new Map<number, ExactStep>();
let lastA: ExactStep | null = null;
let lastB: ExactStep | null = null;

function exactStep(step: number): ExactStep {
  if (lastA !== null && lastA.step === step) return lastA;
  if (lastB !== null && lastB.step === step) {
    const hit = lastB;
    lastB = lastA;
    lastA = hit;
    return hit;
  }
  let e = exactSteps.get(step);
  if (e === undefined) {
    const d = new Decimal(step);
    const decimals = d.decimalPlaces();
    e = { step, units: d.times(new Decimal(10).pow(decimals)).toNumber(), decimals, scale: 10 ** decimals };
    if (exactSteps.size >= 256) exactSteps.clear();
    exactSteps.set(step, e);
  }
  lastB = lastA;
  lastA = e;
  return e;
}

function scaledToText(scaled: number, decimals: number): string {
  if (decimals === 0) return String(scaled);
  const neg = scaled < 0;
  const digits = String(Math.abs(scaled)).padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return (neg ? '-' : '') + (frac.length > 0 ? `${int}.${frac}` : int);
}

/**
 * Returns the float value of `steps` grid steps of `step`: the double nearest the exact decimal
 * steps × step (an integer scaled by the step's decimal places, divided once; decimal.js beyond
 * 2^53). Allocation-free on the fast path; `Number(gridText(steps, step))` equals it.
 */
export function gridValue(steps: number, step: number): number {
  const e = exactStep(step);
  const scaled = steps * e.units;
  if (Number.isSafeInteger(scaled)) return scaled / e.scale;
  return new Decimal(step).times(steps).toNumber();
}

/**
 * Returns the exact decimal text of `steps` grid steps of `step` (a multiple of the step, as
 * sent to a venue): integers scaled by the step's decimal places, decimal.js beyond 2^53.
 */
export function gridText(steps: number, step: number): string {
  const e = exactStep(step);
  const scaled = steps * e.units;
  if (Number.isSafeInteger(scaled)) {
    const value = scaled / e.scale;
    // A decimal of at most 15 significant digits survives the round trip through a double, so
    // JavaScript's shortest form of the nearest double is that decimal (outside exponent notation).
    const abs = value < 0 ? -value : value;
    return scaled > -1e15 && scaled < 1e15 && (abs === 0 || abs >= 1e-6) ? String(value) : scaledToText(scaled, e.decimals);
  }
  return new Decimal(step).times(steps).toFixed();
}

/**
 * Returns `value` rounded onto the grid of `step` (a tick or a size step) in direction
 * `rounding`, with its exact text (`gridText`) and float (`gridValue`). Hot paths that may
 * never send the value use `gridSteps` and `gridValue` and defer `gridText`.
 */
export function roundToGrid(value: number, step: number, rounding: GridRounding): GridValue {
  const steps = gridSteps(value, step, rounding);
  return { value: gridValue(steps, step), text: gridText(steps, step), steps };
}

/** Returns a bid price rounded down onto the tick grid (never more aggressive than the model price). */
export function roundBidPrice(price: number, tickSize: number): GridValue {
  return roundToGrid(price, tickSize, 'down');
}

/** Returns an ask price rounded up onto the tick grid (never more aggressive than the model price). */
export function roundAskPrice(price: number, tickSize: number): GridValue {
  return roundToGrid(price, tickSize, 'up');
}

/** Returns a size rounded down onto the size-step grid (never larger than asked). */
export function roundSizeDown(size: number, sizeStep: number): GridValue {
  return roundToGrid(Math.max(0, size), sizeStep, 'down');
}
