import { type SegmentSeal, type TrailRecord } from '@fleet/audit';
import { AUDIT_CHECKPOINT_TYPE, type AuditCheckpoint, type TopicOffset } from '@fleet/contracts';
import { withEnvelope } from '@fleet/events';
import { AUDIT_WRITER_SERVICE } from './audit-writer.constants';

/**
 * The event time of a segment, folded record by record: the latest envelope eventTimeUs of its
 * events (simulated time in a simulation), else — for a segment of undecodable records only —
 * the latest Kafka record timestamp. Both are facts of the log, so the checkpoint of a segment
 * is the same whenever it is built.
 */
export class SegmentEventTime {
  private eventUs: number | undefined;
  private recordMs = 0;

  /** Folds one record of the segment in. */
  add(record: Pick<TrailRecord, 'value' | 'timestampMs'>): void {
    const us = envelopeTimeUs(record.value);
    if (us !== undefined) this.eventUs = Math.max(this.eventUs ?? us, us);
    if (Number.isSafeInteger(record.timestampMs)) this.recordMs = Math.max(this.recordMs, record.timestampMs);
  }

  /** The segment's event time in integer microseconds. */
  get valueUs(): number {
    return this.eventUs ?? this.recordMs * 1_000;
  }
}

function envelopeTimeUs(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const envelope = (value as { envelope?: unknown }).envelope;
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const us = (envelope as { eventTimeUs?: unknown }).eventTimeUs;
  return typeof us === 'number' && Number.isSafeInteger(us) ? us : undefined;
}

/** Returns the event time of a whole segment's records (see {@link SegmentEventTime}). */
export function segmentEventTimeUs(records: readonly Pick<TrailRecord, 'value' | 'timestampMs'>[]): number {
  const time = new SegmentEventTime();
  for (const r of records) time.add(r);
  return time.valueUs;
}

function topicOffsets(marks: SegmentSeal['fromOffsets']): TopicOffset[] {
  return marks.map((m) => ({ topic: m.topic, partition: m.partition, offset: Number(m.offset) }));
}

/**
 * Returns the audit.checkpoint of a sealed segment: the seal's facts (chain heads, count,
 * digest, offsets) under an envelope keyed by the session, sequenced by segment (index + 1), at
 * the segment's event time. Everything is derived from the seal, so a checkpoint published
 * again after a crash is the same event with the same id.
 */
export function checkpointOf(sessionId: string, seal: SegmentSeal, eventTimeUs: number): AuditCheckpoint {
  return withEnvelope(
    { producer: AUDIT_WRITER_SERVICE, valueType: AUDIT_CHECKPOINT_TYPE, instrument: sessionId, sequence: seal.index + 1, eventTimeUs, causation: [] },
    {
      sessionId,
      segmentIndex: seal.index,
      segmentId: seal.file,
      previousChainHead: seal.previousHash,
      chainHead: seal.lastHash,
      recordCount: seal.recordCount,
      segmentDigest: seal.sha256,
      fromOffsets: topicOffsets(seal.fromOffsets),
      toOffsets: topicOffsets(seal.toOffsets),
    },
  );
}
