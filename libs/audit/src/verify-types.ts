import { type TrailRecord } from './record';

/** The check a trail failed. */
export type TrailCheck =
  | 'manifest'
  | 'segment-missing'
  | 'segment-seal'
  | 'record-format'
  | 'trail-sequence'
  | 'chain'
  | 'offset-order'
  | 'envelope-digest'
  | 'envelope-sequence'
  | 'order-approval'
  | 'order-reservation'
  | 'fill-order'
  | 'budget-sum'
  | 'position-sum';

/** The first broken link of a trail: which check, where, and why. */
export interface TrailFailure {
  readonly check: TrailCheck;
  /** Segment file name, when the failure is in a segment. */
  readonly segment?: string;
  /** Line in the segment file, from 1. */
  readonly line?: number;
  /** Trail sequence of the record, when one is at fault. */
  readonly seq?: number;
  /** What is wrong, in full words. */
  readonly reason: string;
}

/** A record with where it was read. */
export interface LocatedRecord {
  readonly record: TrailRecord;
  readonly segment: string;
  readonly line: number;
}

/** Counts of what a verified trail holds. */
export interface TrailSummary {
  readonly segments: number;
  readonly records: number;
  readonly head: { readonly seq: number; readonly hash: string };
  readonly orderCommands: number;
  readonly fills: number;
  readonly budgetDeltas: number;
  readonly positionStates: number;
}

/** The outcome of verifying a trail. */
export type VerifyOutcome = { readonly ok: true; readonly summary: TrailSummary } | { readonly ok: false; readonly failure: TrailFailure };

/** Returns the one-line text of a failure: `check at segment S line L seq N: reason`. */
export function describeFailure(failure: TrailFailure): string {
  const where = [
    failure.segment !== undefined ? `segment ${failure.segment}` : undefined,
    failure.line !== undefined ? `line ${failure.line}` : undefined,
    failure.seq !== undefined ? `seq ${failure.seq}` : undefined,
  ].filter((x) => x !== undefined);
  return `${failure.check}${where.length > 0 ? ` at ${where.join(' ')}` : ''}: ${failure.reason}`;
}

/** Returns a failure located at `at`. */
export function failureAt(check: TrailCheck, at: LocatedRecord, reason: string): TrailFailure {
  return { check, segment: at.segment, line: at.line, seq: at.record.seq, reason };
}
