import {
  Kafka,
  Partitioners,
  logLevel as LogLevel,
  type Admin,
  type Consumer,
  type Message,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import {
  type AdminPort,
  type ConsumerOptions,
  type ConsumerPort,
  type IncomingRecord,
  type KafkaClientPort,
  type NewTopic,
  type OutgoingRecord,
  type PartitionOffset,
  type PartitionWatermarks,
  type ProducerOptions,
  type ProducerPort,
  type RunOptions,
  type TopicMetadata,
  type TransactionPort,
} from './client';
import { coPartitionAssigner } from './co-partition-assigner';
import { normaliseHeaders } from './headers';

/** Connection options of the kafkajs client. */
export interface KafkaJsClientOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** TLS to the brokers: true for the system trust store, or the CA certificates (PEM) to trust. */
  readonly ssl?: boolean | { readonly ca: readonly string[] };
  readonly sasl?: SASLOptions;
  /** kafkajs log level; WARN unless told otherwise. */
  readonly logLevel?: 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
}

/** Returns the broker list of a comma-separated string such as KAFKA_BROKERS. */
export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

function toMessages(records: readonly OutgoingRecord[]): Map<string, Message[]> {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined, partition: r.partition });
    byTopic.set(r.topic, list);
  }
  return byTopic;
}

function topicMessages(records: readonly OutgoingRecord[]): { topic: string; messages: Message[] }[] {
  return [...toMessages(records)].map(([topic, messages]) => ({ topic, messages }));
}

function groupOffsets(offsets: readonly PartitionOffset[]): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: o.offset });
    byTopic.set(o.topic, list);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

class KafkaJsProducer implements ProducerPort {
  constructor(private readonly producer: Producer) {}
  connect(): Promise<void> {
    return this.producer.connect();
  }
  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.sendBatch({ acks: -1, topicMessages: topicMessages(records) });
  }
  async transaction(): Promise<TransactionPort> {
    const tx = await this.producer.transaction();
    return {
      send: async (records) => {
        if (records.length > 0) await tx.sendBatch({ acks: -1, topicMessages: topicMessages(records) });
      },
      sendOffsets: (consumerGroupId, offsets) => tx.sendOffsets({ consumerGroupId, topics: groupOffsets(offsets) }),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    };
  }
}

class KafkaJsConsumer implements ConsumerPort {
  constructor(private readonly consumer: Consumer) {}
  connect(): Promise<void> {
    return this.consumer.connect();
  }
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning });
  }
  run(options: RunOptions): Promise<void> {
    return this.consumer.run({
      autoCommit: options.autoCommit,
      autoCommitInterval: options.autoCommitIntervalMs ?? null,
      autoCommitThreshold: options.autoCommitThreshold ?? null,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const messages: IncomingRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key ?? null,
          value: m.value ?? null,
          headers: normaliseHeaders(m.headers),
          timestamp: m.timestamp,
        }));
        await options.eachBatch({
          topic: batch.topic,
          partition: batch.partition,
          messages,
          highWatermark: batch.highWatermark,
          lastOffset: batch.lastOffset(),
          resolveOffset,
          heartbeat,
          commitOffsetsIfNecessary: () => commitOffsetsIfNecessary(),
          commitOffsets: (offsets) => commitOffsetsIfNecessary({ topics: groupOffsets(offsets) }),
          isRunning,
          isStale,
        });
      },
    });
  }
  stop(): Promise<void> {
    return this.consumer.stop();
  }
  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): void {
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => listener(e.payload.memberAssignment));
  }
  onCrash(listener: (error: Error, willRestart: boolean) => void): void {
    this.consumer.on(this.consumer.events.CRASH, (e) => listener(e.payload.error, e.payload.restart));
  }
}

class KafkaJsAdmin implements AdminPort {
  constructor(private readonly admin: Admin) {}
  connect(): Promise<void> {
    return this.admin.connect();
  }
  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
  createTopics(topics: readonly NewTopic[]): Promise<boolean> {
    // kafkajs' own leader wait gives up on the UNKNOWN_TOPIC_OR_PARTITION a broker answers right
    // after creation; provisionTopics polls fetchTopicMetadata instead.
    return this.admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor ?? -1,
        configEntries: t.configEntries ? [...t.configEntries] : undefined,
      })),
    });
  }
  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }
  async fetchTopicMetadata(topics: readonly string[]): Promise<TopicMetadata[]> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [...topics] });
    return metadata.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partition: p.partitionId, leader: p.leader })) }));
  }
  deleteTopics(topics: readonly string[]): Promise<void> {
    return this.admin.deleteTopics({ topics: [...topics] });
  }
  async fetchTopicOffsets(topic: string): Promise<PartitionWatermarks[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
  }
  async fetchCommittedOffsets(groupId: string, topics: readonly string[]): Promise<PartitionOffset[]> {
    const res = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return res.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })));
  }
}

/**
 * The kafkajs implementation of the client port. Producers are always idempotent (acks=-1,
 * one request in flight, as kafkajs requires for idempotence); consumers read committed data
 * unless told otherwise.
 */
export class KafkaJsClient implements KafkaClientPort {
  private readonly kafka: Kafka;

  /** Returns a client for the cluster in `options`. */
  constructor(options: KafkaJsClientOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ssl: typeof options.ssl === 'object' ? { ca: [...options.ssl.ca] } : options.ssl,
      sasl: options.sasl,
      logLevel: LogLevel[options.logLevel ?? 'WARN'],
      retry: { initialRetryTime: 100, retries: 10 },
    });
  }

  /** Returns an idempotent producer, transactional when `options.transactionalId` is set. */
  producer(options: ProducerOptions = {}): ProducerPort {
    return new KafkaJsProducer(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId: options.transactionalId,
        transactionTimeout: options.transactionTimeoutMs ?? 60_000,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  /** Returns a consumer group member. */
  consumer(options: ConsumerOptions): ConsumerPort {
    return new KafkaJsConsumer(
      this.kafka.consumer({
        groupId: options.groupId,
        readUncommitted: options.readCommitted === false,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        rebalanceTimeout: options.rebalanceTimeoutMs ?? 60_000,
        heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
        maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
        ...(options.coPartitioned === true && { partitionAssigners: [coPartitionAssigner] }),
      }),
    );
  }

  /** Returns an admin client. */
  admin(): AdminPort {
    return new KafkaJsAdmin(this.kafka.admin());
  }
}
