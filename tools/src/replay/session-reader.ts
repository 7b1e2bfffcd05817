/**
 * Reads a session's log back from Kafka: every WAL topic under the session's prefix,
 * read-committed, tick marks kept apart from the data records, dead letters counted, every data
 * record decoded into a {@link LoggedRecord}. `sessions verify`, `replay` and `why` all read a
 * session through it, so they see the log exactly as the main job did.
 */
import { AVRO_SCHEMAS, type ContractName, type TopicSpec, Topics, WAL_TOPICS } from '@fleet/contracts';
import { type AvroCodec, type ConsumedBatch, type ConsumerPort, DLQ_HEADER, type IncomingRecord, type KafkaClientPort, LANE_HEADER } from '@fleet/kafka';
import { prefixedTopic } from '@fleet/service';
import { type LoggedRecord } from '@fleet/fleet-session';

/** A tick mark: `producer` closed `tick` on `partition` of `topic` (a catalogue name). */
export interface TickMark {
  readonly topic: string;
  readonly producer: string;
  readonly partition: number;
  readonly tick: number;
}

/** A record of the dead-letter topic: where it came from and why. */
export interface DeadLetterNote {
  readonly topic: string;
  readonly reason: string;
}

/** What a session's log holds. */
export interface SessionLog {
  /** The decoded data records, sorted by topic, partition and offset. */
  readonly records: readonly LoggedRecord[];
  /** The highest tick each producer closed on each partition of each topic. */
  readonly marks: readonly TickMark[];
  readonly deadLetters: readonly DeadLetterNote[];
  /** Data records whose value did not decode (the services dead-letter those). */
  readonly undecodable: number;
}

/** How far to read one partition: offsets below `end` (exclusive). */
export interface PartitionEnd {
  readonly partition: number;
  readonly end: string;
}

/** What one consumed record is. */
export type RecordKind =
  | { readonly kind: 'mark'; readonly mark: TickMark }
  | { readonly kind: 'dead'; readonly note: DeadLetterNote }
  | { readonly kind: 'data'; readonly tick: number; readonly producer: string };

/** Returns what `record` of catalogue topic `topic` is: a tick mark, a dead letter or a data record. */
export function classifyRecord(topic: string, record: IncomingRecord): RecordKind {
  const tick = Number(record.headers[LANE_HEADER.tick]);
  const producer = record.headers[LANE_HEADER.producer] ?? '';
  if (record.headers[LANE_HEADER.mark] !== undefined) return { kind: 'mark', mark: { topic, producer, partition: record.partition, tick } };
  if (topic === Topics.deadLetter.name) return { kind: 'dead', note: { topic: record.headers[DLQ_HEADER.sourceTopic] ?? '', reason: record.headers[DLQ_HEADER.reason] ?? '' } };
  return { kind: 'data', tick, producer };
}

/** Returns the key of a (topic, producer, partition) mark slot. */
export function markKey(topic: string, producer: string, partition: number): string {
  return `${topic}/${producer}/${partition}`;
}

/** Returns the records in a stable order: topic, partition, offset. */
export function sortRecords(records: readonly LoggedRecord[]): LoggedRecord[] {
  return [...records].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0));
}

/**
 * Returns true when a read-committed reader has read a partition up to `end` (exclusive): it saw
 * offset end − 1, or the whole reader has been quiet for `quietMs`. The offsets after the last
 * record a reader receives can be commit or abort markers (one per transaction, and transactions
 * of several producers interleave) or aborted records, none of which it ever receives; while data
 * remains, a fetch answers at once, so a reader quiet for a second has nothing left to read.
 */
export function partitionDone(end: bigint, lastSeen: bigint | undefined, readerQuietMs: number, quietMs: number): boolean {
  if (end <= 0n) return true;
  return (lastSeen !== undefined && lastSeen >= end - 1n) || readerQuietMs >= quietMs;
}

/** How long a reader that received nothing at all waits before it calls its partitions read (they hold only markers or aborted records). */
const EMPTY_AFTER_MS = 15_000;

/** Options of a {@link LogCollector}. */
export interface LogCollectorOptions {
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  /** The topic prefix, for example `<sessionId>.`. */
  readonly prefix: string;
  /** The consumer group of the (throwaway) reader; nothing is ever committed. */
  readonly groupId: string;
  /** The catalogue topics to read; every WAL topic unless given. */
  readonly topics?: readonly TopicSpec[];
  /** Per catalogue topic, where to stop reading each partition; records at or past the end are ignored. */
  readonly ends?: ReadonlyMap<string, readonly PartitionEnd[]>;
}

/**
 * A read-committed reader of a prefixed log: collects data records, tick marks and dead
 * letters as they arrive, and wakes waiters on every batch. Used both for a bounded read of a
 * finished session and to follow a shadow replay while it runs.
 */
export class LogCollector {
  private readonly byName: Map<string, TopicSpec>;
  private readonly records: LoggedRecord[] = [];
  private readonly marked = new Map<string, TickMark>();
  private readonly dead: DeadLetterNote[] = [];
  private readonly lastSeen = new Map<string, bigint>();
  private readonly limits = new Map<string, bigint>();
  private consumer: ConsumerPort | undefined;
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private undecodable = 0;
  private lastBatchMs: number | undefined;
  private firstBatchMs: number | undefined;
  private startedMs: number | undefined;

  /** Returns a collector for `o`; {@link start} begins reading. */
  constructor(private readonly o: LogCollectorOptions) {
    this.byName = new Map((o.topics ?? WAL_TOPICS).map((t) => [prefixedTopic(t, o.prefix).name, t]));
    for (const [topic, parts] of o.ends ?? []) for (const p of parts) this.limits.set(`${topic}/${p.partition}`, BigInt(p.end));
  }

  /** Subscribes to every topic from the beginning and starts collecting. */
  async start(): Promise<void> {
    const consumer = this.o.client.consumer({ groupId: this.o.groupId, readCommitted: true });
    this.consumer = consumer;
    consumer.onCrash((error, willRestart) => {
      if (!willRestart) this.fail(error);
    });
    await consumer.connect();
    await consumer.subscribe([...this.byName.keys()], true);
    this.startedMs = performance.now();
    await consumer.run({ autoCommit: false, eachBatch: async (batch) => this.onBatch(batch) });
  }

  /** Stops reading and disconnects. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiters.splice(0)) w();
  }

  private async onBatch(batch: ConsumedBatch): Promise<void> {
    const { partition, messages } = batch;
    const spec = this.byName.get(batch.topic);
    if (!spec) return;
    const limit = this.limits.get(`${spec.name}/${partition}`);
    for (const r of messages) {
      // Nothing is committed, but a batch's offsets must be resolved or the next fetch repeats it.
      batch.resolveOffset(r.offset);
      if (limit !== undefined && BigInt(r.offset) >= limit) continue;
      const what = classifyRecord(spec.name, r);
      if (what.kind === 'mark') {
        const key = markKey(what.mark.topic, what.mark.producer, partition);
        if ((this.marked.get(key)?.tick ?? -1) < what.mark.tick) this.marked.set(key, what.mark);
      } else if (what.kind === 'dead') {
        this.dead.push(what.note);
      } else {
        try {
          const { value } = await this.o.codec.decode(r.value, AVRO_SCHEMAS[spec.valueType as ContractName]!);
          this.records.push({ topic: spec.name, partition, offset: r.offset, tick: what.tick, producer: what.producer, timestampMs: Number(r.timestamp), value: value as LoggedRecord['value'] });
        } catch {
          this.undecodable++;
        }
      }
    }
    if (messages.length > 0) {
      const now = performance.now();
      this.lastSeen.set(`${spec.name}/${partition}`, BigInt(messages[messages.length - 1]!.offset));
      this.firstBatchMs ??= now;
      this.lastBatchMs = now;
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** The highest tick `producer` closed on `partition` of `topic` so far (−1 when none). */
  lastMarked(topic: string, producer: string, partition: number): number {
    return this.marked.get(markKey(topic, producer, partition))?.tick ?? -1;
  }

  /** How many data records have arrived so far. */
  get recordCount(): number {
    return this.records.length;
  }

  /** Returns what has been collected so far, records sorted by topic, partition and offset. */
  log(): SessionLog {
    return { records: sortRecords(this.records), marks: [...this.marked.values()], deadLetters: [...this.dead], undecodable: this.undecodable };
  }

  /** Milliseconds the reader has been quiet: since the last batch, or since it started when nothing ever arrived (0 until then). */
  private readerQuietMs(): number {
    const now = performance.now();
    if (this.lastBatchMs !== undefined) return now - this.lastBatchMs;
    return this.startedMs !== undefined && now - this.startedMs > EMPTY_AFTER_MS ? now - this.startedMs : 0;
  }

  /** Returns true once every partition limit given in the options has been read (see {@link partitionDone}). */
  reachedEnds(quietMs = 1_000): boolean {
    return this.unread(quietMs).length === 0;
  }

  /** The partitions not read to their end yet, as `topic/partition`. */
  unread(quietMs = 1_000): string[] {
    const quiet = this.readerQuietMs();
    return [...this.limits].filter(([key, end]) => !partitionDone(end, this.lastSeen.get(key), quiet, quietMs)).map(([key]) => key);
  }

  /** When the first batch arrived (performance.now() milliseconds), or undefined before it. */
  get firstBatchAtMs(): number | undefined {
    return this.firstBatchMs;
  }

  /** Milliseconds since the last batch arrived (undefined before the first). */
  quietForMs(): number | undefined {
    return this.lastBatchMs === undefined ? undefined : performance.now() - this.lastBatchMs;
  }

  /**
   * Resolves once `done()` holds; rejects when the reader crashed, after `timeoutMs`, or when
   * `idleMs` passed without a batch after the first one (when given). `onWake` runs on every check.
   */
  async waitUntil(done: () => boolean, what: string, timeoutMs: number, options: { readonly idleMs?: number; readonly onWake?: () => void } = {}): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      if (this.failure) throw this.failure;
      if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
      const quiet = this.quietForMs();
      if (options.idleMs !== undefined && quiet !== undefined && quiet > options.idleMs) throw new Error(`nothing arrived for ${Math.round(quiet / 1000)} s while waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
      options.onWake?.();
    }
    if (this.failure) throw this.failure;
  }
}

/** Where a bounded read of a session stops. */
export type SessionEnds = ReadonlyMap<string, readonly PartitionEnd[]>;

/** Returns the current end offsets (high watermarks) of every topic under `prefix`, by catalogue name; partitions with nothing in them are left out. */
export async function currentEnds(client: KafkaClientPort, prefix: string, topics: readonly TopicSpec[] = WAL_TOPICS): Promise<Map<string, PartitionEnd[]>> {
  const admin = client.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const out = new Map<string, PartitionEnd[]>();
    for (const t of topics) {
      const name = prefixedTopic(t, prefix).name;
      if (!existing.has(name)) continue;
      const marks = await admin.fetchTopicOffsets(name);
      out.set(t.name, marks.filter((m) => BigInt(m.high) > 0n).map((m) => ({ partition: m.partition, end: m.high })));
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Returns the ends a session manifest recorded (its `topics` ranges), by catalogue name. */
export function manifestEnds(topics: Readonly<Record<string, readonly { readonly partition: number; readonly end: string }[]>>): Map<string, PartitionEnd[]> {
  const out = new Map<string, PartitionEnd[]>();
  for (const [topic, parts] of Object.entries(topics)) out.set(topic, parts.filter((p) => BigInt(p.end) > 0n).map((p) => ({ partition: p.partition, end: p.end })));
  return out;
}

let readers = 0;

/** Returns a group id for a throwaway reader: unique within this process and across processes. */
export function readerGroupId(prefix: string, purpose: string): string {
  readers += 1;
  return `${prefix}fleet.${purpose}.${process.pid}.${readers}`;
}

/** Options of {@link readSessionLog}. */
export interface ReadSessionOptions {
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly prefix: string;
  /** Where to stop (the manifest's end offsets); the current end offsets unless given. */
  readonly ends?: SessionEnds;
  readonly topics?: readonly TopicSpec[];
  readonly timeoutMs?: number;
}

/** Reads a finished log under `prefix` up to `ends` and returns it. */
export async function readSessionLog(o: ReadSessionOptions): Promise<SessionLog> {
  const topics = o.topics ?? WAL_TOPICS;
  const ends = o.ends ?? (await currentEnds(o.client, o.prefix, topics));
  const names = new Set(topics.map((t) => t.name));
  const bounded = new Map([...ends].filter(([topic, parts]) => names.has(topic) && parts.length > 0));
  if (bounded.size === 0) return { records: [], marks: [], deadLetters: [], undecodable: 0 };
  const collector = new LogCollector({ client: o.client, codec: o.codec, prefix: o.prefix, groupId: readerGroupId(o.prefix, 'log-reader'), topics: topics.filter((t) => bounded.has(t.name)), ends: bounded });
  await collector.start();
  try {
    await collector.waitUntil(() => collector.reachedEnds(), `the log under ${o.prefix} to be read to its end`, o.timeoutMs ?? 300_000);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; unread: ${collector.unread().join(', ')}`);
  } finally {
    await collector.stop();
  }
  return collector.log();
}
