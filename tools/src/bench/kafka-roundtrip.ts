/**
 * Benchmark (not a test): Avro events through the registry and the real broker.
 *  1. produce: N events with the idempotent publisher (acks=all), batches of `batch`;
 *  2. consume: the same N read back by the at-least-once consumer (decode + commit);
 *  3. round trip: a consumer already running on a fresh topic, N events produced, time to the
 *     last one consumed, with per-event latency percentiles.
 * Usage: source .local/stack.env && npx tsx tools/src/bench/kafka-roundtrip.ts [N=20000] [batch=500] [partitions=3]
 */
import { AVRO_SCHEMAS, type TopicSpec } from '@fleet/contracts';
import {
  AtLeastOnceConsumer,
  AvroCodec,
  EventPublisher,
  HttpSchemaRegistry,
  KafkaJsClient,
  ensureTopics,
  parseBrokers,
  type AvroSchemaJson,
} from '@fleet/kafka';

interface BenchEvent {
  envelope: { eventId: string; correlationId: string; causation: string[]; eventTimeUs: number; sequence: number; producer: string; schemaVersion: number; digest: string };
  instrument: string;
  price: string;
  size: string;
  sentAtUs: number;
}

const schema: AvroSchemaJson = {
  type: 'record',
  name: 'BenchEvent',
  namespace: 'fleet.bench',
  fields: [
    {
      name: 'envelope',
      type: AVRO_SCHEMAS['fleet.common.Envelope']!,
    },
    { name: 'instrument', type: 'string' },
    { name: 'price', type: 'string' },
    { name: 'size', type: 'string' },
    { name: 'sentAtUs', type: 'long' },
  ],
} as AvroSchemaJson;

const INSTRUMENTS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'XRP-PERP', 'DOGE-PERP', 'AVAX-PERP'];
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

function event(i: number): BenchEvent {
  const id = i.toString(16).padStart(32, '0');
  return {
    envelope: { eventId: id, correlationId: id, causation: [id], eventTimeUs: 1_700_000_000_000_000 + i, sequence: i, producer: 'bench', schemaVersion: 1, digest: id + id },
    instrument: INSTRUMENTS[i % INSTRUMENTS.length],
    price: (60_000 + (i % 1000) / 10).toFixed(1),
    size: '0.001',
    sentAtUs: 0,
  };
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; source .local/stack.env first`);
  return v;
}

async function main(): Promise<void> {
  const [n = '20000', batchArg = '500', partitionsArg = '3'] = process.argv.slice(2);
  const N = Number(n);
  const batch = Number(batchArg);
  const partitions = Number(partitionsArg);
  const client = new KafkaJsClient({ clientId: 'bench', brokers: parseBrokers(required('KAFKA_BROKERS')), logLevel: 'NOTHING' });
  const codec = new AvroCodec(new HttpSchemaRegistry(required('SCHEMA_REGISTRY_URL')));
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const spec = (name: string): TopicSpec<BenchEvent> => ({
    name,
    key: 'instrument',
    valueType: 'fleet.bench.BenchEvent',
    partitions,
    retentionMs: 3_600_000,
    retentionBytes: -1,
    cleanupPolicy: 'delete',
    description: 'benchmark topic',
  });
  const a = spec(`bench-roundtrip-a-${stamp}`);
  const b = spec(`bench-roundtrip-b-${stamp}`);
  const dlq = spec(`bench-roundtrip-dlq-${stamp}`);
  const admin = client.admin();
  await admin.connect();
  await ensureTopics(admin, [a, b, dlq], 1);

  const publisher = new EventPublisher(client.producer(), codec);
  await publisher.connect();
  const publishAll = async (topic: TopicSpec<BenchEvent>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let start = 0; start < N; start += batch) {
      const events = [];
      for (let i = start; i < Math.min(N, start + batch); i++) {
        const value = event(i);
        value.sentAtUs = nowUs();
        events.push({ spec: topic, schema, value, key: value.instrument });
      }
      await publisher.publish(events);
    }
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const consume = async (topic: TopicSpec<BenchEvent>, group: string, onEvent: (e: BenchEvent) => void): Promise<{ done: Promise<number>; stop: () => Promise<void> }> => {
    let seen = 0;
    let t0 = 0n;
    let resolve: (s: number) => void = () => undefined;
    const done = new Promise<number>((r) => (resolve = r));
    const consumer = new AtLeastOnceConsumer({
      client,
      codec,
      groupId: group,
      subscriptions: [{ spec: topic, schema }],
      deadLetter: dlq,
      lagIntervalMs: 0,
      handler: (e) => {
        if (seen === 0) t0 = process.hrtime.bigint();
        onEvent(e.value as BenchEvent);
        if (++seen === N) resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      },
    });
    await consumer.start();
    return { done, stop: () => consumer.stop() };
  };

  // Warm the registry cache so the first batch does not time the schema registration.
  await codec.registerValueSchema(a, schema);
  await codec.registerValueSchema(b, schema);

  const produceSeconds = await publishAll(a);
  const c1 = await consume(a, `bench-a-${stamp}`, () => undefined);
  const consumeSeconds = await c1.done;
  await c1.stop();

  const latencies: number[] = [];
  const c2 = await consume(b, `bench-b-${stamp}`, (e) => latencies.push(nowUs() - e.sentAtUs));
  // Give the group time to get its assignment before timing the round trip.
  await new Promise((r) => setTimeout(r, 3_000));
  const t0 = process.hrtime.bigint();
  await publishAll(b);
  await c2.done;
  const roundTripSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await c2.stop();
  await publisher.disconnect();
  await admin.deleteTopics([a.name, b.name, dlq.name]).catch(() => undefined);
  await admin.disconnect();

  latencies.sort((x, y) => x - y);
  const pct = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] / 1000).toFixed(1);
  const rate = (s: number): string => Math.round(N / s).toLocaleString('en-US');
  process.stdout.write(
    [
      `kafka-roundtrip: N=${N} events, batch=${batch}, partitions=${partitions}, node ${process.version}`,
      `produce    : ${rate(produceSeconds)} events/s (${produceSeconds.toFixed(2)} s; Avro encode + registry id cached + idempotent send, acks=all)`,
      `consume    : ${rate(consumeSeconds)} events/s (${consumeSeconds.toFixed(2)} s; fetch + Avro decode + handler + commit after work)`,
      `round trip : ${rate(roundTripSeconds)} events/s (${roundTripSeconds.toFixed(2)} s from first send to last consumed)`,
      `latency    : p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms (send to handler)`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${String(error)}\n`);
    process.exit(1);
  },
);
