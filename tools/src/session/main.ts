/**
 * The main job: a paper-trading session.
 *
 *   tools/fleet run [--scenario calm] [--seed 1] [--duration 60] [--out out/sessions]
 *
 * Today it provisions the topics and schemas, streams the scenario's simulated market data
 * through Kafka (Avro through the registry, keyed by instrument) and reads every event back,
 * checking each one against its digest, then runs the decision core over the same scenario
 * in simulated time and prints the session summary. The nine services replace the
 * in-process core run as they land.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, TRADE_TYPE, Topics } from '@fleet/contracts';
import { deriveId, formatSessionSummary, generateMarketEvents, presetScenario, runnerConfigForScenario, runSession, type SimVenueSpec } from '@fleet/core';
import { bookSnapshotFromSim, checkEnvelope, tradeFromSim } from '@fleet/events';
import { AtLeastOnceConsumer, AvroCodec, EventPublisher, HttpSchemaRegistry, KafkaJsClient, parseBrokers, provisionTopics, registerCatalogueSchemas, type OutboundEvent } from '@fleet/kafka';
import { parseSessionArgs, SessionArgsError, type SessionArgs } from './session-args';

const progress = (text: string): void => {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
};

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new SessionArgsError(`${name} is not set; start the stack with \`tools/fleet stack up\` (it writes .local/stack.env)`);
  return value;
}

/** Returns the market-data events of the scenario as Avro records for md.book and md.trade. */
function marketDataRecords(args: SessionArgs): { events: OutboundEvent[]; scenarioEvents: number } {
  const scenario = presetScenario(args.scenario, { durationUs: args.durationSeconds * 1_000_000 });
  const venues = new Map<string, SimVenueSpec>(scenario.sim.venues.map((v) => [v.venue, v]));
  const sequence = new Map<string, number>();
  const next = (key: string): number => {
    const n = (sequence.get(key) ?? 0) + 1;
    sequence.set(key, n);
    return n;
  };
  const events: OutboundEvent[] = [];
  const simEvents = generateMarketEvents(scenario, args.seed);
  for (const e of simEvents) {
    const venue = venues.get(e.venue);
    if (!venue) continue;
    if (e.type === 'book') {
      events.push({ spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE]!, key: e.instrument, value: bookSnapshotFromSim(e, venue, next(`book:${e.instrument}`)) });
    } else if (e.type === 'trade') {
      events.push({ spec: Topics.mdTrade, schema: AVRO_SCHEMAS[TRADE_TYPE]!, key: e.instrument, value: tradeFromSim(e, venue, next(`trade:${e.instrument}`)) });
    }
  }
  return { events, scenarioEvents: simEvents.length };
}

/** Streams the records through Kafka and reads each back; returns how many came back intact. */
async function roundTripThroughKafka(args: SessionArgs, sessionId: string, records: readonly OutboundEvent[]): Promise<{ published: number; verified: number }> {
  const client = new KafkaJsClient({ clientId: `fleet-session-${sessionId.slice(0, 12)}`, brokers: parseBrokers(requireEnv('KAFKA_BROKERS')), logLevel: 'ERROR' });
  const registry = new HttpSchemaRegistry(requireEnv('SCHEMA_REGISTRY_URL'));
  const admin = client.admin();
  await admin.connect();
  try {
    const report = await provisionTopics(admin, ALL_TOPICS);
    progress(`topics: ${report.created.length} created, ${report.existing.length} already there`);
  } finally {
    await admin.disconnect();
  }
  const subjects = await registerCatalogueSchemas(registry, ALL_TOPICS);
  progress(`schemas: ${subjects.length} subjects registered (BACKWARD)`);

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

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSessionArgs(argv);
  if (args.help) {
    process.stdout.write(`${SESSION_USAGE}\n`);
    return 0;
  }
  const scenario = presetScenario(args.scenario, { durationUs: args.durationSeconds * 1_000_000 });
  const config = runnerConfigForScenario(scenario);
  const sessionId = deriveId('session', [args.scenario, args.seed, args.durationSeconds, config], 24);
  progress(`session ${sessionId}: scenario ${args.scenario}, seed ${args.seed}, ${args.durationSeconds} s simulated`);

  const { events, scenarioEvents } = marketDataRecords(args);
  const kafka = await roundTripThroughKafka(args, sessionId, events);
  progress(`kafka: ${kafka.published} market-data events published, ${kafka.verified} read back with their digests intact\n`);

  const result = runSession(config, scenario, args.seed, { recordActions: false });
  const text = formatSessionSummary(result.summary, result.digest);
  process.stdout.write(`session_id: ${sessionId}\nmarket_events: ${scenarioEvents}\nkafka_round_trip: ${kafka.verified}/${kafka.published}\n${text}\n`);

  const dir = join(args.outDir, sessionId);
  mkdirSync(dir, { recursive: true });
  writeAtomically(join(dir, 'summary.json'), `${JSON.stringify({ sessionId, args: { ...args, help: undefined }, kafka, summary: result.summary, sessionDigest: result.digest }, null, 2)}\n`);
  process.stderr.write(`summary written to ${join(dir, 'summary.json')}\n`);
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
