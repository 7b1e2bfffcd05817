/**
 * Creates every topic of the catalogue, idempotently.
 *
 *   npx tsx tools/src/topics/create-topics.ts [--brokers host:port,...] [--registry URL]
 *
 * Brokers default to KAFKA_BROKERS; with --registry (or SCHEMA_REGISTRY_URL set) it also
 * registers every value schema and sets BACKWARD compatibility per subject. The work is done
 * by provisionTopics and registerCatalogueSchemas of @fleet/kafka; this is the command line.
 */
import { ALL_TOPICS, type TopicSpec } from '@fleet/contracts';
import { KafkaJsClient, parseBrokers, provisionTopics, type ProvisionOptions, type ProvisionReport } from '@fleet/kafka';
import { registerSchemas } from './register-schemas';

/** Options of createTopics. */
export interface CreateTopicsOptions extends ProvisionOptions {
  /** The topics to create; the whole catalogue by default. */
  readonly topics?: readonly TopicSpec[];
  /** Kafka client id. */
  readonly clientId?: string;
}

/**
 * Connects to `brokers` and provisions the catalogue topics (see provisionTopics of
 * @fleet/kafka: throws TopicPartitionMismatchError when an existing topic has fewer partitions).
 */
export async function createTopics(brokers: readonly string[] | string, options: CreateTopicsOptions = {}): Promise<ProvisionReport> {
  const brokerList = typeof brokers === 'string' ? parseBrokers(brokers) : [...brokers];
  if (brokerList.length === 0) throw new Error('createTopics needs at least one broker, received none');
  const { topics = ALL_TOPICS, clientId = 'fleet-create-topics', ...provision } = options;
  const admin = new KafkaJsClient({ clientId, brokers: brokerList, logLevel: 'NOTHING' }).admin();
  await admin.connect();
  try {
    return await provisionTopics(admin, topics, provision);
  } finally {
    await admin.disconnect();
  }
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
