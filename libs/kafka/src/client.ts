/**
 * The client port: the few Kafka operations the layer uses, in KafkaJS's shape, so that any
 * client with the KafkaJS API (kafkajs today, @confluentinc/kafka-javascript's KafkaJS
 * compatibility layer tomorrow) can sit behind it. Nothing outside this folder imports kafkajs.
 */

/** A record to produce. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
}

/** A consumed record; header values are UTF-8 strings. */
export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  /** The offset as a decimal string (Kafka offsets are int64). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The record timestamp in milliseconds, as a decimal string. */
  readonly timestamp: string;
}

/** One fetched batch of one partition, with the controls of the consumer loop. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingRecord[];
  readonly highWatermark: string;
  /** The offset of the last record of the fetched batch, counting the transaction markers a read-committed consumer never sees. */
  readonly lastOffset: string;
  /** Marks `offset` as processed; the next commit covers it. */
  resolveOffset(offset: string): void;
  /** Sends a heartbeat if the interval has passed; call between messages. */
  heartbeat(): Promise<void>;
  /** Commits resolved offsets if the auto-commit interval or threshold is reached. */
  commitOffsetsIfNecessary(): Promise<void>;
  /** Commits exactly these next offsets now, even while the consumer is stopping. */
  commitOffsets(offsets: readonly PartitionOffset[]): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when a rebalance made this batch stale; stop processing it. */
  isStale(): boolean;
}

/** The offset to consume next for one partition. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A producer; idempotent always, transactional when made with a transactional id. */
export interface ProducerPort {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Begins a transaction; only for a producer made with a transactional id. */
  transaction(): Promise<TransactionPort>;
}

/** An open transaction. */
export interface TransactionPort {
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Adds the consumer group's next offsets to the transaction. */
  sendOffsets(consumerGroupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Options of a consumer. */
export interface ConsumerOptions {
  readonly groupId: string;
  /** Whether the consumer reads only committed transactional data; true unless told otherwise. */
  readonly readCommitted?: boolean;
  readonly sessionTimeoutMs?: number;
  /** How long a rebalance waits for members to rejoin before evicting them. */
  readonly rebalanceTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly maxBytesPerPartition?: number;
  /** When true, each member gets partition p of every topic together (whole lanes; see co-partition-assigner.ts). */
  readonly coPartitioned?: boolean;
}

/** Options of the consumer loop. */
export interface RunOptions {
  readonly eachBatch: (batch: ConsumedBatch) => Promise<void>;
  /** Whether the client commits resolved offsets (at-least-once); false for the transactional path. */
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs?: number;
  readonly autoCommitThreshold?: number;
  readonly partitionsConsumedConcurrently?: number;
}

/** A consumer group member. */
export interface ConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void>;
  run(options: RunOptions): Promise<void>;
  /** Stops fetching, waits for the running batch, then commits resolved offsets (when auto-committing). */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
  /** Calls `listener` with the topic → partitions this member owns after each group join. */
  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): void;
  /** Calls `listener` when the consumer crashed and will not restart by itself. */
  onCrash(listener: (error: Error, willRestart: boolean) => void): void;
}

/** One partition's offsets. */
export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/** A topic to create. */
export interface NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor?: number;
  readonly configEntries?: readonly { name: string; value: string }[];
}

/** One partition of a topic as the cluster metadata describes it. */
export interface PartitionMetadata {
  readonly partition: number;
  /** The broker id of the partition leader; negative while the partition has no leader. */
  readonly leader: number;
}

/** The metadata of one topic. */
export interface TopicMetadata {
  readonly name: string;
  readonly partitions: readonly PartitionMetadata[];
}

/** Cluster administration. */
export interface AdminPort {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /**
   * Creates the topics that do not exist yet; returns true when it created any (false when a
   * concurrent creator won the race). Does not wait for partition leaders: a broker answers
   * UNKNOWN_TOPIC_OR_PARTITION for a moment after creation, so callers poll
   * {@link AdminPort.fetchTopicMetadata} (provisionTopics does).
   */
  createTopics(topics: readonly NewTopic[]): Promise<boolean>;
  listTopics(): Promise<string[]>;
  /** Returns the partitions and leaders of `topics`; throws when one of them is unknown to the cluster. */
  fetchTopicMetadata(topics: readonly string[]): Promise<TopicMetadata[]>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  fetchTopicOffsets(topic: string): Promise<PartitionWatermarks[]>;
  /** Returns the group's committed offsets; -1 where nothing is committed. */
  fetchCommittedOffsets(groupId: string, topics: readonly string[]): Promise<PartitionOffset[]>;
}

/** Options of a producer. */
export interface ProducerOptions {
  /** Makes the producer transactional with this id. */
  readonly transactionalId?: string;
  readonly transactionTimeoutMs?: number;
}

/** The factory every part of the layer receives. */
export interface KafkaClientPort {
  producer(options?: ProducerOptions): ProducerPort;
  consumer(options: ConsumerOptions): ConsumerPort;
  admin(): AdminPort;
}
