/**
 * Hand-written stubs of the client port for unit specs: an in-memory registry, producers that
 * record what they sent and transactions that record begin/send/offsets/commit/abort, and a
 * consumer that replays given batches through the runner's eachBatch.
 */
import {
  type AdminPort,
  type ConsumedBatch,
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
} from '../client';
import { type CompatibilityLevel, type SchemaRegistryAdminPort } from '../schema-registry';

/** An in-memory registry: ids from 1, one id per distinct schema text; records registrations and compatibility levels. */
export class StubRegistry implements SchemaRegistryAdminPort {
  readonly schemas = new Map<number, string>();
  /** Every register call, in order. */
  readonly registrations: { subject: string; id: number }[] = [];
  /** The compatibility level set per subject. */
  readonly compatibility = new Map<string, CompatibilityLevel>();
  async register(subject: string, schema: string): Promise<number> {
    let found: number | undefined;
    for (const [id, s] of this.schemas) if (s === schema) found = id;
    const id = found ?? this.schemas.size + 1;
    this.schemas.set(id, schema);
    this.registrations.push({ subject, id });
    return id;
  }
  async schemaById(id: number): Promise<string | undefined> {
    return this.schemas.get(id);
  }
  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    this.compatibility.set(subject, level);
  }
  async getCompatibility(subject: string): Promise<string | undefined> {
    return this.compatibility.get(subject);
  }
}

/**
 * An in-memory cluster admin: topics with partition counts. New topics come without leaders
 * for `leaderlessPolls` metadata calls, and the first `unknownTopicPolls` metadata calls after a
 * creation fail as a broker does right after creating a topic.
 */
export class StubAdmin implements AdminPort {
  /** Topic name → partition count. */
  readonly topics = new Map<string, number>();
  /** Every createTopics request, in order. */
  readonly created: NewTopic[][] = [];
  /** How many metadata calls are made. */
  metadataCalls = 0;
  /** Metadata calls after a creation that fail with UNKNOWN_TOPIC_OR_PARTITION. */
  unknownTopicPolls = 0;
  /** Metadata calls after a creation (and after the failing ones) that report no leader. */
  leaderlessPolls = 0;
  connected = false;
  private pendingUnknown = 0;
  private pendingLeaderless = 0;

  constructor(topics: Record<string, number> = {}) {
    for (const [name, partitions] of Object.entries(topics)) this.topics.set(name, partitions);
  }
  async connect(): Promise<void> {
    this.connected = true;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
  }
  async createTopics(topics: readonly NewTopic[]): Promise<boolean> {
    this.created.push([...topics]);
    let any = false;
    for (const t of topics) {
      if (this.topics.has(t.topic)) continue;
      this.topics.set(t.topic, t.numPartitions);
      any = true;
    }
    this.pendingUnknown = this.unknownTopicPolls;
    this.pendingLeaderless = this.leaderlessPolls;
    return any;
  }
  async listTopics(): Promise<string[]> {
    return [...this.topics.keys()];
  }
  async fetchTopicMetadata(topics: readonly string[]): Promise<TopicMetadata[]> {
    this.metadataCalls += 1;
    if (this.pendingUnknown > 0) {
      this.pendingUnknown -= 1;
      throw new Error('This server does not host this topic-partition');
    }
    const leader = this.pendingLeaderless > 0 ? -1 : 1;
    if (this.pendingLeaderless > 0) this.pendingLeaderless -= 1;
    return topics.map((name) => {
      const partitions = this.topics.get(name);
      if (partitions === undefined) throw new Error(`This server does not host this topic-partition: ${name}`);
      return { name, partitions: Array.from({ length: partitions }, (_, partition) => ({ partition, leader })) };
    });
  }
  async deleteTopics(topics: readonly string[]): Promise<void> {
    for (const t of topics) this.topics.delete(t);
  }
  async fetchTopicOffsets(): Promise<PartitionWatermarks[]> {
    return [];
  }
  async fetchCommittedOffsets(): Promise<PartitionOffset[]> {
    return [];
  }
}

/** What happened, in order, across every stub of one client. */
export type Step =
  | { op: 'send'; producer: string; records: readonly OutgoingRecord[] }
  | { op: 'begin' | 'commit' | 'abort'; producer: string }
  | { op: 'tx-send'; producer: string; records: readonly OutgoingRecord[] }
  | { op: 'send-offsets'; producer: string; group: string; offsets: readonly PartitionOffset[] }
  | { op: 'resolve' | 'commit-offsets'; offsets: string }
  | { op: 'handled'; offset: string };

export class StubProducer implements ProducerPort {
  /** Errors the next commits throw, in order. */
  readonly commitFailures: Error[] = [];
  constructor(
    private readonly steps: Step[],
    readonly name: string,
  ) {}
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.steps.push({ op: 'send', producer: this.name, records });
  }
  async transaction(): Promise<TransactionPort> {
    const producer = this.name;
    this.steps.push({ op: 'begin', producer });
    return {
      send: async (records) => void this.steps.push({ op: 'tx-send', producer, records }),
      sendOffsets: async (group, offsets) => void this.steps.push({ op: 'send-offsets', producer, group, offsets }),
      commit: async () => {
        const failure = this.commitFailures.shift();
        if (failure) throw failure;
        this.steps.push({ op: 'commit', producer });
      },
      abort: async () => void this.steps.push({ op: 'abort', producer }),
    };
  }
}

export class StubConsumer implements ConsumerPort {
  running = true;
  private assignment: ((a: Readonly<Record<string, readonly number[]>>) => void) | undefined;
  options: RunOptions | undefined;
  constructor(private readonly steps: Step[]) {}
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async run(options: RunOptions): Promise<void> {
    this.options = options;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  async disconnect(): Promise<void> {
    this.running = false;
  }
  onAssignment(listener: (a: Readonly<Record<string, readonly number[]>>) => void): void {
    this.assignment = listener;
  }
  onCrash(): void {}
  /** Announces an assignment, as a group join does. */
  assign(a: Record<string, number[]>): void {
    this.assignment?.(a);
  }
  /** Runs one batch through the runner; `stopAfter` makes isRunning() false after that many heartbeats. */
  async deliver(topic: string, partition: number, messages: IncomingRecord[], stopAfter = Infinity): Promise<void> {
    let heartbeats = 0;
    const batch: ConsumedBatch = {
      topic,
      partition,
      messages,
      highWatermark: String(messages.length),
      lastOffset: messages.length > 0 ? messages[messages.length - 1]!.offset : '-1',
      resolveOffset: (offset) => void this.steps.push({ op: 'resolve', offsets: offset }),
      heartbeat: async () => {
        if (++heartbeats >= stopAfter) this.running = false;
      },
      commitOffsetsIfNecessary: async () => undefined,
      commitOffsets: async (offsets) => void this.steps.push({ op: 'commit-offsets', offsets: offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(',') }),
      isRunning: () => this.running,
      isStale: () => false,
    };
    await this.options!.eachBatch(batch);
  }
}

export class StubClient implements KafkaClientPort {
  readonly steps: Step[] = [];
  readonly producers = new Map<string, StubProducer>();
  consumerStub: StubConsumer | undefined;
  producer(options: ProducerOptions = {}): ProducerPort {
    const name = options.transactionalId ?? `idempotent-${this.producers.size}`;
    const p = new StubProducer(this.steps, name);
    this.producers.set(name, p);
    return p;
  }
  consumer(_options: ConsumerOptions): ConsumerPort {
    this.consumerStub = new StubConsumer(this.steps);
    return this.consumerStub;
  }
  admin(): AdminPort {
    throw new Error('the stub client has no admin');
  }
}
