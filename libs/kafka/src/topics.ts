import { type TopicSpec } from '@fleet/contracts';
import { type AdminPort, type NewTopic, type TopicMetadata } from './client';
import { type PartitionMismatch, TopicLeadersTimeoutError, TopicPartitionMismatchError } from './errors';

/** Returns the topic-creation request of `spec` (partitions, retention, cleanup policy). */
export function newTopicOf(spec: TopicSpec, replicationFactor = -1): NewTopic {
  return {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor,
    configEntries: [
      { name: 'retention.ms', value: String(spec.retentionMs) },
      { name: 'retention.bytes', value: String(spec.retentionBytes) },
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
    ],
  };
}

/** What provisionTopics did with each topic. */
export interface ProvisionReport {
  /** Topics created by this call (or by a concurrent creator between listing and creating). */
  readonly created: readonly string[];
  /** Topics that already existed with at least their spec's partitions (left alone). */
  readonly existing: readonly string[];
}

/** Options of provisionTopics. */
export interface ProvisionOptions {
  /** Replication factor of new topics; -1 (the default) uses the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** How long to wait for new topics to have a leader on every partition; 30 s by default. */
  readonly leaderTimeoutMs?: number;
  /** How often the leader wait asks for metadata; 200 ms by default. */
  readonly pollIntervalMs?: number;
}

/**
 * Creates the topics of `specs` that do not exist yet with their partitions, retention and
 * cleanup policy, waits until every partition of the new ones has a leader, and leaves existing
 * topics alone. The admin must be connected. Throws {@link TopicPartitionMismatchError} (before
 * creating anything) when an existing topic has fewer partitions than its spec, since keys would
 * be routed differently, and {@link TopicLeadersTimeoutError} when the leaders do not show up in time.
 */
export async function provisionTopics(admin: AdminPort, specs: readonly TopicSpec[], options: ProvisionOptions = {}): Promise<ProvisionReport> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existingNames.has(s.name));
  const present = specs.filter((s) => existingNames.has(s.name));
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata(present.map((s) => s.name));
    const counts = new Map(metadata.map((t) => [t.name, t.partitions.length] as const));
    const mismatches: PartitionMismatch[] = present
      .map((s) => ({ topic: s.name, existing: counts.get(s.name) ?? 0, expected: s.partitions }))
      .filter((m) => m.existing < m.expected);
    if (mismatches.length > 0) throw new TopicPartitionMismatchError(mismatches);
  }
  if (missing.length > 0) {
    // false when a concurrent creator won the race; both outcomes leave the topics in place.
    await admin.createTopics(missing.map((s) => newTopicOf(s, options.replicationFactor ?? -1)));
    await waitForLeaders(admin, missing, options.leaderTimeoutMs ?? 30_000, options.pollIntervalMs ?? 200);
  }
  return { created: missing.map((s) => s.name), existing: present.map((s) => s.name) };
}

/**
 * Creates the topics of `specs` that do not exist yet (the broker does not auto-create) and
 * waits for their leaders; {@link provisionTopics} without the report.
 */
export async function ensureTopics(admin: AdminPort, specs: readonly TopicSpec[], replicationFactor = -1): Promise<void> {
  await provisionTopics(admin, specs, { replicationFactor });
}

function leadersReady(metadata: readonly TopicMetadata[], specs: readonly TopicSpec[]): boolean {
  return specs.every((s) => {
    const found = metadata.find((m) => m.name === s.name);
    return found !== undefined && found.partitions.length >= s.partitions && found.partitions.every((p) => p.leader >= 0);
  });
}

/**
 * Waits until every partition of `specs` has a leader. kafkajs' own waitForLeaders gives up on
 * UNKNOWN_TOPIC_OR_PARTITION, which a broker answers for a moment after creation, so metadata
 * errors are retried until the deadline.
 */
async function waitForLeaders(admin: AdminPort, specs: readonly TopicSpec[], timeoutMs: number, pollIntervalMs: number): Promise<void> {
  const names = specs.map((s) => s.name);
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  let lastError: unknown;
  for (;;) {
    try {
      if (leadersReady(await admin.fetchTopicMetadata(names), specs)) return;
      last = 'some partitions have no leader';
      lastError = undefined;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      lastError = error;
    }
    if (performance.now() >= deadline) throw new TopicLeadersTimeoutError(names, timeoutMs, last, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
