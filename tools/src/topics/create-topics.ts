/**
 * Creates every topic of the catalogue, idempotently.
 *
 *   npx tsx tools/src/topics/create-topics.ts [--brokers host:port,...] [--registry URL]
 *
 * Brokers default to KAFKA_BROKERS; with --registry (or SCHEMA_REGISTRY_URL set) it also
 * registers every value schema and sets BACKWARD compatibility per subject.
 */
import { ALL_TOPICS, type CatalogueTopic } from '@fleet/contracts';
import { type Admin, Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { registerSchemas } from './register-schemas';

/** What createTopics did with each topic. */
export interface CreateTopicsReport {
  /** Topics created by this call. */
  readonly created: readonly string[];
  /** Topics that already existed with at least the catalogue's partition count (left alone). */
  readonly existing: readonly string[];
}

/** Options of createTopics. */
export interface CreateTopicsOptions {
  /** Replication factor of new topics; -1 (the default) uses the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** The topics to create; the whole catalogue by default. */
  readonly topics?: readonly CatalogueTopic[];
  /** Kafka client id. */
  readonly clientId?: string;
  /** How long to wait for new topics to have a leader on every partition; 30 s by default. */
  readonly leaderTimeoutMs?: number;
}

/** An existing topic has fewer partitions than the catalogue asks for. */
export class TopicPartitionMismatchError extends Error {
  readonly retriable = false;
  constructor(readonly mismatches: readonly { topic: string; existing: number; expected: number }[]) {
    super(`Existing topics have fewer partitions than the catalogue: ${mismatches.map((m) => `${m.topic} has ${m.existing}, catalogue asks for ${m.expected}`).join('; ')}`);
    this.name = 'TopicPartitionMismatchError';
  }
}

/** Returns the Kafka topic configuration entries of a catalogue topic. */
export function topicConfigEntries(topic: CatalogueTopic): { name: string; value: string }[] {
  return [
    { name: 'cleanup.policy', value: topic.cleanupPolicy },
    { name: 'retention.ms', value: String(topic.retentionMs) },
    { name: 'retention.bytes', value: String(topic.retentionBytes) },
  ];
}

/**
 * Creates every catalogue topic that does not exist yet with its partitions, retention and
 * cleanup policy; leaves existing topics alone. Throws TopicPartitionMismatchError if an
 * existing topic has fewer partitions than the catalogue (keys would be routed differently).
 */
export async function createTopics(brokers: readonly string[] | string, options: CreateTopicsOptions = {}): Promise<CreateTopicsReport> {
  const brokerList = typeof brokers === 'string' ? brokers.split(',').map((b) => b.trim()).filter(Boolean) : [...brokers];
  if (brokerList.length === 0) throw new Error('createTopics needs at least one broker, received none');
  const topics = options.topics ?? ALL_TOPICS;
  const kafka = new Kafka({ clientId: options.clientId ?? 'fleet-create-topics', brokers: brokerList, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existingNames = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existingNames.has(t.name));
    const present = topics.filter((t) => existingNames.has(t.name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
      const counts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length] as const));
      const mismatches = present
        .map((t) => ({ topic: t.name, existing: counts.get(t.name) ?? 0, expected: t.partitions }))
        .filter((m) => m.existing < m.expected);
      if (mismatches.length > 0) throw new TopicPartitionMismatchError(mismatches);
    }
    const created: string[] = [];
    if (missing.length > 0) {
      const configs: ITopicConfig[] = missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: options.replicationFactor ?? -1,
        configEntries: topicConfigEntries(t),
      }));
      // createTopics returns false when a concurrent creator won the race; both outcomes leave the topic in place.
      await admin.createTopics({ topics: configs, waitForLeaders: false });
      await waitForLeaders(admin, missing, options.leaderTimeoutMs ?? 30_000);
      created.push(...missing.map((t) => t.name));
    }
    return { created, existing: present.map((t) => t.name) };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of `topics` has a leader. kafkajs' own waitForLeaders gives up
 * on UNKNOWN_TOPIC_OR_PARTITION, which a broker answers for a moment after creation.
 */
async function waitForLeaders(admin: Admin, topics: readonly CatalogueTopic[], timeoutMs: number): Promise<void> {
  const names = topics.map((t) => t.name);
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      const ready = topics.every((t) => {
        const found = metadata.topics.find((m) => m.name === t.name);
        return found !== undefined && found.partitions.length >= t.partitions && found.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
      last = 'some partitions have no leader';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Topics ${names.join(', ')} have no leader on every partition after ${timeoutMs} ms (${last})`);
}

function argValue(argv: readonly string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const brokers = argValue(argv, '--brokers') ?? process.env.KAFKA_BROKERS;
  if (!brokers) {
    process.stderr.write('create-topics: pass --brokers host:port or set KAFKA_BROKERS\n');
    return 2;
  }
  const report = await createTopics(brokers);
  for (const name of report.created) process.stdout.write(`created  ${name}\n`);
  for (const name of report.existing) process.stdout.write(`existing ${name}\n`);
  const registry = argValue(argv, '--registry') ?? process.env.SCHEMA_REGISTRY_URL;
  if (registry) {
    const registered = await registerSchemas(registry);
    for (const r of registered) process.stdout.write(`schema   ${r.subject} id ${r.id} (${r.compatibility})\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`create-topics: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
