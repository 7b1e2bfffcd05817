import { type AdminPort, type AvroCodec, type InboundEvent, type KafkaClientPort, type Subscription } from '@fleet/kafka';
import { type SnapshotStore } from '@fleet/state';
import { readLogRanges } from './log-reader';
import { type RecoverableState } from './recoverable-state';

/** Options of {@link StateRecovery}. */
export interface StateRecoveryOptions {
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly store: SnapshotStore;
  readonly state: RecoverableState;
  /** The one input topic whose log rebuilds the state. */
  readonly subscription: Subscription;
  /** The service's consumer group (whose committed offsets bound the rebuild). */
  readonly groupId: string;
  readonly instance: string;
  /** Inputs per partition between snapshots. */
  readonly snapshotEvery: number;
  readonly log?: (line: string) => void;
}

/** How one partition's state was recovered. */
export interface PartitionRecovery {
  readonly partition: number;
  /** `snapshot` when a Redis snapshot was the starting point, `log` when the state was rebuilt from the log's start. */
  readonly source: 'snapshot' | 'log';
  /** Why no snapshot was used, when none was. */
  readonly reason?: string;
  /** Inputs folded from the log. */
  readonly replayed: number;
  /** The next offset to process. */
  readonly nextOffset: string;
}

interface PendingSnapshot {
  readonly payload: unknown;
  readonly offset: bigint;
}

/**
 * Keeps a service's hot state equal to the fold of its committed inputs: on start it loads each
 * partition's Redis snapshot (when intact and not ahead of the group's committed offset) and
 * replays the log from there - or from the beginning - up to the committed offset, producing
 * nothing. While running it catches a partition up again when an input arrives below the next
 * expected offset (a redelivery after an aborted transaction) or after the partition was
 * reassigned; it snapshots every N inputs per partition (lagged by N, so the snapshot covers
 * only committed transactions) and after the consumer stopped.
 */
export class StateRecovery {
  private readonly next = new Map<number, bigint>();
  private readonly low = new Map<number, bigint>();
  private readonly counts = new Map<number, number>();
  private readonly pending = new Map<number, PendingSnapshot>();
  private readonly stale = new Set<number>();
  private owned: Set<number> | undefined;
  private reads = 0;

  /** Returns a recovery for `options`; call {@link recoverAll} before consuming. */
  constructor(private readonly options: StateRecoveryOptions) {}

  private get topic(): string {
    return this.options.subscription.spec.name;
  }

  /** Returns the snapshot name of `partition`: one per group, topic and partition. */
  snapshotName(partition: number): string {
    return `${this.options.groupId}:${this.topic}:${partition}`;
  }

  private async withAdmin<T>(fn: (admin: AdminPort) => Promise<T>): Promise<T> {
    const admin = this.options.client.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Recovers every partition of the input topic up to the group's committed offsets. */
  async recoverAll(): Promise<PartitionRecovery[]> {
    const { committed, marks } = await this.withAdmin(async (admin) => ({
      committed: await admin.fetchCommittedOffsets(this.options.groupId, [this.topic]),
      marks: await admin.fetchTopicOffsets(this.topic),
    }));
    const partitions = marks.map((m) => m.partition).sort((a, b) => a - b);
    for (const m of marks) this.low.set(m.partition, BigInt(m.low));
    const targets = new Map<number, bigint>();
    for (const p of partitions) {
      const c = committed.find((o) => o.topic === this.topic && o.partition === p);
      const target = c === undefined || BigInt(c.offset) < 0n ? this.low.get(p)! : BigInt(c.offset);
      targets.set(p, target);
    }
    return this.recover(targets);
  }

  private async recover(targets: ReadonlyMap<number, bigint>): Promise<PartitionRecovery[]> {
    const starts = new Map<number, { from: bigint; source: 'snapshot' | 'log'; reason?: string }>();
    for (const [p, to] of targets) starts.set(p, await this.startOf(p, to));
    const replayed = new Map<number, number>();
    await readLogRanges({
      client: this.options.client,
      codec: this.options.codec,
      subscription: this.options.subscription,
      groupId: `${this.options.groupId}.rebuild.${this.options.instance}.${++this.reads}`,
      ranges: [...targets].map(([partition, to]) => ({ partition, from: starts.get(partition)!.from, to })),
      onEvent: (event) => {
        this.options.state.replay(event);
        replayed.set(event.partition, (replayed.get(event.partition) ?? 0) + 1);
      },
    });
    const report: PartitionRecovery[] = [];
    for (const [p, to] of targets) {
      const s = starts.get(p)!;
      this.next.set(p, to);
      this.pending.delete(p);
      this.stale.delete(p);
      report.push({ partition: p, source: s.source, ...(s.reason !== undefined && { reason: s.reason }), replayed: replayed.get(p) ?? 0, nextOffset: to.toString() });
    }
    return report;
  }

  /** Loads partition `p`'s snapshot when usable for a rebuild up to `to`; otherwise resets it. Returns where the log read starts. */
  private async startOf(p: number, to: bigint): Promise<{ from: bigint; source: 'snapshot' | 'log'; reason?: string }> {
    const low = this.low.get(p) ?? 0n;
    const loaded = await this.options.store.load<unknown>(this.snapshotName(p), this.options.state.stateVersion);
    let reason: string;
    if (loaded.kind === 'loaded') {
      const at = loaded.snapshot.offsets.find((o) => o.topic === this.topic && o.partition === p);
      if (at !== undefined && BigInt(at.offset) <= to && BigInt(at.offset) >= low) {
        this.options.state.importPartition(p, loaded.snapshot.payload);
        return { from: BigInt(at.offset), source: 'snapshot' };
      }
      reason = at === undefined ? 'snapshot lacks this partition' : `snapshot at offset ${at.offset} is ahead of the committed offset ${to}`;
    } else {
      reason = `${loaded.reason}: ${loaded.detail}`;
    }
    this.options.state.resetPartition(p);
    return { from: low, source: 'log', reason };
  }

  /** Notes the partitions this member owns after a group join; a partition owned anew is caught up before its next input. */
  onAssignment(partitions: readonly number[]): void {
    const now = new Set(partitions);
    if (this.owned !== undefined) for (const p of now) if (!this.owned.has(p)) this.stale.add(p);
    this.owned = now;
  }

  /** Catches the input's partition up when its state does not end right before the input. */
  async beforeInput(event: InboundEvent): Promise<void> {
    const p = event.partition;
    const offset = BigInt(event.offset);
    const next = this.next.get(p);
    if (next !== undefined && offset >= next && !this.stale.has(p)) return;
    const why = next === undefined ? 'an unknown partition' : offset < next ? `a redelivery (offset ${offset} < next ${next})` : 'a reassigned partition';
    this.options.log?.(`catching up ${this.topic}/${p} to offset ${offset}: ${why}`);
    if (!this.low.has(p)) this.low.set(p, 0n);
    await this.recover(new Map([[p, offset]]));
  }

  /** Records that the input was folded; snapshots every N inputs of its partition. */
  async afterInput(event: InboundEvent): Promise<void> {
    const p = event.partition;
    const next = BigInt(event.offset) + 1n;
    this.next.set(p, next);
    const n = (this.counts.get(p) ?? 0) + 1;
    this.counts.set(p, n);
    if (n % this.options.snapshotEvery !== 0) return;
    // The previous capture is N inputs old, hence in an earlier transaction (N exceeds the
    // inputs of one transaction), hence committed: it is safe to save.
    const previous = this.pending.get(p);
    this.pending.set(p, { payload: this.options.state.exportPartition(p), offset: next });
    if (previous) await this.save(p, previous);
  }

  private async save(p: number, s: PendingSnapshot): Promise<void> {
    await this.options.store.save(this.snapshotName(p), {
      version: this.options.state.stateVersion,
      offsets: [{ topic: this.topic, partition: p, offset: s.offset.toString() }],
      payload: s.payload,
    });
  }

  /**
   * Saves a snapshot of every partition this member owns (every partition before the first
   * assignment) at its next offset; call only after the consumer stopped and committed.
   */
  async snapshotAll(): Promise<number> {
    let saved = 0;
    for (const [p, next] of this.next) {
      if (this.owned !== undefined && !this.owned.has(p)) continue;
      await this.save(p, { payload: this.options.state.exportPartition(p), offset: next });
      saved++;
    }
    return saved;
  }

  /** Returns the next offset to process per partition. */
  positions(): ReadonlyMap<number, bigint> {
    return new Map(this.next);
  }
}
