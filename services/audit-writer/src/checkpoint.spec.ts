import { auditTesting, type TrailRecord } from '@fleet/audit';
import { AUDIT_CHECKPOINT_TYPE, AVRO_SCHEMAS, Topics } from '@fleet/contracts';
import { checkEnvelope } from '@fleet/events';
import { AvroCodec, type AvroSchemaJson } from '@fleet/kafka';
import { StubRegistry } from '@fleet/kafka/testing';
import { checkpointOf, segmentEventTimeUs } from './checkpoint';

const events = auditTesting.flowEvents({ instrument: 'ETH-PERP', orders: 2, startUs: 1_800_000_000_000_000 });
const trail = auditTesting.buildTrail(auditTesting.sourcesOf(events), { maxRecords: 6, maxBytes: 1 << 20 });
const records = (name: string): TrailRecord[] => Buffer.from(trail.segments.get(name)!).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as TrailRecord);

describe('segmentEventTimeUs', () => {
  it('is the latest envelope event time of the segment', () => {
    const seal = trail.manifest.segments[1];
    const inSegment = events.slice(seal.firstSeq - 1, seal.lastSeq).map((e) => (e.value as unknown as { envelope: { eventTimeUs: number } }).envelope.eventTimeUs);
    expect(segmentEventTimeUs(records(seal.file))).toBe(Math.max(...inSegment));
  });

  it('falls back to the latest record timestamp when no record has an envelope', () => {
    expect(segmentEventTimeUs([{ value: { bytesBase64: 'AQID' }, timestampMs: 1_700_000_000_002 }, { value: null, timestampMs: 1_700_000_000_001 }])).toBe(1_700_000_000_002_000);
  });
});

describe('checkpointOf', () => {
  const seal = trail.manifest.segments[1];

  it('carries the seal under an envelope keyed by the session and sequenced by segment', () => {
    const cp = checkpointOf('0123456789abcdef01234567', seal, 1_800_000_000_009_000);
    expect(cp).toMatchObject({
      sessionId: '0123456789abcdef01234567',
      segmentIndex: 1,
      segmentId: 'segment-000001.jsonl',
      previousChainHead: trail.manifest.segments[0].lastHash,
      chainHead: seal.lastHash,
      recordCount: 6,
      segmentDigest: seal.sha256,
      envelope: { producer: 'audit-writer', sequence: 2, eventTimeUs: 1_800_000_000_009_000, causation: [] },
    });
    expect(cp.toOffsets).toEqual(seal.toOffsets.map((m) => ({ topic: m.topic, partition: m.partition, offset: Number(m.offset) })));
    expect(checkEnvelope(cp)).toBeUndefined();
  });

  it('is the same event, id for id, when built again from the same seal', () => {
    expect(checkpointOf('s', seal, 5)).toEqual(checkpointOf('s', seal, 5));
    expect(checkpointOf('s', seal, 5).envelope.eventId).not.toBe(checkpointOf('s', trail.manifest.segments[0], 5).envelope.eventId);
  });

  it('fits the audit.checkpoint schema', async () => {
    const codec = new AvroCodec(new StubRegistry());
    const cp = checkpointOf('s', seal, 5);
    const bytes = await codec.encode(Topics.auditCheckpoint, AVRO_SCHEMAS[AUDIT_CHECKPOINT_TYPE] as AvroSchemaJson, cp);
    expect((await codec.decode(bytes, AVRO_SCHEMAS[AUDIT_CHECKPOINT_TYPE] as AvroSchemaJson)).value).toEqual(cp);
  });
});
