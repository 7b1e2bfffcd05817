import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting, type TrailManifest, type TrailRecord, verifyTrail } from '@fleet/audit';
import { readTrailFiles } from '@fleet/audit-store';
import { AVRO_SCHEMAS, type AuditCheckpoint, type TopicSpec, Topics } from '@fleet/contracts';
import { AvroCodec, type AvroSchemaJson, type IncomingRecord, LANE_HEADER } from '@fleet/kafka';
import { StubRegistry } from '@fleet/kafka/testing';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { registerAuditMetrics } from './audit-metrics';
import { AuditTrailWriter, type CheckpointSink, TrailResumeError } from './audit-trail-writer';
import { walTopicsUnder } from './kafka-adapters';
import { FakeWalConsumer } from './testing/fake-wal-consumer';
import { PROGRESS_FILE, type PartitionWatermark, type TrailProgress } from './trail-progress';

const PREFIX = 'spec.';
const PARTITION = 2;
const topics = walTopicsUnder(PREFIX);
const events = [...auditTesting.flowEvents({ instrument: 'ETH-PERP', orders: 4 }), ...auditTesting.flowEvents({ instrument: 'BTC-PERP', venue: 'bybit', orders: 2 })];

/** The log of the spec: partition 2 of each topic, events in order with a tick mark after every second event and one at the end. */
async function buildLog(codec: AvroCodec): Promise<Map<string, IncomingRecord[]>> {
  const log = new Map<string, IncomingRecord[]>();
  const push = (topic: string, record: Omit<IncomingRecord, 'topic' | 'partition' | 'offset'>): void => {
    const list = log.get(topic) ?? [];
    list.push({ ...record, topic, partition: PARTITION, offset: String(list.length) });
    log.set(topic, list);
  };
  const mark = (topic: string, tick: number): void =>
    push(topic, { key: null, value: Buffer.alloc(0), headers: { [LANE_HEADER.mark]: '1', [LANE_HEADER.tick]: String(tick), [LANE_HEADER.producer]: 'spec' }, timestamp: '1700000000000' });
  const counts = new Map<string, number>();
  for (const [i, e] of events.entries()) {
    const topic = `${PREFIX}${e.topic.name}`;
    const spec: TopicSpec = topics.find((t) => t.name === topic)!;
    push(topic, { key: Buffer.from(e.key), value: await codec.encode(spec, AVRO_SCHEMAS[e.valueType] as AvroSchemaJson, e.value), headers: {}, timestamp: String(1_700_000_000_000 + i) });
    const n = (counts.get(topic) ?? 0) + 1;
    counts.set(topic, n);
    if (n % 2 === 0) mark(topic, n);
  }
  for (const topic of log.keys()) mark(topic, 1_000);
  return log;
}

const markCount = (log: Map<string, IncomingRecord[]>): number => [...log.values()].flat().filter((r) => r.headers[LANE_HEADER.mark] !== undefined).length;

function watermarksOf(log: Map<string, IncomingRecord[]>, low = '0'): (names: readonly string[]) => Promise<PartitionWatermark[]> {
  return async (names) =>
    names.flatMap((topic) => {
      const partitions = topics.find((t) => t.name === topic)!.partitions;
      return Array.from({ length: partitions }, (_, partition) => ({ topic, partition, low, high: partition === PARTITION ? String(log.get(topic)?.length ?? 0) : '0' }));
    });
}

class ArraySink implements CheckpointSink {
  readonly published: AuditCheckpoint[] = [];
  constructor(private readonly failAt?: number) {}
  async publish(checkpoint: AuditCheckpoint): Promise<void> {
    if (this.published.length + 1 === this.failAt) throw new Error('broker unavailable');
    this.published.push(checkpoint);
  }
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Delivers every record of the log at or after the consumer's seek for its partition, `chunk` records per batch. */
async function deliverFrom(consumer: FakeWalConsumer, log: Map<string, IncomingRecord[]>, chunk = 4): Promise<void> {
  const seeks = new Map(consumer.steps.filter((s) => s.startsWith('seek ')).map((s) => s.slice(5).split('@') as [string, string]));
  for (const [topic, records] of log) {
    const from = Number(seeks.get(`${topic}/${PARTITION}`) ?? '0');
    for (let i = from; i < records.length; i += chunk) await consumer.deliver(topic, PARTITION, records.slice(i, i + chunk));
  }
}

describe('AuditTrailWriter', () => {
  let dir: string;
  let codec: AvroCodec;
  let log: Map<string, IncomingRecord[]>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-writer-svc-'));
    codec = new AvroCodec(new StubRegistry());
    log = await buildLog(codec);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function writer(consumer: FakeWalConsumer, sink: CheckpointSink, metrics: FleetMetrics, options: { segmentRecords?: number; queueCapacity?: number; onFatal?: (e: Error) => void; at?: string } = {}): AuditTrailWriter {
    return new AuditTrailWriter({
      dir: options.at ?? dir,
      topics,
      consumer,
      codec,
      watermarks: watermarksOf(log),
      checkpoints: sink,
      sessionId: 'session-spec',
      segmentRecords: options.segmentRecords ?? 5,
      queueCapacity: options.queueCapacity ?? 100,
      metrics: registerAuditMetrics(metrics),
      wallClockMs: () => 1_750_000_000_000,
      onFatal: options.onFatal,
    });
  }

  const newMetrics = (): FleetMetrics => createIsolatedMetrics({ service: 'audit-writer', instance: 'spec' });
  const manifestOf = (at = dir): TrailManifest => JSON.parse(readFileSync(join(at, 'manifest.json'), 'utf8')) as TrailManifest;
  const progressOf = (at = dir): TrailProgress => JSON.parse(readFileSync(join(at, PROGRESS_FILE), 'utf8')) as TrailProgress;
  const recordsOf = async (at = dir): Promise<TrailRecord[]> =>
    [...(await readTrailFiles(at)).segments.values()].flatMap((b) => Buffer.from(b).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as TrailRecord));

  it('chains every event once, skips and counts tick marks, and publishes one checkpoint per sealed segment', async () => {
    const consumer = new FakeWalConsumer();
    const sink = new ArraySink();
    const metrics = newMetrics();
    const w = writer(consumer, sink, metrics);
    const report = await w.start();
    expect(report).toMatchObject({ sealedSegments: 0, progress: 'absent', checkpointsPublished: 0, partitions: topics.reduce((n, t) => n + t.partitions, 0), lagAtStart: [...log.values()].flat().length });
    consumer.join([0, 1, 2, 3, 4, 5]);
    // A fresh trail reads every partition from the start of its log.
    expect(consumer.steps.filter((s) => s.startsWith('seek ')).every((s) => s.endsWith('@0'))).toBe(true);
    await deliverFrom(consumer, log);
    await w.stop();

    const files = await readTrailFiles(dir);
    expect(verifyTrail(files)).toMatchObject({ ok: true, summary: { records: events.length, orderCommands: 6, fills: 6 } });
    const records = await recordsOf();
    expect(records.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.value.envelope.eventId).sort());
    expect(records.every((r) => r.topic.startsWith(PREFIX) && r.partition === PARTITION)).toBe(true);

    const manifest = manifestOf();
    expect(manifest.segments).toHaveLength(Math.ceil(events.length / 5));
    expect(sink.published.map((c) => [c.segmentIndex, c.envelope.sequence, c.chainHead, c.recordCount])).toEqual(manifest.segments.map((s) => [s.index, s.index + 1, s.lastHash, s.recordCount]));
    expect(sink.published.every((c) => c.sessionId === 'session-spec')).toBe(true);

    // The sealed offsets end at each topic's last event; the progress goes on past the final tick mark.
    const progress = progressOf();
    expect(progress.head).toEqual(manifest.head);
    expect(progress.checkpointed).toBe(manifest.segments.length);
    for (const [topic, list] of log) {
      expect(progress.covered.find((c) => c.topic === topic)?.offset).toBe(String(list.length - 1));
      expect(BigInt(manifest.sealedOffsets.find((c) => c.topic === topic)!.offset)).toBeLessThan(BigInt(list.length - 1));
    }
    // The group's position is committed after each seal; the last segment filled up exactly, so
    // stopping seals nothing and commits once more for the tick marks after it: covered + 1.
    expect(events.length % 5).toBe(0);
    const commits = consumer.steps.filter((s) => s.startsWith('commit '));
    expect(commits).toHaveLength(manifest.segments.length + 1);
    expect(commits[commits.length - 1]).toBe(`commit ${progress.covered.map((c) => `${c.topic}/${c.partition}@${BigInt(c.offset) + 1n}`).join(',')}`);

    const body = (await metrics.exposition()).body;
    expect(body).toMatch(new RegExp(`fleet_audit_marks_total\\{[^}]*\\} ${markCount(log)}\\b`));
    expect(body).toMatch(new RegExp(`fleet_audit_chain_height\\{[^}]*\\} ${events.length}\\b`));
    expect(body).toMatch(/fleet_audit_lag_records\{[^}]*\} 0\b/);
    expect(body).toMatch(/fleet_audit_last_checkpoint_timestamp_seconds\{[^}]*\} 1750000000\b/);
    expect(body).toMatch(/fleet_audit_overflow_total\{[^}]*\} 0\b/);
  });

  it('after a crash resumes at the covered offsets with no gap and no duplicate, and publishes the checkpoint the crash lost', async () => {
    const firstConsumer = new FakeWalConsumer();
    const firstSink = new ArraySink(3);
    let fatal: Error | undefined;
    const first = writer(firstConsumer, firstSink, newMetrics(), { onFatal: (e) => (fatal = e) });
    await first.start();
    firstConsumer.join([PARTITION]);
    await deliverFrom(firstConsumer, log);
    await waitFor('the failed checkpoint', () => fatal !== undefined);
    // The third seal is on disk but its checkpoint failed: the writer stops as a crash would.
    await expect(first.stop()).rejects.toThrow('broker unavailable');
    expect(manifestOf().segments).toHaveLength(3);
    expect(progressOf()).toMatchObject({ checkpointed: 2, head: { seq: 10 } });
    // The seal emptied the open segment; the queued records after it are read again from the log.
    expect(readdirSync(dir).some((f) => f.endsWith('.open.jsonl'))).toBe(false);

    const consumer = new FakeWalConsumer();
    const sink = new ArraySink();
    const second = writer(consumer, sink, newMetrics());
    const report = await second.start();
    expect(report).toMatchObject({ sealedSegments: 3, progress: 'trusted', checkpointsPublished: 1, head: { seq: 15 } });
    expect(report.discarded).toEqual([]);
    expect(sink.published.map((c) => c.segmentIndex)).toEqual([2]);
    consumer.join([PARTITION]);
    // Each partition resumes after the higher of its sealed event and its covered offset.
    const manifest = manifestOf();
    const covered = progressOf().covered;
    for (const topic of log.keys()) {
      const sealed = BigInt(manifest.sealedOffsets.find((m) => m.topic === topic)?.offset ?? '-1');
      const past = BigInt(covered.find((m) => m.topic === topic)?.offset ?? '-1');
      expect(consumer.steps).toContain(`seek ${topic}/${PARTITION}@${(sealed > past ? sealed : past) + 1n}`);
    }
    await deliverFrom(consumer, log);
    await second.stop();

    expect(verifyTrail(await readTrailFiles(dir))).toMatchObject({ ok: true, summary: { records: events.length } });
    const ids = (await recordsOf()).map((r) => r.eventId);
    expect(new Set(ids).size).toBe(events.length);
    expect(ids.sort()).toEqual(events.map((e) => e.value.envelope.eventId).sort());
    expect([...firstSink.published, ...sink.published].map((c) => c.segmentIndex)).toEqual(manifestOf().segments.map((s) => s.index));
  });

  it('pauses consumption while the queue is full, counts each overflow, and loses nothing', async () => {
    const consumer = new FakeWalConsumer();
    const metrics = newMetrics();
    const w = writer(consumer, new ArraySink(), metrics, { queueCapacity: 1, segmentRecords: 1_000 });
    await w.start();
    consumer.join([PARTITION]);
    await deliverFrom(consumer, log, 1_000);
    await w.stop();
    const pauses = consumer.steps.filter((s) => s.startsWith('pause ')).length;
    const body = (await metrics.exposition()).body;
    const overflows = Number(/fleet_audit_overflow_total\{[^}]*\} (\d+)/.exec(body)![1]);
    expect(overflows).toBeGreaterThan(0);
    // One pause per overflow during consumption, one more when stopping; every overflow pause was resumed.
    expect(pauses).toBe(overflows + 1);
    expect(consumer.steps.filter((s) => s.startsWith('resume ')).length).toBe(overflows);
    expect((await recordsOf()).length).toBe(events.length);
  });

  it('gives the same trail bytes and checkpoints for the same log', async () => {
    const other = await mkdtemp(join(tmpdir(), 'audit-writer-svc-'));
    try {
      const sinks = [new ArraySink(), new ArraySink()];
      for (const [i, at] of [dir, other].entries()) {
        const consumer = new FakeWalConsumer();
        const w = writer(consumer, sinks[i], newMetrics(), { at });
        await w.start();
        consumer.join([PARTITION]);
        await deliverFrom(consumer, log);
        await w.stop();
      }
      const [a, b] = [await readTrailFiles(dir), await readTrailFiles(other)];
      expect(a.manifest).toEqual(b.manifest);
      for (const [name, bytes] of a.segments) expect(Buffer.from(bytes).equals(Buffer.from(b.segments.get(name)!))).toBe(true);
      expect(sinks[0].published).toEqual(sinks[1].published);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('ignores a progress file of another trail and resumes from the manifest', async () => {
    const consumer = new FakeWalConsumer();
    const w = writer(consumer, new ArraySink(), newMetrics());
    await w.start();
    consumer.join([PARTITION]);
    await deliverFrom(consumer, log);
    await w.stop();
    const progress = progressOf();
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify({ ...progress, head: { seq: 3, hash: 'f'.repeat(64) } }));
    const again = new FakeWalConsumer();
    const restarted = writer(again, new ArraySink(), newMetrics());
    const report = await restarted.start();
    expect(report.progress).toEqual({ ignored: 'the progress head (seq 3) is not a seal of this trail' });
    again.join([PARTITION]);
    const sealed = manifestOf().sealedOffsets.find((m) => m.topic === `${PREFIX}${Topics.budgetDelta.name}`)!;
    expect(again.steps).toContain(`seek ${sealed.topic}/${PARTITION}@${BigInt(sealed.offset) + 1n}`);
    await restarted.stop();
  });

  it('covers the transaction marker that ends a fetched batch, and resumes after it', async () => {
    const topic = `${PREFIX}${Topics.budgetDelta.name}`;
    const records = log
      .get(topic)!
      .filter((r) => r.headers[LANE_HEADER.mark] === undefined)
      .slice(0, 3)
      .map((r, i) => ({ ...r, offset: String(i) }));
    log = new Map([[topic, [...records, { ...records[2], offset: '3', value: null }]]]);
    const consumer = new FakeWalConsumer();
    const w = writer(consumer, new ArraySink(), newMetrics());
    await w.start();
    consumer.join([PARTITION]);
    // Offset 3 is a commit marker: the client hands over offsets 0..2 and reports the batch up to 3.
    await consumer.deliver(topic, PARTITION, records, { lastOffset: '3' });
    await w.stop();
    expect(manifestOf().sealedOffsets).toEqual([{ topic, partition: PARTITION, offset: '2' }]);
    expect(progressOf().covered).toEqual([{ topic, partition: PARTITION, offset: '3' }]);
    const again = new FakeWalConsumer();
    const restarted = writer(again, new ArraySink(), newMetrics());
    expect((await restarted.start()).lagAtStart).toBe(0);
    again.join([PARTITION]);
    expect(again.steps).toContain(`seek ${topic}/${PARTITION}@4`);
    await restarted.stop();
  });

  it('refuses to resume on a log that ends before the trail does', async () => {
    const consumer = new FakeWalConsumer();
    const w = writer(consumer, new ArraySink(), newMetrics());
    await w.start();
    consumer.join([PARTITION]);
    await deliverFrom(consumer, log);
    await w.stop();
    log = new Map([...log].map(([topic, records]) => [topic, records.slice(0, 1)]));
    const restarted = writer(new FakeWalConsumer(), new ArraySink(), newMetrics());
    const error = await restarted.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrailResumeError);
    const last = String(progressOf().covered.find((c) => c.topic === `${PREFIX}${Topics.orderEvent.name}`)!.offset);
    expect((error as TrailResumeError).problems).toContain(`${PREFIX}${Topics.orderEvent.name}/${PARTITION}: the trail covers offset ${last} but the log ends before offset 1; the topic was recreated or truncated`);
  });
});
