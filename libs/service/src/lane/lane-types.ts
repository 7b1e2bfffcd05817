import { type TopicSpec } from '@fleet/contracts';
import { type AvroSchemaJson } from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { type LaneSessionConfig } from './lane-config';

/**
 * The lane model of the fleet (docs/ARCHITECTURE.md, "Lock-step lanes").
 *
 * Every topic has the same partition count and every event is keyed by its canonical
 * instrument, so partition p of every topic carries the same instruments: partition p is a
 * *lane*. A service instance owns whole lanes (partition p of every input topic goes to the same
 * instance) and processes each lane one *tick* at a time. A tick is a slice of simulated (or,
 * live, wall-clock) time opened by market-gateway. Every record carries the tick it was produced
 * in, and every producer closes each tick on each partition of each of its output topics with a
 * *tick mark*. A lane processes tick T once it holds the mark of T from every producer of every
 * input topic (of T − 1 for a delayed input, a feedback edge such as order.event) and hands the
 * handler the tick's events in a canonical order, so the decisions depend only on the log, never
 * on arrival timing.
 */

/** One input event of a tick, decoded. */
export interface LaneEvent<T = unknown> {
  /** The catalogue topic name, without the process's topic prefix. */
  readonly topic: string;
  readonly partition: number;
  /** The record's offset, as Kafka reports it. */
  readonly offset: string;
  /** The tick the producer wrote it in. */
  readonly tick: number;
  /** The service that produced it. */
  readonly producer: string;
  /** The Kafka record timestamp, in milliseconds (wall clock of the broker; telemetry only, never for decisions). */
  readonly timestampMs: string;
  /** The decoded Avro payload (every payload has an envelope). */
  readonly value: T;
}

/**
 * One tick of one lane, as the handler sees it. `events` are in canonical order: the inputs in
 * the order the service declares them (a delayed input's events are those of tick − 1); within
 * one input, by producer name, then by offset.
 */
export interface LaneTick {
  readonly partition: number;
  readonly tick: number;
  /** The time the tick closes at, in (simulated) microseconds; decisions read time only from here and from event times. */
  readonly tickTimeUs: number;
  readonly events: readonly LaneEvent[];
}

/** One output of a tick: a catalogue topic (unprefixed), the key (the instrument) and the payload with its envelope. */
export interface LaneOutput {
  readonly spec: TopicSpec;
  readonly key: string;
  readonly value: object;
}

/** One input of a lane service. */
export interface LaneInput {
  readonly spec: TopicSpec;
  /** The Avro reader schema (AVRO_SCHEMAS[...]). */
  readonly schema: AvroSchemaJson;
  /** The services whose tick marks close a tick on this input (from the fleet topology). */
  readonly producers: readonly string[];
  /** True for a feedback edge: tick T consumes this input's events of tick T − 1. */
  readonly delayed?: boolean;
}

/**
 * The pure part of a lane service: per-lane state and one function per tick. No I/O, no clock,
 * no randomness: the same ticks in the same order give the same outputs and the same state.
 */
export interface LaneHandler<S = unknown> {
  /** Folds one tick of one lane into its state and returns the outputs, in order. */
  onTick(tick: LaneTick): readonly LaneOutput[];
  /** Returns the lane's state as plain JSON (for the Redis snapshot). */
  exportLane(partition: number): S;
  /** Replaces the lane's state with a snapshot. */
  importLane(partition: number, state: S): void;
  /** Forgets the lane (before a rebuild from the log, or when the lane moves to another instance). */
  resetLane(partition: number): void;
}

/** What a lane handler is built from: the agreed session, the service's own settings and the process metrics. */
export interface LaneHandlerContext<C = unknown> {
  readonly service: string;
  readonly instance: string;
  /** The session every service agrees on (scenario, seed, duration, tick, instruments). */
  readonly session: LaneSessionConfig;
  /** The service's own settings, as its config reader returned them. */
  readonly config: C;
  /**
   * The process metrics; handlers register their domain gauges and counters here (docs/metrics.md
   * names). Updating a metric is the only side effect a handler may have, and it never feeds back
   * into a decision.
   */
  readonly metrics: FleetMetrics;
}
