import { type IncomingRecord, type PartitionOffset } from '@fleet/kafka';
import { type WalBatch, type WalConsumerPort } from '../wal-consumer';

/**
 * An in-memory consumer for specs: the spec joins the group with an assignment (the writer's
 * seeks are recorded), then delivers batches through the writer's loop as the client would;
 * pauses, resumes and commits are recorded in order.
 */
export class FakeWalConsumer implements WalConsumerPort {
  /** Every seek, pause, resume and commit, in order. */
  readonly steps: string[] = [];
  /** The topics subscribed to. */
  subscribed: readonly string[] = [];
  connected = false;
  private eachBatch: ((batch: WalBatch) => Promise<void>) | undefined;
  private assignmentListener: ((assignment: Readonly<Record<string, readonly number[]>>) => void) | undefined;

  async connect(): Promise<void> {
    this.connected = true;
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    this.subscribed = [...topics];
  }

  async run(eachBatch: (batch: WalBatch) => Promise<void>): Promise<void> {
    this.eachBatch = eachBatch;
  }

  seek(position: PartitionOffset): void {
    this.steps.push(`seek ${position.topic}/${position.partition}@${position.offset}`);
  }

  pause(topics: readonly string[]): void {
    this.steps.push(`pause ${topics.length}`);
  }

  resume(topics: readonly string[]): void {
    this.steps.push(`resume ${topics.length}`);
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    this.steps.push(`commit ${offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(',')}`);
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): void {
    this.assignmentListener = listener;
  }

  onCrash(): void {
    // The fake never crashes.
  }

  /** Joins the group with `partitions` of every subscribed topic. */
  join(partitions: readonly number[]): void {
    this.assignmentListener?.(Object.fromEntries(this.subscribed.map((t) => [t, partitions])));
  }

  /** Hands `messages` of one partition to the writer as one batch; `lastOffset` defaults to the last message's. */
  async deliver(topic: string, partition: number, messages: readonly IncomingRecord[], options: { highWatermark?: string; lastOffset?: string } = {}): Promise<void> {
    if (!this.eachBatch) throw new Error('the consumer is not running');
    const last = messages[messages.length - 1]?.offset ?? '0';
    await this.eachBatch({
      topic,
      partition,
      messages,
      highWatermark: options.highWatermark ?? String(BigInt(options.lastOffset ?? last) + 1n),
      lastOffset: options.lastOffset ?? last,
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    });
  }
}
