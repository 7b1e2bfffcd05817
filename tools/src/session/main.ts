/**
 * The main job: a paper-trading session.
 *
 *   tools/fleet run [--scenario calm] [--seed 1] [--duration 60] [--out out/sessions]
 *
 * Today it provisions the topics and schemas, streams the scenario's simulated market data
 * through Kafka (Avro through the registry, keyed by instrument) and reads every event back,
 * checking each one against its digest, then runs the decision core over the same scenario
 * in simulated time and prints the session summary. It writes `summary.json` and then,
 * atomically and last, `manifest.json` (see docs/sessions.md) under `<out>/<session id>/`.
 * The nine services replace the in-process core run as they land.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSessionManifest, deriveSessionId, marketDataChain, SESSION_MANIFEST_FILE, SESSION_SUMMARY_FILE, type SessionPartitionRange } from '@fleet/audit';
import { ALL_TOPICS, AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, TRADE_TYPE, Topics } from '@fleet/contracts';
import { canonicalJson, digestOf, presetScenario, runnerConfigForScenario, runSession } from '@fleet/core';
import { formatSessionSummary, summaryRecordOf } from '@fleet/research';
import { checkEnvelope } from '@fleet/events';
import { AtLeastOnceConsumer, AvroCodec, EventPublisher, HttpSchemaRegistry, KafkaJsClient, parseBrokers, provisionTopics, registerCatalogueSchemas, type AdminPort, type OutboundEvent } from '@fleet/kafka';
import { marketDataRecords } from './market-data';
import { parseSessionArgs, SessionArgsError } from './session-args';
import { readCodeVersion, writeFileAtomically } from './session-files';
import { asWritten, type SessionSummaryFile } from './session-record';

const progress = (text: string): void => {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
};

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new SessionArgsError(`${name} is not set; start the stack with \`tools/fleet stack up\` (it writes .local/stack.env)`);
  return value;
}

/** Returns every catalogue topic's end offset (high watermark) per partition. */
async function catalogueEndOffsets(admin: AdminPort): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  for (const topic of ALL_TOPICS) {
    const marks = await admin.fetchTopicOffsets(topic.name);
    out.set(topic.name, new Map(marks.map((m) => [m.partition, m.high])));
  }
  return out;
}

/** Returns the per-partition start and end offsets of every topic seen at either point. */
function offsetRanges(start: Map<string, Map<number, string>>, end: Map<string, Map<number, string>>): Record<string, SessionPartitionRange[]> {
  const out: Record<string, SessionPartitionRange[]> = {};
  for (const [topic, endParts] of end) {
    const startParts = start.get(topic) ?? new Map<number, string>();
    const partitions = [...new Set([...startParts.keys(), ...endParts.keys()])].sort((a, b) => a - b);
    out[topic] = partitions.map((partition) => ({ partition, start: startParts.get(partition) ?? '0', end: endParts.get(partition) ?? startParts.get(partition) ?? '0' }));
  }
  return out;
}

/** What the Kafka round trip found. */
interface RoundTrip {
  readonly published: number;
  readonly verified: number;
  /** Registry subject → schema id. */
  readonly subjects: Record<string, number>;
  readonly topics: Record<string, SessionPartitionRange[]>;
}

/** Provisions topics and schemas, notes the end offsets, streams the records through Kafka and reads them back, notes the end offsets again. */
async function roundTripThroughKafka(sessionId: string, records: readonly OutboundEvent[]): Promise<RoundTrip> {
  const client = new KafkaJsClient({ clientId: `fleet-session-${sessionId.slice(0, 12)}`, brokers: parseBrokers(requireEnv('KAFKA_BROKERS')), logLevel: 'NOTHING' });
  const registry = new HttpSchemaRegistry(requireEnv('SCHEMA_REGISTRY_URL'));
  const admin = client.admin();
  await admin.connect();
  try {
    const report = await provisionTopics(admin, ALL_TOPICS);
    progress(`topics: ${report.created.length} created, ${report.existing.length} already there`);
    const registered = await registerCatalogueSchemas(registry, ALL_TOPICS);
    progress(`schemas: ${registered.length} subjects registered (BACKWARD)`);
    const subjects = Object.fromEntries(registered.map((s) => [s.subject, s.id]));
    const start = await catalogueEndOffsets(admin);
    const { published, verified } = await publishAndReadBack(client, registry, sessionId, records);
    const end = await catalogueEndOffsets(admin);
    return { published, verified, subjects, topics: offsetRanges(start, end) };
  } finally {
    await admin.disconnect();
  }
}

/** Streams the records through Kafka and reads each back; returns how many came back intact. */
async function publishAndReadBack(client: KafkaJsClient, registry: HttpSchemaRegistry, sessionId: string, records: readonly OutboundEvent[]): Promise<{ published: number; verified: number }> {
  const codec = new AvroCodec(registry);
  const expected = new Map<string, object>();
  for (const r of records) expected.set((r.value as { envelope: { eventId: string } }).envelope.eventId, r.value as object);
  const seen = new Set<string>();
  let corrupt = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const consumer = new AtLeastOnceConsumer({
    client,
    codec,
    groupId: `fleet.session.${sessionId}`,
    subscriptions: [
      { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE]! },
      { spec: Topics.mdTrade, schema: AVRO_SCHEMAS[TRADE_TYPE]! },
    ],
    deadLetter: Topics.deadLetter,
    lagIntervalMs: 0,
    handler: (event) => {
      const value = event.value as { envelope: { eventId: string } };
      if (!expected.has(value.envelope.eventId)) return; // an earlier session's record
      if (checkEnvelope(value as never) !== undefined) corrupt += 1;
      seen.add(value.envelope.eventId);
      if (seen.size % 500 === 0 || seen.size === expected.size) progress(`read back ${seen.size}/${expected.size} market-data events`);
      if (seen.size === expected.size) resolveDone();
    },
  });
  const publisher = new EventPublisher(client.producer(), codec);
  await publisher.connect();
  const stop = async (): Promise<void> => {
    await consumer.stop();
    await publisher.disconnect();
  };
  process.once('SIGINT', () => {
    progress('interrupted: stopping the consumer and the producer ...\n');
    void stop().then(() => process.exit(130));
  });
  try {
    await consumer.start();
    const batch = 500;
    for (let i = 0; i < records.length; i += batch) {
      await publisher.publish(records.slice(i, i + batch));
      progress(`published ${Math.min(i + batch, records.length)}/${records.length} market-data events`);
    }
    await done;
  } finally {
    await stop();
  }
  if (corrupt > 0) throw new Error(`${corrupt} market-data events came back with a payload that no longer matches their digest`);
  return { published: records.length, verified: seen.size };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSessionArgs(argv);
  if (args.help) {
    process.stdout.write(`${SESSION_USAGE}\n`);
    return 0;
  }
  const scenario = presetScenario(args.scenario, { durationUs: args.durationSeconds * 1_000_000 });
  const config = runnerConfigForScenario(scenario);
  const createdFrom = { scenario: args.scenario, seed: args.seed, durationSeconds: args.durationSeconds };
  const sessionId = deriveSessionId(createdFrom, config);
  progress(`session ${sessionId}: scenario ${args.scenario}, seed ${args.seed}, ${args.durationSeconds} s simulated`);

  const market = marketDataRecords(scenario, args.seed);
  const kafka = await roundTripThroughKafka(sessionId, market.events);
  progress(`kafka: ${kafka.published} market-data events published, ${kafka.verified} read back with their digests intact\n`);

  const result = runSession(config, scenario, args.seed, { recordActions: false });
  // The one summary format, read back by parseSessionSummary (the research tools use the same).
  const text = formatSessionSummary(summaryRecordOf(result.summary, result.digest));
  process.stdout.write(`session_id: ${sessionId}\nmarket_events: ${market.scenarioEvents}\nkafka_round_trip: ${kafka.verified}/${kafka.published}\n${text}\n`);

  const summaryFile: SessionSummaryFile = asWritten({ sessionId, createdFrom, kafka: { published: kafka.published, verified: kafka.verified }, summary: result.summary, sessionDigest: result.digest });
  const manifest = buildSessionManifest({
    createdFrom: { ...createdFrom, scenarioDigest: digestOf(scenario) },
    config,
    codeVersion: readCodeVersion(),
    schemas: { subjects: kafka.subjects, catalogueDigest: digestOf(AVRO_SCHEMAS) },
    topics: kafka.topics,
    digests: { sessionDigest: result.digest, summaryDigest: digestOf(summaryFile), marketDataDigest: marketDataChain(market.eventIds) },
    counts: { scenarioEvents: market.scenarioEvents, marketDataPublished: kafka.published, marketDataVerified: kafka.verified },
  });
  if (manifest.sessionId !== sessionId) throw new Error(`the manifest derives session id ${manifest.sessionId}, the job ran ${sessionId}`);

  const dir = join(args.outDir, sessionId);
  mkdirSync(dir, { recursive: true });
  // summary first, manifest last: a directory with a manifest is a complete session.
  writeFileAtomically(join(dir, SESSION_SUMMARY_FILE), `${JSON.stringify(summaryFile, null, 2)}\n`);
  writeFileAtomically(join(dir, SESSION_MANIFEST_FILE), `${canonicalJson(manifest)}\n`);
  process.stdout.write(`manifest_digest: ${manifest.manifestDigest}\ncontent_digest: ${manifest.contentDigest}\n`);
  process.stderr.write(`summary and manifest written to ${dir}\n`);
  return 0;
}

const SESSION_USAGE = `usage: tools/fleet run [--scenario calm|volatile|venue-outage|funding-flip|basis-spike] [--seed N] [--duration SECONDS] [--out DIR]`;

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nsession failed: ${message}\n${error instanceof SessionArgsError ? SESSION_USAGE + '\n' : ''}`);
    process.exit(error instanceof SessionArgsError ? 2 : 1);
  },
);
