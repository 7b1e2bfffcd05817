import { type KafkaAuth } from '@fleet/service';
import { Kafka, logLevel as LogLevel, type Consumer, type SASLOptions } from 'kafkajs';
import { type IncomingRecord, normaliseHeaders, type PartitionOffset } from '@fleet/kafka';

/** One fetched batch of one partition, with the controls of the consumer loop. */
export interface WalBatch {
  readonly topic: string;
  readonly partition: number;
  /** The records handed over (control records and aborted transactions left out), in offset order. */
  readonly messages: readonly IncomingRecord[];
  readonly highWatermark: string;
  /** The last offset the fetch covered, control records included (at or after the last message). */
  readonly lastOffset: string;
  /** Marks `offset` as consumed: the next fetch starts after it. */
  resolveOffset(offset: string): void;
  /** Sends a heartbeat if the interval has passed. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when a seek or rebalance made this batch stale; stop processing it. */
  isStale(): boolean;
}

/**
 * A consumer group member with explicit positioning: what the audit writer needs beyond the
 * kit's consumer port (seek on assignment, pause and resume for backpressure, commits outside a
 * batch). One member per trail: the writer seeks every partition it is given to where its trail
 * ends, so the group's committed offsets are only a hint for operators.
 */
export interface WalConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: readonly string[]): Promise<void>;
  /** Starts the loop; batches of one partition at a time, in order. */
  run(eachBatch: (batch: WalBatch) => Promise<void>): Promise<void>;
  /** Makes the next fetch of a partition start at `offset` (call from an assignment listener or later). */
  seek(position: PartitionOffset): void;
  /** Stops fetching `topics` until {@link resume}. */
  pause(topics: readonly string[]): void;
  resume(topics: readonly string[]): void;
  /** Commits exactly these next offsets as the group's position. */
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  disconnect(): Promise<void>;
  /** Calls `listener` with the topic → partitions this member owns after each group join. */
  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): void;
  /** Calls `listener` when the consumer crashed; `willRestart` is false when it stays down. */
  onCrash(listener: (error: Error, willRestart: boolean) => void): void;
}

/** Connection and group settings of {@link KafkaJsWalConsumer}. */
export interface KafkaJsWalConsumerOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly groupId: string;
  /** TLS and SASL, as the service configuration read them. */
  readonly auth?: KafkaAuth;
  /** kafkajs log level; WARN unless told otherwise. */
  readonly logLevel?: 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
}

/**
 * The kafkajs implementation of {@link WalConsumerPort}, with the broker settings of the kit's
 * KafkaJsClient; reads committed data only and never commits on its own.
 */
export class KafkaJsWalConsumer implements WalConsumerPort {
  private readonly consumer: Consumer;

  /** Returns a consumer for `options`; call {@link connect}. */
  constructor(options: KafkaJsWalConsumerOptions) {
    const auth = options.auth ?? {};
    const ssl = typeof auth.ssl === 'object' ? { ca: [...auth.ssl.ca] } : auth.ssl;
    const kafka = new Kafka({ clientId: options.clientId, brokers: [...options.brokers], ...(ssl !== undefined && { ssl }), ...(auth.sasl && { sasl: { ...auth.sasl } as SASLOptions }), logLevel: LogLevel[options.logLevel ?? 'WARN'], retry: { initialRetryTime: 100, retries: 10 } });
    this.consumer = kafka.consumer({ groupId: options.groupId, readUncommitted: false, sessionTimeout: 30_000, rebalanceTimeout: 60_000, heartbeatInterval: 3_000 });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: readonly string[]): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
  }

  run(eachBatch: (batch: WalBatch) => Promise<void>): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        await eachBatch({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ?? null,
            value: m.value ?? null,
            headers: normaliseHeaders(m.headers),
            timestamp: m.timestamp,
          })),
          highWatermark: batch.highWatermark,
          lastOffset: batch.lastOffset(),
          resolveOffset,
          heartbeat,
          isRunning,
          isStale,
        });
      },
    });
  }

  seek(position: PartitionOffset): void {
    this.consumer.seek({ topic: position.topic, partition: position.partition, offset: position.offset });
  }

  pause(topics: readonly string[]): void {
    this.consumer.pause(topics.map((topic) => ({ topic })));
  }

  resume(topics: readonly string[]): void {
    this.consumer.resume(topics.map((topic) => ({ topic })));
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length > 0) await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
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
