/**
 * What a replay of one service must reproduce, read off the recorded log: the topics and lanes
 * the service closed ticks on (its tick marks), the tick to replay up to, and its recorded
 * decisions up to that tick. Pure.
 */
import { type LoggedRecord } from '@fleet/fleet-session';
import { type SessionLog, type TickMark } from './session-reader';

/** One (topic, lane) the service writes on, as its tick marks show. */
export interface OutputSlot {
  readonly topic: string;
  readonly partition: number;
}

/** The plan of a replay. */
export interface ReplayPlan {
  readonly service: string;
  /** Every (topic, lane) the service closed ticks on, sorted. */
  readonly slots: readonly OutputSlot[];
  /** The service's output topics (catalogue names), sorted. */
  readonly topics: readonly string[];
  /** The lanes the service processed, sorted. */
  readonly lanes: readonly number[];
  /** The last tick the service closed on every slot of the recording. */
  readonly lastRecordedTick: number;
  /** The tick the replay runs to (inclusive). */
  readonly toTick: number;
  /** The service's recorded decisions of ticks up to `toTick`. */
  readonly recorded: readonly LoggedRecord[];
}

/** A replay that cannot be planned: the message says why. */
export class ReplayPlanError extends Error {
  override readonly name = 'ReplayPlanError';
}

/**
 * Returns the plan of replaying `service` over `log` up to `toTick` (the last tick the service
 * closed when undefined). Throws a {@link ReplayPlanError} when the log holds no tick mark of the
 * service or `toTick` lies beyond what it recorded.
 */
export function planReplay(log: SessionLog, service: string, toTick?: number): ReplayPlan {
  const own: TickMark[] = log.marks.filter((m) => m.producer === service);
  if (own.length === 0) {
    const producers = [...new Set(log.marks.map((m) => m.producer))].sort();
    throw new ReplayPlanError(`the session's log holds no tick mark of ${service} (producers with marks: ${producers.join(', ') || 'none'})`);
  }
  const slots = own.map((m) => ({ topic: m.topic, partition: m.partition })).sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const lastRecordedTick = Math.min(...own.map((m) => m.tick));
  if (toTick !== undefined && (toTick < 0 || toTick > lastRecordedTick)) throw new ReplayPlanError(`--to-tick must be from 0 to ${lastRecordedTick}, the last tick ${service} closed on every lane; received ${toTick}`);
  const target = toTick ?? lastRecordedTick;
  return {
    service,
    slots,
    topics: [...new Set(slots.map((s) => s.topic))].sort(),
    lanes: [...new Set(slots.map((s) => s.partition))].sort((a, b) => a - b),
    lastRecordedTick,
    toTick: target,
    recorded: log.records.filter((r) => r.producer === service && r.tick <= target),
  };
}

/** Returns the slots whose replay has not closed `toTick` yet, given the replay's last marked tick of each. */
export function pendingSlots(plan: ReplayPlan, lastMarked: (topic: string, partition: number) => number): OutputSlot[] {
  return plan.slots.filter((s) => lastMarked(s.topic, s.partition) < plan.toTick);
}
