import { runnerConfigForSim, type RunnerConfig, type RunnerConfigOverrides } from '../runner/runner-config';
import { type OperatorCommand, type OperatorCommandEvent, type TimerEvent } from '../runner/runner-events';
import { type FillEvent } from '../sim/exchange-events';
import { type BookEvent, type TradeEvent } from '../sim/market-events';
import { baseSimConfig, type SimVenueSpec } from '../sim/scenario';
import { type Side, type TimeUs, type VenueId } from '../types';

/** The start time the fixtures use: 2026-01-01T00:00:00Z, in microseconds. */
export const T0: TimeUs = 1_767_225_600_000_000;

/** The instrument the fixtures use. */
export const FIXTURE_INSTRUMENT = 'ETH-PERP';

/** The venues of the preset market. */
export function fixtureVenues(): readonly SimVenueSpec[] {
  return baseSimConfig().venues;
}

/** Returns a runner configuration over the preset venues. */
export function fixtureRunnerConfig(overrides: RunnerConfigOverrides = {}): RunnerConfig {
  return runnerConfigForSim(FIXTURE_INSTRUMENT, fixtureVenues(), overrides);
}

/** Returns the default feed sequence of a fixture event: a pure function of its time, so fixtures replay identically. */
function defaultSequence(atUs: TimeUs): number {
  return Math.max(1, atUs - T0 + 1);
}

/** Returns a book event with `levels` levels per side (sizes default to 5). */
export function bookEvent(venue: VenueId, bid: number, ask: number, atUs: TimeUs, opts: { bidSize?: number; askSize?: number; sequence?: number; levels?: number; step?: number } = {}): BookEvent {
  const levels = opts.levels ?? 1;
  const step = opts.step ?? 0.01;
  const bids = Array.from({ length: levels }, (_, i) => ({ price: Math.round((bid - i * step) * 100) / 100, size: opts.bidSize ?? 5 }));
  const asks = Array.from({ length: levels }, (_, i) => ({ price: Math.round((ask + i * step) * 100) / 100, size: opts.askSize ?? 5 }));
  return { type: 'book', venue, instrument: FIXTURE_INSTRUMENT, eventTimeUs: atUs, sequence: opts.sequence ?? defaultSequence(atUs), bids, asks };
}

/** Returns a trade print. */
export function tradeEvent(venue: VenueId, price: number, size: number, aggressor: Side, atUs: TimeUs, sequence = defaultSequence(atUs)): TradeEvent {
  return { type: 'trade', venue, instrument: FIXTURE_INSTRUMENT, eventTimeUs: atUs, sequence, price, size, aggressor };
}

/** Returns a fill of our order. */
export function fillEvent(venue: VenueId, clientOrderId: string, side: Side, price: string, size: string, atUs: TimeUs, opts: { fee?: string; liquidity?: 'maker' | 'taker'; remainingSize?: string } = {}): FillEvent {
  return { type: 'fill', venue, instrument: FIXTURE_INSTRUMENT, eventTimeUs: atUs, clientOrderId, fillId: `fill-${clientOrderId}-${atUs}`, side, price, size, fee: opts.fee ?? '0', liquidity: opts.liquidity ?? 'maker', remainingSize: opts.remainingSize ?? '0' };
}

/** Returns a timer tick. */
export function timerEvent(atUs: TimeUs): TimerEvent {
  return { type: 'timer', eventTimeUs: atUs };
}

/** Returns an operator command event. */
export function commandEvent(command: OperatorCommand, atUs: TimeUs): OperatorCommandEvent {
  return { type: 'command', eventTimeUs: atUs, command };
}

/** Returns book events for every preset venue around `mid` (half-spread in price units) at `atUs`. */
export function booksAround(mid: number, atUs: TimeUs, half = 0.15): BookEvent[] {
  return fixtureVenues().map((v) => bookEvent(v.venue, Math.round((mid - half) * 100) / 100, Math.round((mid + half) * 100) / 100, atUs));
}
