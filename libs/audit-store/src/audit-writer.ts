import { type RotationPolicy, type TrailRecord, type TrailSource, UNDECODABLE_VALUE_TYPE, compareOffsets, nextOffset, partitionKey } from '@fleet/audit';
import { AVRO_SCHEMAS, type CatalogueTopic, WAL_TOPICS } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { type AvroCodec, type AvroSchemaJson, type ConsumedBatch, type ConsumerPort, DecodeError, type IncomingRecord, type KafkaClientPort, type PartitionOffset } from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { type Counter, type Gauge } from 'prom-client';
import { BoundedQueue } from './bounded-queue';
import { type RecoveryReport, TrailStore } from './trail-store';

/** Options of {@link AuditWriter}. */
export interface AuditWriterOptions {
  /** The trail directory (a volume in Kubernetes). */
  readonly dir: string;
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  /** The consumer group; one writer (one member) per trail. */
  readonly groupId: string;
  /** The topics to chain; every WAL topic unless told otherwise. */
  readonly topics?: readonly CatalogueTopic[];
  /** Segment rotation; 10 000 records or 64 MiB unless told otherwise. */
  readonly rotation?: RotationPolicy;
  /** Seals a non-empty open segment this long after the previous seal even when it is small; 5 s unless told otherwise. */
  readonly sealIntervalMs?: number;
  /** Capacity of the queue between consumer and writer; 1 000 unless told otherwise. */
  readonly queueCapacity?: number;
  /** Longest the consumer waits for room before the put fails as an overflow (an error and a metric, never a drop); unbounded unless told. */
  readonly overflowWaitMs?: number;
  readonly metrics?: FleetMetrics;
  /**
   * Scopes the trail to some records (for example one instrument in a test on shared topics).
   * Records left out are counted in fleet_audit_excluded_total, never silently; a production
   * writer sets none.
   */
  readonly include?: (source: TrailSource) => boolean;
  /** Called after each record joins the chain (before it is sealed). */
  readonly onAppend?: (record: TrailRecord) => void;
}

interface QueuedRecord {
  readonly source: TrailSource;
}

interface AuditMetrics {
  readonly overflow: Counter<string>;
  readonly records: Counter<string>;
  readonly duplicates: Counter<string>;
  readonly excluded: Counter<string>;
  readonly undecodable: Counter<string>;
  readonly sealed: Counter<string>;
  readonly height: Gauge<string>;
  readonly lag: Gauge<string>;
}

function auditMetrics(m: FleetMetrics): AuditMetrics {
  return {
    overflow: m.counter('fleet_audit_overflow_total', 'Records the audit queue refused after the maximum wait (an error; the record is consumed again, never dropped).'),
    records: m.counter('fleet_audit_records_total', 'Records appended to the audit chain.'),
    duplicates: m.counter('fleet_audit_duplicates_skipped_total', 'Re-delivered records skipped because their offset is already in the trail.'),
    excluded: m.counter('fleet_audit_excluded_total', 'Records left out by an explicit trail scope (include option).'),
    undecodable: m.counter('fleet_audit_undecodable_total', 'Records chained as undecodable raw bytes.'),
    sealed: m.counter('fleet_audit_segments_sealed_total', 'Audit segments sealed.'),
    height: m.gauge('fleet_audit_chain_height', 'Trail sequence of the last record in the audit chain.'),
    lag: m.gauge('fleet_audit_lag_records', 'Records fetched-or-fetchable but not yet in the trail: high watermark minus the last processed offset, summed over partitions.'),
  };
}

const DEFAULT_ROTATION: RotationPolicy = { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024 };

/**
 * The audit writer: consumes every WAL topic, decodes each record with the registry, and
 * appends it to the hash-chained trail through a bounded queue (backpressure, never loss);
 * seals segments by size, count or time; after a seal it commits the sealed offsets + 1 as the
 * group's position, a hint only — on start it resumes from the manifest, discards what was not
 * sealed and skips any offset already in the trail, so the trail has no gap and no duplicate.
 */
export class AuditWriter {
  private store: TrailStore | undefined;
  private consumer: ConsumerPort | undefined;
  private queue: BoundedQueue<QueuedRecord> | undefined;
  private loop: Promise<void> | undefined;
  private crashing = false;
  private lastSealAt = 0;
  private pendingCommit: PartitionOffset[] | undefined;
  private readonly highWatermarks = new Map<string, string>();
  private readonly processed = new Map<string, string>();
  private readonly metrics: AuditMetrics | undefined;
  private fatal: Error | undefined;

  /** Returns a writer for `options`; call {@link start}. */
  constructor(private readonly options: AuditWriterOptions) {
    this.metrics = options.metrics ? auditMetrics(options.metrics) : undefined;
  }

  /** The first fatal error of the writer loop, if any (the writer stops consuming on it). */
  get error(): Error | undefined {
    return this.fatal;
  }

  /** The chain head (sealed or not), or undefined before start. */
  get chainHead(): { readonly seq: number; readonly hash: string } | undefined {
    return this.store?.chainHead;
  }

  /** Opens the trail (recovering from a crash), then starts consuming; returns what recovery found. */
  async start(): Promise<RecoveryReport> {
    const o = this.options;
    const store = await TrailStore.open(o.dir, o.rotation ?? DEFAULT_ROTATION);
    this.store = store;
    this.metrics?.height.set(store.chainHead.seq);
    this.queue = new BoundedQueue<QueuedRecord>({ capacity: o.queueCapacity ?? 1_000, maxWaitMs: o.overflowWaitMs, onOverflow: () => this.metrics?.overflow.inc() });
    this.lastSealAt = Date.now();
    this.loop = this.writeLoop();
    const consumer = o.client.consumer({ groupId: o.groupId, readCommitted: true });
    this.consumer = consumer;
    consumer.onCrash((error, willRestart) => {
      // A consumer that restarts resumes from the committed hint and skips what is in the trail;
      // one that does not is fatal: the writer must not look alive while it reads nothing.
      if (!willRestart) this.fatal ??= error;
    });
    await consumer.connect();
    await consumer.subscribe((o.topics ?? WAL_TOPICS).map((t) => t.name), true);
    await consumer.run({ autoCommit: false, eachBatch: (batch) => this.eachBatch(batch) });
    return store.recovery;
  }

  /** Stops consuming, writes what was queued, seals and closes the trail. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.queue?.close();
    await this.loop;
    if (this.fatal) {
      await this.store?.abandon();
      throw this.fatal;
    }
    await this.store?.close();
  }

  /** Stops as a crash would: disconnects without writing what was queued and without sealing. */
  async crash(): Promise<void> {
    this.crashing = true;
    this.queue?.close();
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    await this.loop;
    await this.store?.abandon();
  }

  private async eachBatch(batch: ConsumedBatch): Promise<void> {
    const topic = (this.options.topics ?? WAL_TOPICS).find((t) => t.name === batch.topic);
    if (!topic || !this.queue) return;
    this.highWatermarks.set(partitionKey(batch.topic, batch.partition), batch.highWatermark);
    for (const message of batch.messages) {
      if (!batch.isRunning() || batch.isStale() || this.queue.closed) break;
      const source = await this.toSource(topic, message);
      await this.queue.put({ source }, () => batch.heartbeat());
      batch.resolveOffset(message.offset);
      await batch.heartbeat();
    }
    const commit = this.pendingCommit;
    if (commit && batch.isRunning()) {
      this.pendingCommit = undefined;
      await batch.commitOffsets(commit);
    }
  }

  private async toSource(topic: CatalogueTopic, message: IncomingRecord): Promise<TrailSource> {
    const base = {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key === null ? null : message.key.toString('utf8'),
      timestampMs: Number(message.timestamp),
    };
    if (message.value === null) return { ...base, valueType: topic.valueType, value: null };
    try {
      const { value } = await this.options.codec.decode(message.value, AVRO_SCHEMAS[topic.valueType] as AvroSchemaJson);
      return { ...base, valueType: topic.valueType, value: plainJson(value) };
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.metrics?.undecodable.inc();
      return { ...base, valueType: UNDECODABLE_VALUE_TYPE, value: { bytesBase64: message.value.toString('base64'), reason: error.reason, message: error.message } };
    }
  }

  private async writeLoop(): Promise<void> {
    const store = this.store!;
    const queue = this.queue!;
    const sealIntervalMs = this.options.sealIntervalMs ?? 5_000;
    try {
      while (!this.crashing) {
        const item = await queue.take(Math.min(200, sealIntervalMs));
        if (this.crashing) break;
        if (item === undefined) {
          if (queue.closed) break;
        } else {
          await this.appendOne(store, item.source);
        }
        if (store.openRecords > 0 && Date.now() - this.lastSealAt >= sealIntervalMs) await this.sealNow(store);
      }
    } catch (error) {
      this.fatal = error as Error;
      queue.close();
    }
  }

  private async appendOne(store: TrailStore, source: TrailSource): Promise<void> {
    const key = partitionKey(source.topic, source.partition);
    this.processed.set(key, source.offset);
    if (this.options.include && !this.options.include(source)) {
      this.metrics?.excluded.inc();
    } else {
      const outcome = await store.append(source);
      if (!outcome.appended) {
        this.metrics?.duplicates.inc();
      } else {
        this.metrics?.records.inc();
        this.metrics?.height.set(outcome.record.seq);
        this.options.onAppend?.(outcome.record);
        if (outcome.sealed) this.afterSeal(store);
      }
    }
    this.metrics?.lag.set(this.lag());
  }

  private async sealNow(store: TrailStore): Promise<void> {
    if (await store.seal()) this.afterSeal(store);
    this.lastSealAt = Date.now();
  }

  private afterSeal(store: TrailStore): void {
    this.lastSealAt = Date.now();
    this.metrics?.sealed.inc();
    this.pendingCommit = store.manifest.sealedOffsets.map((m) => ({ topic: m.topic, partition: m.partition, offset: nextOffset(m.offset) }));
  }

  private lag(): number {
    let total = 0;
    for (const [key, high] of this.highWatermarks) {
      const done = this.processed.get(key);
      const next = done === undefined ? 0n : BigInt(nextOffset(done));
      if (compareOffsets(high, next.toString()) > 0) total += Number(BigInt(high) - next);
    }
    return total;
  }
}

/** Returns `value` as plain JSON data: bytes as base64 strings, class instances as plain objects. */
function plainJson(value: unknown): unknown {
  const normalised = JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      // JSON has no NaN or infinities; they are kept as their names rather than turned into null.
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
        return Buffer.from((v as { data: number[] }).data).toString('base64');
      }
      return v;
    }),
  ) as unknown;
  // The canonical round trip checks that the value has a canonical form before it is chained.
  canonicalJson(normalised);
  return normalised;
}
