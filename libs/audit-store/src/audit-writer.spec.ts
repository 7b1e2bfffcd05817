import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting, type TrailRecord, verifyTrail } from '@fleet/audit';
import { AVRO_SCHEMAS, Topics } from '@fleet/contracts';
import { AvroCodec, type AvroSchemaJson, type IncomingRecord } from '@fleet/kafka';
import { StubClient, StubRegistry } from '@fleet/kafka/testing';
import { createIsolatedMetrics } from '@fleet/metrics';
import { AuditWriter } from './audit-writer';
import { readTrailFiles } from './trail-files';

const instrument = 'BTC-USDT-PERP';
const events = auditTesting.flowEvents({ instrument, orders: 1 });

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not met');
}

describe('AuditWriter with a stub consumer', () => {
  let dir: string;
  let codec: AvroCodec;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-writer-'));
    codec = new AvroCodec(new StubRegistry());
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function records(topic: string, from = 0): Promise<IncomingRecord[]> {
    const list = events.filter((e) => e.topic.name === topic);
    const out: IncomingRecord[] = [];
    for (let i = 0; i < list.length; i += 1) {
      const e = list[i];
      const value = await codec.encode(e.topic, AVRO_SCHEMAS[e.valueType] as AvroSchemaJson, e.value);
      out.push({ topic, partition: 0, offset: String(from + i), key: Buffer.from(instrument), value, headers: {}, timestamp: '1700000000000' });
    }
    return out;
  }

  it('chains decoded events and undecodable bytes, skips re-deliveries and commits only sealed offsets', async () => {
    const client = new StubClient();
    const metrics = createIsolatedMetrics({ service: 'audit-writer', instance: 'spec' });
    const appended: TrailRecord[] = [];
    const writer = new AuditWriter({ dir, client, codec, groupId: 'g', rotation: { maxRecords: 3, maxBytes: 1 << 20 }, sealIntervalMs: 60_000, queueCapacity: 1, metrics, onAppend: (r) => appended.push(r) });
    await writer.start();
    const consumer = client.consumerStub!;
    const budget = await records(Topics.budgetDelta.name);
    const others = [...new Set(events.map((e) => e.topic.name))].filter((t) => t !== Topics.budgetDelta.name);
    await consumer.deliver(Topics.budgetDelta.name, 0, budget);
    let total = budget.length + 1;
    for (const topic of others) {
      const list = await records(topic);
      total += list.length;
      await consumer.deliver(topic, 0, list);
    }
    await consumer.deliver(Topics.deadLetter.name, 0, [{ topic: Topics.deadLetter.name, partition: 0, offset: '0', key: null, value: Buffer.from([1, 2, 3]), headers: {}, timestamp: '1700000000001' }]);
    await waitFor(() => appended.length === total);
    // A rebalance re-delivers the same batch: skipped, not chained twice.
    await consumer.deliver(Topics.budgetDelta.name, 0, budget);
    await new Promise((r) => setTimeout(r, 50));
    await writer.stop();

    expect(appended.slice(0, budget.length).map((r) => r.valueType)).toEqual(budget.map(() => 'fleet.events.BudgetDelta'));
    const undecodable = appended.filter((r) => r.valueType === 'fleet.audit.Undecodable');
    expect(undecodable).toHaveLength(1);
    expect(undecodable[0].value).toMatchObject({ bytesBase64: 'AQID', reason: expect.any(String) });
    const files = await readTrailFiles(dir);
    expect(verifyTrail(files)).toMatchObject({ ok: true, summary: { records: total, orderCommands: 1, fills: 1, budgetDeltas: 3, positionStates: 1 } });
    expect(readdirSync(dir).filter((f) => f.includes('.open.') || f.includes('.tmp-'))).toEqual([]);
    const commits = client.steps.filter((s) => s.op === 'commit-offsets');
    expect(commits.length).toBeGreaterThan(0);
    // The first seal (3 budget deltas, offsets 0..2) is committed as offset 3, never beyond what is sealed.
    expect(commits[0]).toEqual({ op: 'commit-offsets', offsets: `${Topics.budgetDelta.name}/0@3` });
    const exposition = (await metrics.exposition()).body;
    expect(exposition).toMatch(/fleet_audit_duplicates_skipped_total\{[^}]*\} 3\b/);
    expect(exposition).toMatch(/fleet_audit_undecodable_total\{[^}]*\} 1\b/);
    expect(exposition).toMatch(new RegExp(`fleet_audit_chain_height\\{[^}]*\\} ${total}\\b`));
  });
});
