/**
 * The audit writer against the real stack: a realistic order flow is published to the
 * catalogue topics (one instrument unique to this run), the writer chains it, is killed
 * mid-way without sealing, restarts, and the final trail holds every event exactly once with
 * an intact chain, verified by the verify command; the manifest was replaced atomically.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting, type TrailRecord, verifyTrail } from '@fleet/audit';
import { AuditWriter, readTrailFiles } from '@fleet/audit-store';
import { AVRO_SCHEMAS } from '@fleet/contracts';
import { type AvroSchemaJson, EventPublisher, KafkaJsClient, AvroCodec, HttpSchemaRegistry, parseBrokers } from '@fleet/kafka';
import { createIsolatedMetrics } from '@fleet/metrics';

const repoRoot = join(__dirname, '..', '..', '..');

jest.setTimeout(180_000);

function env(name: 'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the integration global setup (or .local/stack.env) provides it`);
  return value;
}

const newClient = (clientId: string): KafkaJsClient => new KafkaJsClient({ clientId, brokers: parseBrokers(env('KAFKA_BROKERS')), logLevel: 'NOTHING' });
const newCodec = (): AvroCodec => new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL')));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('audit writer on the real stack', () => {
  const run = `${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}-${Date.now().toString(36)}`;
  const instrument = `AUDIT${run.replace(/[^A-Za-z0-9]/g, '')}-USDT-PERP`;
  const events = auditTesting.flowEvents({ instrument, orders: 6 });
  let dir: string;
  let publisher: EventPublisher;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-it-'));
    publisher = new EventPublisher(newClient(`audit-it-pub-${run}`).producer(), newCodec());
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  const publish = (list: typeof events): Promise<void> =>
    publisher.publish(list.map((e) => ({ spec: e.topic, schema: AVRO_SCHEMAS[e.valueType] as AvroSchemaJson, value: e.value, key: e.key })));

  const writer = (appended: TrailRecord[], metrics = createIsolatedMetrics({ service: 'audit-writer', instance: `it-${run}` })) =>
    new AuditWriter({
      dir,
      client: newClient(`audit-it-writer-${run}`),
      codec: newCodec(),
      groupId: `audit-it-${run}`,
      rotation: { maxRecords: 7, maxBytes: 1 << 20 },
      sealIntervalMs: 600_000,
      queueCapacity: 2,
      metrics,
      include: (s) => s.key === instrument,
      onAppend: (r) => appended.push(r),
    });

  it('chains every event exactly once across a crash and a restart, and the trail verifies', async () => {
    const half = 25;
    await publish(events.slice(0, half));

    const firstAppended: TrailRecord[] = [];
    const first = writer(firstAppended);
    const firstRecovery = await first.start();
    expect(firstRecovery).toMatchObject({ sealedSegments: 0, discarded: [] });
    await waitFor('the first writer to chain the first half', () => firstAppended.length >= half);
    // Killed mid-segment: 3 segments of 7 sealed, 4 records in the open segment.
    await first.crash();
    expect(first.error).toBeUndefined();
    expect(readdirSync(dir)).toContain('segment-000003.open.jsonl');

    await publish(events.slice(half));

    const secondAppended: TrailRecord[] = [];
    const metrics = createIsolatedMetrics({ service: 'audit-writer', instance: `it2-${run}` });
    const second = writer(secondAppended, metrics);
    const recovery = await second.start();
    expect(recovery.sealedSegments).toBe(3);
    expect(recovery.head.seq).toBe(21);
    expect(recovery.discarded).toEqual(['segment-000003.open.jsonl']);
    await waitFor('the second writer to chain the rest', () => (second.chainHead?.seq ?? 0) >= events.length);
    await second.stop();
    expect(second.error).toBeUndefined();

    // The restart re-chained exactly what was not sealed, from seq 22 on (the trail's order is
    // the consumption order across topics, so compare sets).
    expect(secondAppended[0].seq).toBe(22);
    const sealedBeforeCrash = new Set(firstAppended.slice(0, 21).map((r) => r.eventId));
    const rechained = secondAppended.map((r) => r.eventId);
    expect(rechained.filter((id) => sealedBeforeCrash.has(id))).toEqual([]);
    expect(new Set(rechained)).toEqual(new Set(events.map((e) => e.value.envelope.eventId).filter((id) => !sealedBeforeCrash.has(id))));

    const files = await readTrailFiles(dir);
    const manifest = files.manifest as { head: { seq: number }; segments: unknown[] };
    expect(manifest.head.seq).toBe(events.length);
    expect(manifest.segments).toHaveLength(Math.ceil(events.length / 7));
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.open.'))).toEqual([]);

    // The group's committed position is only a hint and never passes what is sealed: at most sealed + 1.
    const sealed = new Map((files.manifest as { sealedOffsets: { topic: string; partition: number; offset: string }[] }).sealedOffsets.map((m) => [`${m.topic}/${m.partition}`, BigInt(m.offset)]));
    const admin = newClient(`audit-it-admin-${run}`).admin();
    await admin.connect();
    const committed = await admin.fetchCommittedOffsets(`audit-it-${run}`, [...new Set(events.map((e) => e.topic.name))]);
    await admin.disconnect();
    for (const c of committed.filter((x) => x.offset !== '-1')) {
      expect(BigInt(c.offset)).toBeLessThanOrEqual((sealed.get(`${c.topic}/${c.partition}`) ?? -1n) + 1n);
    }
    expect(committed.some((x) => x.offset !== '-1')).toBe(true);

    const lines = [...files.segments.values()].flatMap((b) => Buffer.from(b).toString('utf8').split('\n').slice(0, -1));
    const ids = lines.map((l) => (JSON.parse(l) as TrailRecord).eventId);
    expect(ids).toHaveLength(events.length);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.value.envelope.eventId)));

    // The operator's command, as a separate process.
    const tool = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'tools', 'src', 'audit', 'verify.ts'), dir], { cwd: repoRoot, encoding: 'utf8' });
    expect(tool.stdout.split('\n')[0]).toBe(`trail ${dir}: intact`);
    expect(tool.status).toBe(0);
    expect(verifyTrail(files)).toMatchObject({ ok: true, summary: { records: events.length, orderCommands: 6, fills: 6, budgetDeltas: 13, positionStates: 6 } });

    const exposition = (await metrics.exposition()).body;
    expect(exposition).toMatch(new RegExp(`fleet_audit_chain_height\\{[^}]*\\} ${events.length}\\b`));
    expect(exposition).toMatch(/fleet_audit_overflow_total\{[^}]*\} 0\b/);
    expect(exposition).toMatch(/fleet_audit_lag_records\{[^}]*\} \d+/);
  });
});
