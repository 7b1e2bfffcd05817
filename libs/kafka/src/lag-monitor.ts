import { type FleetMetrics } from '@fleet/metrics';
import { type AdminPort, type KafkaClientPort } from './client';

/**
 * Refreshes the consumer_lag gauge (high watermark minus committed offset, per partition) on a
 * timer through the admin API, never per message. On topics written transactionally the
 * commit markers count, so an idle consumer can show a lag of a few records.
 */
export class LagMonitor {
  private admin: AdminPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  /** Returns a monitor of `groupId` on `topics`, refreshed every `intervalMs`. */
  constructor(
    private readonly client: KafkaClientPort,
    private readonly metrics: FleetMetrics,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly intervalMs = 10_000,
  ) {}

  /** Connects the admin client and starts the timer. */
  async start(): Promise<void> {
    this.admin = this.client.admin();
    await this.admin.connect();
    this.timer = setInterval(() => {
      if (!this.refreshing) this.refreshing = this.refresh().finally(() => (this.refreshing = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Refreshes the gauge once; errors are swallowed and retried on the next tick. */
  async refresh(): Promise<void> {
    if (!this.admin) return;
    try {
      const committed = await this.admin.fetchCommittedOffsets(this.groupId, this.topics);
      for (const topic of this.topics) {
        const marks = await this.admin.fetchTopicOffsets(topic);
        for (const m of marks) {
          const c = committed.find((o) => o.topic === topic && o.partition === m.partition);
          const from = c && BigInt(c.offset) >= 0n ? BigInt(c.offset) : BigInt(m.low);
          const lag = BigInt(m.high) - from;
          this.metrics.consumerLag.set({ topic, partition: String(m.partition) }, Number(lag < 0n ? 0n : lag));
        }
      }
    } catch {
      // The next tick tries again; lag is a gauge, a missed refresh loses nothing.
    }
  }

  /** Stops the timer and disconnects. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}
