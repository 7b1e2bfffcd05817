/**
 * audit-writer against the REAL stack, run as the deployed artefact (`npm run build`, then
 * `node dist/services/audit-writer/src/main.js` in a child process), on every WAL topic under a
 * per-run FLEET_TOPIC_PREFIX: a few hundred Avro events across six topics, with lane tick marks
 * (empty values under the mark header) after each slice on every partition. The writer is
 * SIGKILLed while the stream flows, more is published, it restarts, and a SIGTERM seals the
 * tail: the chain verifies end to end, every event is in the trail exactly once, the marks are
 * skipped and counted, the covered offsets run past the final marks, the group never committed
 * past them, and audit.checkpoint holds one checkpoint per sealed segment.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting, type TrailManifest, type TrailRecord, verifyTrail } from '@fleet/audit';
import { readTrailFiles } from '@fleet/audit-store';
import { AUDIT_CHECKPOINT_TYPE, AVRO_SCHEMAS, type AuditCheckpoint, Topics, WAL_TOPICS } from '@fleet/contracts';
import { type AvroSchemaJson, EventPublisher, LANE_HEADER, type OutgoingRecord, provisionTopics } from '@fleet/kafka';
import { prefixedTopic } from '@fleet/service';
import { appendSentinels, newClient, newCodec, readToSentinels, runId, waitFor } from '../kafka/fixtures';

jest.setTimeout(1_200_000);

const repoRoot = join(__dirname, '..', '..', '..');

interface Started {
  readonly httpPort: number;
  readonly group: string;
  readonly sessionId: string;
  readonly recovery: { sealedSegments: number; head: { seq: number }; discarded: string[]; progress: unknown; checkpointsPublished: number };
}

/** An audit-writer child process. */
class WriterProcess {
  private out = '';
  readonly exited: Promise<number | string>;
  private readonly child;

  constructor(environment: Record<string, string | undefined>) {
    this.child = spawn(process.execPath, [join(repoRoot, 'dist', 'services', 'audit-writer', 'src', 'main.js')], { cwd: repoRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (c: Buffer) => (this.out += c.toString()));
    this.child.stderr.on('data', (c: Buffer) => (this.out += c.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  }

  output(): string {
    return this.out;
  }

  /** Waits for the started line and for /health/ready to answer 200 (a restarted member waits for the killed one's session to expire). */
  async ready(): Promise<Started> {
    let started: Started | undefined;
    try {
      await waitFor('audit-writer to start', () => {
        const line = this.out.split('\n').find((l) => l.startsWith('{"event":"started"'));
        if (line) started = JSON.parse(line) as Started;
        return started !== undefined;
      }, 300_000);
      await waitFor('/health/ready', async () => (await fetch(`http://127.0.0.1:${started!.httpPort}/health/ready`)).status === 200, 180_000);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; writer output so far:\n${this.out}`);
    }
    return started!;
  }

  async metrics(port: number): Promise<string> {
    return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  }

  /** Sends `signal` and returns the exit code (or the signal's name). */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | string> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Returns the value of a metric without labels of its own (the default labels are ignored), or undefined. */
function metricValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe('audit-writer service', () => {
  const prefix = `it-aw-${runId()}.`;
  const walTopics = WAL_TOPICS.map((t) => prefixedTopic(t, prefix));
  const checkpointTopic = prefixedTopic(Topics.auditCheckpoint, prefix);
  const client = newClient('audit-writer-it');
  const codec = newCodec();
  const publisher = new EventPublisher(client.producer(), codec);
  const marker = client.producer();
  const children: WriterProcess[] = [];
  // Two instruments on two venues (so fills never share an id), interleaved order by order.
  const flows = [auditTesting.flowEvents({ instrument: 'ETH-PERP', venue: 'binance', orders: 20 }), auditTesting.flowEvents({ instrument: 'BTC-PERP', venue: 'bybit', orders: 20 })];
  const events = flows[0].flatMap((e, i) => [e, flows[1][i]]);
  let dir: string;
  let marksPublished = 0;

  beforeAll(async () => {
    // The service runs compiled (Nest needs tsc's decorator metadata), as in production.
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'build', 'link-dist.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    dir = await mkdtemp(join(tmpdir(), 'audit-writer-it-'));
    const admin = client.admin();
    await admin.connect();
    try {
      await provisionTopics(admin, [...walTopics, checkpointTopic], { replicationFactor: 1 });
    } finally {
      await admin.disconnect();
    }
    await publisher.connect();
    await marker.connect();
  });

  afterAll(async () => {
    for (const c of children) await c.stop('SIGKILL');
    await publisher.disconnect();
    await marker.disconnect();
    const admin = client.admin();
    await admin.connect();
    await admin.deleteTopics([...walTopics, checkpointTopic].map((t) => t.name)).catch(() => undefined);
    await admin.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  function writerEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      ...process.env,
      FLEET_TOPIC_PREFIX: prefix,
      FLEET_HTTP_PORT: '0',
      FLEET_METRICS_PORT: '0',
      FLEET_SERVICE_INSTANCE: 'audit-writer-it',
      FLEET_AUDIT_DIR: dir,
      FLEET_AUDIT_SEGMENT_RECORDS: '20',
      FLEET_AUDIT_QUEUE_CAPACITY: '16',
      ...extra,
    };
  }

  function start(): WriterProcess {
    const child = new WriterProcess(writerEnv());
    children.push(child);
    return child;
  }

  /** Publishes a slice of events, then a tick mark on every partition of every topic the slice touched. */
  async function publishSlice(slice: typeof events, tick: number): Promise<void> {
    await publisher.publish(slice.map((e) => ({ spec: prefixedTopic(e.topic, prefix), schema: AVRO_SCHEMAS[e.valueType] as AvroSchemaJson, value: e.value, key: e.key })));
    const marks: OutgoingRecord[] = [...new Set(slice.map((e) => e.topic))].flatMap((t) =>
      Array.from({ length: t.partitions }, (_, partition) => ({
        topic: prefixedTopic(t, prefix).name,
        partition,
        key: null,
        value: Buffer.alloc(0),
        headers: { [LANE_HEADER.mark]: String(tick), [LANE_HEADER.tick]: String(tick), [LANE_HEADER.producer]: 'audit-writer-it' },
      })),
    );
    await marker.send(marks);
    marksPublished += marks.length;
  }

  const manifest = (): TrailManifest | undefined => {
    try {
      return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as TrailManifest;
    } catch {
      return undefined;
    }
  };

  it('chains every event exactly once across a SIGKILL mid-stream and a restart; the chain verifies and the marks are skipped', async () => {
    const slices = Array.from({ length: Math.ceil(events.length / 23) }, (_, i) => events.slice(i * 23, (i + 1) * 23));
    for (let i = 0; i < 5; i += 1) await publishSlice(slices[i], i + 1);

    // First run: the stream keeps flowing while the writer is killed.
    const first = start();
    const firstStarted = await first.ready();
    expect(firstStarted.group).toBe(`${prefix}fleet.audit-writer`);
    expect(firstStarted.sessionId).toMatch(/^[0-9a-f]{24}$/);
    expect(firstStarted.recovery).toMatchObject({ sealedSegments: 0, progress: 'absent', checkpointsPublished: 0 });
    const flowing = (async () => {
      for (let i = 5; i < 10; i += 1) {
        await publishSlice(slices[i], i + 1);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    // Killed with 100 records sealed and more chained after them, not yet sealed.
    await waitFor('the first writer to seal 100 records and chain more', () => (manifest()?.head.seq ?? 0) >= 100 && readdirSync(dir).some((f) => f.endsWith('.open.jsonl')), 300_000);
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    await flowing;
    for (let i = 10; i < slices.length; i += 1) await publishSlice(slices[i], i + 1);
    const sealedBeforeRestart = manifest()!;
    expect(sealedBeforeRestart.head.seq).toBeLessThan(events.length);

    // Second run: resumes from what was sealed, then a graceful stop seals the tail.
    const second = start();
    const started = await second.ready();
    expect(started.recovery).toMatchObject({ sealedSegments: sealedBeforeRestart.segments.length, head: { seq: sealedBeforeRestart.head.seq }, progress: 'trusted' });
    expect(started.recovery.discarded.some((f) => f.endsWith('.open.jsonl'))).toBe(true);
    let text = '';
    await waitFor('the trail to chain every event', async () => {
      text = await second.metrics(started.httpPort);
      return metricValue(text, 'fleet_audit_chain_height') === events.length && metricValue(text, 'fleet_audit_lag_records') === 0;
    }, 300_000);
    expect(metricValue(text, 'fleet_audit_marks_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'fleet_audit_overflow_total')).not.toBeUndefined();
    expect(metricValue(text, 'fleet_audit_last_checkpoint_timestamp_seconds')).toBeGreaterThan(1_600_000_000);
    expect(await second.stop('SIGTERM')).toBe(0);

    // The chain verifies; every event is in it exactly once.
    const files = await readTrailFiles(dir);
    const outcome = verifyTrail(files);
    expect(outcome).toMatchObject({ ok: true, summary: { records: events.length, orderCommands: 40, fills: 40, budgetDeltas: 82, positionStates: 40 } });
    const records = [...files.segments.values()].flatMap((b) => Buffer.from(b).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as TrailRecord));
    expect(records).toHaveLength(events.length);
    expect(new Set(records.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.value.envelope.eventId)));
    expect(records.every((r) => r.valueType !== 'fleet.audit.Undecodable')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp') || f.includes('.open.'))).toEqual([]);
    expect(marksPublished).toBeGreaterThan(0);

    // Every partition ends with a tick mark: the covered offsets reach the end of each log, past
    // the last sealed event, and the group's committed position never passed them.
    const final = manifest()!;
    const progress = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as { head: { seq: number }; covered: { topic: string; partition: number; offset: string }[]; checkpointed: number };
    expect(progress.head.seq).toBe(events.length);
    expect(progress.checkpointed).toBe(final.segments.length);
    const admin = client.admin();
    await admin.connect();
    try {
      const touched = [...new Set(events.map((e) => prefixedTopic(e.topic, prefix).name))];
      for (const topic of touched) {
        for (const w of await admin.fetchTopicOffsets(topic)) {
          const covered = progress.covered.find((c) => c.topic === topic && c.partition === w.partition);
          expect([topic, w.partition, covered?.offset]).toEqual([topic, w.partition, String(BigInt(w.high) - 1n)]);
          const sealed = final.sealedOffsets.find((c) => c.topic === topic && c.partition === w.partition);
          if (sealed) expect(BigInt(sealed.offset)).toBeLessThan(BigInt(w.high) - 1n);
        }
      }
      const committed = await admin.fetchCommittedOffsets(started.group, touched);
      for (const c of committed.filter((x) => x.offset !== '-1')) {
        const covered = progress.covered.find((p) => p.topic === c.topic && p.partition === c.partition)!;
        expect(BigInt(c.offset)).toBeLessThanOrEqual(BigInt(covered.offset) + 1n);
      }
      expect(committed.some((c) => c.offset !== '-1')).toBe(true);
    } finally {
      await admin.disconnect();
    }

    // One checkpoint per sealed segment, each carrying its seal (one may be repeated, identically, after the kill).
    await appendSentinels(checkpointTopic);
    const checkpoints = await Promise.all((await readToSentinels(checkpointTopic)).map(async (r) => (await codec.decode<AuditCheckpoint>(r.value, AVRO_SCHEMAS[AUDIT_CHECKPOINT_TYPE] as AvroSchemaJson)).value));
    expect([...new Set(checkpoints.map((c) => c.segmentIndex))].sort((a, b) => a - b)).toEqual(final.segments.map((s) => s.index));
    for (const c of checkpoints) {
      const seal = final.segments[c.segmentIndex];
      expect([c.sessionId, c.chainHead, c.previousChainHead, c.recordCount, c.segmentDigest]).toEqual([started.sessionId, seal.lastHash, seal.previousHash, seal.recordCount, seal.sha256]);
    }
    expect(new Set(checkpoints.map((c) => c.envelope.eventId)).size).toBe(final.segments.length);
  });

  it('refuses to start without a trail directory, naming the setting and exiting 78', async () => {
    const child = new WriterProcess(writerEnv({ FLEET_AUDIT_DIR: undefined, FLEET_AUDIT_QUEUE_CAPACITY: 'none' }));
    children.push(child);
    expect(await child.exited).toBe(78);
    expect(child.output()).toContain('FLEET_AUDIT_DIR must be an absolute directory path (the trail volume), received nothing (the variable is not set)');
    expect(child.output()).toContain('FLEET_AUDIT_QUEUE_CAPACITY must be an integer from 1 to 1000000, received "none"');
  });
});
