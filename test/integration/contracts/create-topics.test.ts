/**
 * provisionTopics against the REAL Kafka broker (KAFKA_BROKERS): creates the whole catalogue
 * idempotently with its partitions, retention and cleanup policy, and refuses an existing
 * topic with fewer partitions than the catalogue asks for.
 */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, Topics, type TopicSpec } from '@fleet/contracts';
import { KafkaJsClient, parseBrokers, provisionTopics, type ProvisionReport, TopicPartitionMismatchError } from '@fleet/kafka';

const brokers = (): string[] => {
  const value = process.env.KAFKA_BROKERS;
  if (!value) throw new Error('KAFKA_BROKERS is not set; the integration global setup provides it');
  return parseBrokers(value);
};

describe('provisionTopics against the real broker', () => {
  // kafkajs directly only to inspect what the layer did (metadata, topic configs).
  const kafka = new Kafka({ clientId: 'contracts-create-topics-test', brokers: brokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const port = new KafkaJsClient({ clientId: 'contracts-provision-test', brokers: brokers(), logLevel: 'NOTHING' }).admin();
  const createTopics = (topics: readonly TopicSpec[] = ALL_TOPICS): Promise<ProvisionReport> => provisionTopics(port, topics);
  beforeAll(() => Promise.all([admin.connect(), port.connect()]));
  afterAll(() => Promise.all([admin.disconnect(), port.disconnect()]));

  it('creates every catalogue topic, then reports them all as existing on a second run', async () => {
    const first = await createTopics();
    expect([...first.created, ...first.existing].sort()).toEqual(ALL_TOPICS.map((t) => t.name).sort());
    const second = await createTopics();
    expect(second.created).toEqual([]);
    expect(second.existing).toEqual(ALL_TOPICS.map((t) => t.name));
  });

  it('gives every topic at least its catalogue partitions, and the created ones its retention and cleanup policy', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => t.name) });
    const partitions = new Map(metadata.topics.map((t) => [t.name, t.partitions.length] as const));
    for (const topic of ALL_TOPICS) expect(partitions.get(topic.name)! >= topic.partitions).toBe(true);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: ALL_TOPICS.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['retention.ms', 'retention.bytes', 'cleanup.policy'] })),
    });
    for (const resource of described.resources) {
      const topic = ALL_TOPICS.find((t) => t.name === resource.resourceName)!;
      const config = Object.fromEntries(resource.configEntries.map((e) => [e.configName, e.configValue]));
      expect([topic.name, config]).toEqual([
        topic.name,
        { 'retention.ms': String(topic.retentionMs), 'retention.bytes': String(topic.retentionBytes), 'cleanup.policy': topic.cleanupPolicy },
      ]);
    }
  });

  it('refuses an existing topic with fewer partitions than the catalogue, naming it', async () => {
    const name = `contracts-test-narrow-${process.pid}-${Date.now().toString(36)}`;
    await createTopics([{ ...Topics.mdBook, name, partitions: 1 }]);
    try {
      const narrowed = { ...Topics.mdBook, name };
      const error = await createTopics([narrowed]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TopicPartitionMismatchError);
      expect((error as Error).message).toContain(`${name} has 1, catalogue asks for 6`);
      expect((error as TopicPartitionMismatchError).mismatches).toEqual([{ topic: name, existing: 1, expected: 6 }]);
      expect((error as TopicPartitionMismatchError).retriable).toBe(false);
    } finally {
      await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    }
  });
});
