import { type InboundEvent } from '@fleet/kafka';

/**
 * The hot state of a decision service, kept per input partition (every input topic is keyed
 * by instrument, so one partition number holds the same instruments on every topic). The kit
 * snapshots it to Redis and rebuilds it from the log; the service only says how to fold one
 * input, and how to export and import one partition.
 */
export interface RecoverableState<P = unknown> {
  /** The version of the snapshot payload; a snapshot of another version is not loaded. */
  readonly stateVersion: number;
  /** Forgets everything about `partition`. */
  resetPartition(partition: number): void;
  /** Returns the state of `partition` as canonical-JSON-encodable data. */
  exportPartition(partition: number): P;
  /** Replaces the state of `partition` with a snapshot payload. */
  importPartition(partition: number, payload: P): void;
  /** Folds one input into the state exactly as live processing does, discarding the outputs. */
  replay(event: InboundEvent): void;
}
