import { type PartitionOffsetMark, type SegmentSeal, type TrailSource, compareOffsets, nextOffset, partitionKey } from '@fleet/audit';
import { BoundedQueue, type RecoveryReport, TrailStore } from '@fleet/audit-store';
import { type AuditCheckpoint, type CatalogueTopic } from '@fleet/contracts';
import { type AvroCodec } from '@fleet/kafka';
import { type Readiness } from '@fleet/service';
import { type AuditMetrics } from './audit-metrics';
import { SEGMENT_MAX_BYTES } from './audit-writer.constants';
import { SegmentEventTime, checkpointOf, segmentEventTimeUs } from './checkpoint';
import { readProgressFile, readSegmentRecords, writeProgressFile } from './progress-file';
import { PartitionPositions, type PartitionWatermark, type TrailProgress, coveredOffsets, progressAt, progressProblem, resumePlan } from './trail-progress';
import { isTickMark, trailSourceOf } from './trail-source';
import { type WalBatch, type WalConsumerPort } from './wal-consumer';

/** Where the audit.checkpoint of each sealed segment goes. */
export interface CheckpointSink {
  publish(checkpoint: AuditCheckpoint): Promise<void>;
}

/** Options of {@link AuditTrailWriter}. */
export interface AuditTrailWriterOptions {
  /** The trail directory (a volume in Kubernetes). */
  readonly dir: string;
  /** The topics to chain as they are consumed (under the process's topic prefix), with their catalogue value types. */
  readonly topics: readonly CatalogueTopic[];
  readonly consumer: WalConsumerPort;
  readonly codec: AvroCodec;
  /** Returns the low and high watermarks of every partition of `topics`. */
  readonly watermarks: (topics: readonly string[]) => Promise<PartitionWatermark[]>;
  readonly checkpoints: CheckpointSink;
  /** The session id every checkpoint is keyed by. */
  readonly sessionId: string;
  /** Records per segment before it is sealed. */
  readonly segmentRecords: number;
  /** Bytes per segment before it is sealed; 64 MiB unless told otherwise. */
  readonly segmentBytes?: number;
  /** Records held between the consumer and the trail; consumption pauses while it is full. */
  readonly queueCapacity: number;
  readonly metrics: AuditMetrics;
  /** The wall clock in milliseconds, read only for the last-checkpoint gauge (telemetry, never trail content). */
  readonly wallClockMs: () => number;
  readonly readiness?: Readiness;
  /** Receives one structured entry per notable event (warnings, errors). */
  readonly log?: (entry: Readonly<Record<string, unknown>>) => void;
  /** Called once with the first fatal error; the writer has stopped consuming and must be stopped. */
  readonly onFatal?: (error: Error) => void;
}

/** What {@link AuditTrailWriter.start} found and did before consuming. */
export interface AuditStartReport extends RecoveryReport {
  /** Whether the progress file was trusted; the problem when one was found and ignored. */
  readonly progress: 'trusted' | 'absent' | { readonly ignored: string };
  /** Checkpoints of segments sealed before the start that were published now (not published before a crash). */
  readonly checkpointsPublished: number;
  /** Partitions consumed, each from its resume offset. */
  readonly partitions: number;
  /** Records the log holds past the resume offsets at start. */
  readonly lagAtStart: number;
}

/** Raised at start when the log and the trail disagree, so resuming would leave a gap or skip records. */
export class TrailResumeError extends Error {
  /** Returns the error listing every partition at fault. */
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`audit trail ${dir} cannot resume on this log: ${problems.join('; ')}`);
    this.name = 'TrailResumeError';
  }
}

type QueueItem =
  | { readonly kind: 'event'; readonly source: TrailSource }
  /** Consumed but not chained: a tick mark, or the offsets up to a transaction marker. */
  | { readonly kind: 'skip'; readonly topic: string; readonly partition: number; readonly offset: string; readonly mark: boolean };

/**
 * The audit writer's loop. On start it opens the trail (discarding what was not sealed),
 * publishes the checkpoints a crash left unpublished, and seeks every WAL partition to the
 * offset after the one its trail covers (the manifest's sealed events, raised past tick marks
 * by the progress file), never trusting the group's commits. A consumer decodes records into a
 * bounded queue (pausing consumption while it is full); one writer loop chains them, seals a
 * segment every `segmentRecords` records, then publishes its audit.checkpoint, writes the
 * progress file and commits the covered offsets + 1 as the group's position. Tick marks are
 * skipped and counted, never decoded. Stopping drains the queue and seals the open segment.
 */
export class AuditTrailWriter {
  private readonly byName: ReadonlyMap<string, CatalogueTopic>;
  private readonly topicNames: readonly string[];
  /** The next offset to hand to the queue, per partition. */
  private readonly enqueued = new Map<string, string>();
  private store: TrailStore | undefined;
  private queue: BoundedQueue<QueueItem> | undefined;
  private positions: PartitionPositions | undefined;
  private loop: Promise<void> | undefined;
  private segmentTime = new SegmentEventTime();
  private checkpointed = 0;
  private overflows = 0;
  private partitionCount = 0;
  private consuming = false;
  private stopping = false;
  private inBatch: Promise<void> | undefined;
  private fatal: Error | undefined;

  /** Returns a writer for `options`; call {@link start}. */
  constructor(private readonly options: AuditTrailWriterOptions) {
    this.byName = new Map(options.topics.map((t) => [t.name, t]));
    this.topicNames = options.topics.map((t) => t.name);
  }

  /** Opens and recovers the trail, publishes missing checkpoints, seeks to the covered offsets and starts consuming. */
  async start(): Promise<AuditStartReport> {
    const o = this.options;
    const store = await TrailStore.open(o.dir, { maxRecords: o.segmentRecords, maxBytes: o.segmentBytes ?? SEGMENT_MAX_BYTES });
    this.store = store;
    const { progress, status } = await this.readProgress(store);
    this.checkpointed = progress?.checkpointed ?? 0;
    const checkpointsPublished = await this.publishMissingCheckpoints(store);
    const watermarks = await o.watermarks(this.topicNames);
    const plan = resumePlan(watermarks, coveredOffsets(store.manifest, progress));
    if (plan.problems.length > 0) throw new TrailResumeError(o.dir, plan.problems);
    const positions = new PartitionPositions(plan.seeks, watermarks);
    this.positions = positions;
    for (const s of plan.seeks) this.enqueued.set(partitionKey(s.topic, s.partition), s.offset);
    this.partitionCount = plan.seeks.length;
    await this.persist(store, false);
    const lagAtStart = positions.lag();
    o.metrics.chainHeight.set(store.chainHead.seq);
    o.metrics.lag.set(lagAtStart);
    o.readiness?.set('state-rebuilt', true);

    this.queue = new BoundedQueue<QueueItem>({ capacity: o.queueCapacity });
    this.loop = this.writeLoop(store, this.queue, positions);
    o.consumer.onAssignment((assignment) => this.onAssignment(assignment));
    o.consumer.onCrash((error, willRestart) => {
      if (!willRestart) this.fail(error);
    });
    await o.consumer.connect();
    await o.consumer.subscribe(this.topicNames);
    await o.consumer.run((batch) => this.eachBatch(batch));
    this.consuming = true;
    o.readiness?.set('kafka-connected', true);
    return { ...store.recovery, progress: status, checkpointsPublished, partitions: plan.seeks.length, lagAtStart };
  }

  /**
   * Stops consuming, chains what was queued, seals the open segment (publishing its checkpoint
   * and committing), and disconnects. After a fatal error it leaves the open segment unsealed,
   * as a crash would, and throws that error.
   */
  async stop(): Promise<void> {
    const store = this.store;
    const queue = this.queue;
    if (!store || !queue) return;
    this.stopping = true;
    this.options.readiness?.clear();
    if (this.consuming) this.options.consumer.pause(this.topicNames);
    await this.inBatch;
    queue.close();
    await this.loop;
    if (this.fatal) {
      await store.abandon();
      await this.options.consumer.disconnect().catch(() => undefined);
      throw this.fatal;
    }
    const seal = await store.seal();
    if (seal) await this.afterSeal(store, seal);
    else await this.persist(store, true);
    await store.close();
    await this.options.consumer.disconnect();
  }

  private async readProgress(store: TrailStore): Promise<{ progress: TrailProgress | undefined; status: AuditStartReport['progress'] }> {
    const read = await readProgressFile(this.options.dir);
    if (read.kind === 'absent') return { progress: undefined, status: 'absent' };
    if (read.kind === 'parsed') {
      const problem = progressProblem(read.value, store.manifest);
      if (problem === undefined) return { progress: read.value as TrailProgress, status: 'trusted' };
      return this.ignoreProgress(problem);
    }
    return this.ignoreProgress(read.reason);
  }

  private ignoreProgress(problem: string): { progress: undefined; status: AuditStartReport['progress'] } {
    this.options.log?.({ level: 'warn', event: 'audit-progress-ignored', dir: this.options.dir, problem });
    return { progress: undefined, status: { ignored: problem } };
  }

  /** Publishes the checkpoints of sealed segments that have none yet (a crash between a seal and its checkpoint); returns how many. */
  private async publishMissingCheckpoints(store: TrailStore): Promise<number> {
    const missing = store.manifest.segments.slice(this.checkpointed);
    for (const seal of missing) await this.publishCheckpoint(seal, segmentEventTimeUs(await readSegmentRecords(this.options.dir, seal)));
    return missing.length;
  }

  private onAssignment(assignment: Readonly<Record<string, readonly number[]>>): void {
    let owned = 0;
    for (const [topic, partitions] of Object.entries(assignment)) {
      if (!this.byName.has(topic)) continue;
      for (const partition of partitions) {
        owned += 1;
        const offset = this.enqueued.get(partitionKey(topic, partition));
        if (offset !== undefined) this.options.consumer.seek({ topic, partition, offset });
      }
    }
    const whole = owned === this.partitionCount;
    this.options.readiness?.set('partitions-assigned', whole);
    if (!whole) this.options.log?.({ level: 'warn', event: 'audit-partial-assignment', owned, partitions: this.partitionCount, message: 'one writer must own every WAL partition; is another member in the group?' });
  }

  private async eachBatch(batch: WalBatch): Promise<void> {
    const topic = this.byName.get(batch.topic);
    if (!topic || this.stopping || this.fatal) return;
    const running = this.consume(topic, batch);
    this.inBatch = running.then(
      () => undefined,
      () => undefined,
    );
    try {
      await running;
    } catch (error) {
      // A batch cut short by a fatal error or a stop is expected; anything else (an unreachable
      // registry) is the client's to retry from the last resolved offset.
      if (!this.fatal && !this.stopping) throw error;
    } finally {
      this.inBatch = undefined;
    }
  }

  private async consume(topic: CatalogueTopic, batch: WalBatch): Promise<void> {
    const key = partitionKey(batch.topic, batch.partition);
    this.positions!.setHigh(batch.topic, batch.partition, batch.highWatermark);
    const cut = (): boolean => this.stopping || this.fatal !== undefined || !batch.isRunning() || batch.isStale();
    for (const message of batch.messages) {
      if (cut()) return;
      const next = this.enqueued.get(key);
      if (next === undefined || compareOffsets(message.offset, next) >= 0) {
        const item: QueueItem = isTickMark(message)
          ? { kind: 'skip', topic: message.topic, partition: message.partition, offset: message.offset, mark: true }
          : { kind: 'event', source: await this.decode(topic, message) };
        await this.put(item, batch);
        this.enqueued.set(key, nextOffset(message.offset));
      }
      batch.resolveOffset(message.offset);
      await batch.heartbeat();
    }
    const next = this.enqueued.get(key);
    // Offsets after the last record handed over (transaction markers) are consumed too.
    if (!cut() && next !== undefined && compareOffsets(batch.lastOffset, next) >= 0) {
      await this.put({ kind: 'skip', topic: batch.topic, partition: batch.partition, offset: batch.lastOffset, mark: false }, batch);
      this.enqueued.set(key, nextOffset(batch.lastOffset));
    }
  }

  private async decode(topic: CatalogueTopic, message: WalBatch['messages'][number]): Promise<TrailSource> {
    const { source, undecodable } = await trailSourceOf(this.options.codec, topic, message);
    if (undecodable) this.options.metrics.undecodable.inc();
    return source;
  }

  /** Queues `item`; a full queue is an overflow: counted, logged, and consumption pauses until there is room. */
  private async put(item: QueueItem, batch: WalBatch): Promise<void> {
    const queue = this.queue!;
    if (queue.size < this.options.queueCapacity) return queue.put(item);
    this.options.metrics.overflow.inc();
    this.overflows += 1;
    // Logged at the 1st, 10th, 100th … overflow: a catch-up overflows often, the metric counts each.
    if (Number.isInteger(Math.log10(this.overflows))) {
      this.options.log?.({ level: 'error', event: 'audit-queue-overflow', overflows: this.overflows, capacity: this.options.queueCapacity, message: 'the audit queue is full: consumption paused until the trail catches up (nothing is dropped)' });
    }
    this.options.consumer.pause(this.topicNames);
    try {
      await queue.put(item, () => batch.heartbeat());
    } finally {
      if (!this.stopping) this.options.consumer.resume(this.topicNames);
    }
  }

  private async writeLoop(store: TrailStore, queue: BoundedQueue<QueueItem>, positions: PartitionPositions): Promise<void> {
    try {
      for (;;) {
        const item = await queue.take(1_000);
        if (item === undefined) {
          if (queue.closed) return;
          continue;
        }
        await this.apply(store, positions, item);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async apply(store: TrailStore, positions: PartitionPositions, item: QueueItem): Promise<void> {
    const m = this.options.metrics;
    if (item.kind === 'skip') {
      if (positions.advance(item.topic, item.partition, item.offset) && item.mark) m.marks.inc();
    } else {
      const source = item.source;
      const outcome = await store.append(source);
      positions.advance(source.topic, source.partition, source.offset);
      if (!outcome.appended) {
        m.duplicates.inc();
      } else {
        m.records.inc();
        m.chainHeight.set(outcome.record.seq);
        m.fleet.eventsIn.inc({ topic: source.topic });
        this.segmentTime.add(outcome.record);
        if (outcome.sealed) await this.afterSeal(store, outcome.sealed);
      }
    }
    m.lag.set(positions.lag());
    for (const p of positions.partitionLags()) m.fleet.consumerLag.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
  }

  /** After a seal: its checkpoint, then the progress file, then the group's position (a hint). */
  private async afterSeal(store: TrailStore, seal: SegmentSeal): Promise<void> {
    const eventTimeUs = this.segmentTime.valueUs;
    this.segmentTime = new SegmentEventTime();
    this.options.metrics.sealed.inc();
    await this.publishCheckpoint(seal, eventTimeUs);
    await this.persist(store, true);
  }

  private async publishCheckpoint(seal: SegmentSeal, eventTimeUs: number): Promise<void> {
    await this.options.checkpoints.publish(checkpointOf(this.options.sessionId, seal, eventTimeUs));
    this.checkpointed = seal.index + 1;
    this.options.metrics.lastCheckpoint.set(this.options.wallClockMs() / 1_000);
  }

  /**
   * Writes the progress file at the current manifest head. Called right after a seal (or at
   * start and stop, with nothing open), so every processed offset is sealed or not an event.
   */
  private async persist(store: TrailStore, commit: boolean): Promise<void> {
    const covered = this.positions!.snapshot();
    await writeProgressFile(this.options.dir, progressAt(store.manifest, covered, this.checkpointed));
    if (!commit || !this.consuming) return;
    try {
      await this.options.consumer.commit(covered.map((c: PartitionOffsetMark) => ({ topic: c.topic, partition: c.partition, offset: nextOffset(c.offset) })));
    } catch (error) {
      // The group's position is a hint for operators: the writer resumes from its own trail.
      this.options.log?.({ level: 'warn', event: 'audit-commit-failed', message: (error as Error).message });
    }
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    this.queue?.close();
    this.options.readiness?.clear();
    this.options.log?.({ level: 'error', event: 'audit-writer-fatal', message: error.message });
    this.options.onFatal?.(error);
  }
}
