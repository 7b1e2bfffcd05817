import { type SourceTick, type LaneOutput, type TickSourcePort } from '@fleet/service';

/**
 * One closed tick of the gateway: tick T covers event time (startUs + T·tickUs, startUs + (T+1)·tickUs]
 * (tick 0 also holds the opening instant startUs) and closes at `tickTimeUs`.
 */
export interface GatewayTick {
  readonly tick: number;
  /** startUs + (tick + 1)·tickUs: the time the tick closes at. */
  readonly tickTimeUs: number;
  /** Every md event of every instrument in the tick, in canonical order (see `compareMdEvents`), with envelopes. */
  readonly outputs: readonly LaneOutput[];
  /** Records published as they are (only the malformed record of FLEET_INJECT_MALFORMED_AT_TICK). */
  readonly raw?: SourceTick['raw'];
}

/**
 * Where the gateway's ticks come from: the simulator, a recorded file or live venues. The
 * lock-step loop (LaneSource) pulls one tick at a time, so a source never runs ahead of its
 * consumer.
 */
export interface TickSource extends TickSourcePort {
  /** The instruments the source publishes (the lane keys). */
  readonly instruments: readonly string[];
  /** The number of ticks of the session; undefined when live (the session ends when the source is closed). */
  readonly ticks: number | undefined;
  /** Returns the next tick, or undefined after the last one. */
  next(): Promise<GatewayTick | undefined>;
  /** Releases the source's files and connections; `next` then returns what was already received, then undefined. */
  close(): Promise<void>;
}

/** Returns the tick that holds event time `timeUs`: ticks are closed on the right, and the opening instant belongs to tick 0. */
export function tickOfTime(startUs: number, tickUs: number, timeUs: number): number {
  return timeUs <= startUs ? 0 : Math.ceil((timeUs - startUs) / tickUs) - 1;
}

/** Returns the time tick `tick` closes at: startUs + (tick + 1)·tickUs. */
export function tickCloseUs(startUs: number, tickUs: number, tick: number): number {
  return startUs + (tick + 1) * tickUs;
}

/** Returns the number of ticks that cover `durationUs` (the last one may reach past the end). */
export function ticksIn(durationUs: number, tickUs: number): number {
  return Math.ceil(durationUs / tickUs);
}
