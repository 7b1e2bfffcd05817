/**
 * Shared by the Kafka integration tests and their child processes: small test schemas (not the
 * fleet's contracts), deterministic test events, unique topic names, and helpers to create
 * topics, read a topic to its end and wait for a condition.
 */
import { AVRO_SCHEMAS, type TopicSpec } from '@fleet/contracts';
import { deriveId } from '@fleet/core';
import { AvroCodec, type AvroSchemaJson, HttpSchemaRegistry, KafkaJsClient, ensureTopics, parseBrokers } from '@fleet/kafka';
import { Kafka, logLevel } from 'kafkajs';

export function env(name: 'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the integration global setup (or .local/stack.env) provides it`);
  return value;
}

export const brokers = (): string[] => parseBrokers(env('KAFKA_BROKERS'));
export const newClient = (clientId: string): KafkaJsClient => new KafkaJsClient({ clientId, brokers: brokers(), logLevel: 'NOTHING' });
export const newCodec = (): AvroCodec => new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL')));

/** A name unique to this run: jest worker, pid and start time (tests only; never in library code). */
export function runId(): string {
  return `${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}-${Date.now().toString(36)}`;
}

export function testTopic<T>(name: string, partitions: number, valueType = 'fleet.test.TestInput'): TopicSpec<T> {
  return { name, key: 'instrument', valueType, partitions, retentionMs: 3_600_000, retentionBytes: -1, cleanupPolicy: 'delete', description: `integration test topic ${name}` };
}

// The fleet's own envelope, as generated from schemas/common/envelope.avsc.
const envelopeSchema = AVRO_SCHEMAS['fleet.common.Envelope']!;

export const inputSchema: AvroSchemaJson = {
  type: 'record',
  name: 'TestInput',
  namespace: 'fleet.test',
  fields: [
    { name: 'envelope', type: envelopeSchema },
    { name: 'instrument', type: 'string' },
    { name: 'seq', type: 'long' },
    { name: 'note', type: 'string' },
  ],
} as AvroSchemaJson;

export const outputSchema: AvroSchemaJson = {
  type: 'record',
  name: 'TestOutput',
  namespace: 'fleet.test',
  fields: [
    { name: 'envelope', type: envelopeSchema },
    { name: 'inputId', type: 'string' },
    { name: 'seq', type: 'long' },
  ],
} as AvroSchemaJson;

export interface TestEnvelope {
  eventId: string;
  correlationId: string;
  causation: string[];
  eventTimeUs: number;
  sequence: number;
  producer: string;
  schemaVersion: number;
  digest: string;
}
export interface TestInput {
  envelope: TestEnvelope;
  instrument: string;
  seq: number;
  note: string;
}
export interface TestOutput {
  envelope: TestEnvelope;
  inputId: string;
  seq: number;
}

const INSTRUMENTS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'XRP-PERP', 'DOGE-PERP'];

/** Returns input event `seq` of run `run`; the same arguments always give the same event. */
export function inputEvent(run: string, seq: number): TestInput {
  const eventId = deriveId('test-input', [run, seq], 32);
  const body = { instrument: INSTRUMENTS[seq % INSTRUMENTS.length], seq, note: `note ${seq} ✓` };
  return {
    envelope: {
      eventId,
      correlationId: deriveId('test-corr', [run, Math.floor(seq / 10)], 32),
      causation: seq % 3 === 0 ? [] : [deriveId('test-cause', [run, seq], 16)],
      eventTimeUs: 1_700_000_000_000_000 + seq,
      sequence: seq,
      producer: 'kafka-it-producer',
      schemaVersion: 1,
      digest: deriveId('test-digest', [body], 64),
    },
    ...body,
  };
}

/** Returns the one output of `input` produced by `producer`; its id is derived from the input's. */
export function outputFor(input: TestInput, producer: string): TestOutput {
  return {
    envelope: {
      eventId: deriveId('test-output', [input.envelope.eventId], 32),
      correlationId: input.envelope.correlationId,
      causation: [input.envelope.eventId],
      eventTimeUs: input.envelope.eventTimeUs,
      sequence: input.seq,
      producer,
      schemaVersion: 1,
      digest: deriveId('test-digest', [input.envelope.eventId], 64),
    },
    inputId: input.envelope.eventId,
    seq: input.seq,
  };
}

export async function createTopics(specs: readonly TopicSpec[]): Promise<void> {
  const admin = newClient('kafka-it-admin').admin();
  await admin.connect();
  try {
    await ensureTopics(admin, specs, 1);
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(specs: readonly TopicSpec[]): Promise<void> {
  const admin = newClient('kafka-it-admin').admin();
  await admin.connect();
  try {
    await admin.deleteTopics(specs.map((s) => s.name));
  } catch {
    // best effort
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 120_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Returns whether `groupId` has committed every partition of `topic` up to its high watermark. */
export async function groupCaughtUp(groupId: string, topic: string): Promise<boolean> {
  const admin = newClient('kafka-it-admin').admin();
  await admin.connect();
  try {
    const [committed, marks] = await Promise.all([admin.fetchCommittedOffsets(groupId, [topic]), admin.fetchTopicOffsets(topic)]);
    return marks.every((m) => {
      const c = committed.find((o) => o.partition === m.partition);
      return c !== undefined && BigInt(c.offset) >= BigInt(m.high);
    });
  } finally {
    await admin.disconnect();
  }
}

export const SENTINEL_HEADER = 'x-test-sentinel';

/** Appends a sentinel record (null value) to every partition of `spec`, after everything written so far. */
export async function appendSentinels(spec: TopicSpec): Promise<void> {
  const producer = newClient('kafka-it-sentinel').producer();
  await producer.connect();
  try {
    await producer.send(
      Array.from({ length: spec.partitions }, (_, partition) => ({ topic: spec.name, key: null, value: null, partition, headers: { [SENTINEL_HEADER]: '1' } })),
    );
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads `spec` from the beginning with read_committed until the sentinel of every partition
 * was seen (call {@link appendSentinels} first); returns every non-sentinel record.
 */
export async function readToSentinels(spec: TopicSpec, timeoutMs = 120_000): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'kafka-it-reader', brokers: brokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `kafka-it-reader-${runId()}-${spec.name}`, readUncommitted: false });
  const records: ReadRecord[] = [];
  const done = new Set<number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [spec.name], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[v.length - 1] : v);
        if (headers[SENTINEL_HEADER] === '1') {
          done.add(partition);
          return;
        }
        records.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers });
      },
    });
    await waitFor(`sentinels of all ${spec.partitions} partitions of ${spec.name}`, () => done.size === spec.partitions, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return records;
}
