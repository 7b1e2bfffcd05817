import { type TopicSpec } from '@fleet/contracts';
import { type FleetMetrics } from '@fleet/metrics';
import { type AvroCodec } from './avro-codec';
import { type ConsumerOptions, type KafkaClientPort } from './client';
import { type Subscription } from './events';
import { LagMonitor } from './lag-monitor';

/** Options shared by the at-least-once consumer and the transactional processor. */
export interface ConsumerCommonOptions {
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly groupId: string;
  readonly subscriptions: readonly Subscription[];
  /** Where messages that cannot be decoded or validated go, raw bytes kept. */
  readonly deadLetter: TopicSpec;
  readonly metrics?: FleetMetrics;
  /** Where a group without committed offsets starts; the beginning unless told otherwise. */
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  /** How often the consumer_lag gauge is refreshed; 0 turns it off. 10 s unless told otherwise. */
  readonly lagIntervalMs?: number;
  /** Consumer group timing (session, rebalance, heartbeat). */
  readonly consumer?: Omit<ConsumerOptions, 'groupId' | 'readCommitted'>;
}

/** Returns the seconds elapsed since `start` (from process.hrtime.bigint()). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Starts the consumer_lag monitor for `topics` when metrics are on and the interval is not 0; returns it, or undefined. */
export async function startLagMonitor(o: ConsumerCommonOptions, topics: readonly string[]): Promise<LagMonitor | undefined> {
  if (!o.metrics || (o.lagIntervalMs ?? 10_000) <= 0) return undefined;
  const lag = new LagMonitor(o.client, o.metrics, o.groupId, [...topics], o.lagIntervalMs);
  await lag.start();
  return lag;
}
