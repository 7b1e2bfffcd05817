/**
 * The in-place part of a reset replay: moves a stopped service's consumer group back to the
 * beginning of its inputs or to the first offsets at or after a time (kafkajs admin
 * setOffsets; the fleet's client port has no offset reset, so this talks to kafkajs directly
 * with the same brokers) and deletes the service's Redis lane snapshots, so
 * that its next start rebuilds every lane from the log.
 */
import { Kafka, logLevel } from 'kafkajs';
import { createRedis, SnapshotStore } from '@fleet/state';
import { type ResetPoint } from './replay-args';

/** One input topic's committed offsets before and after the reset. */
export interface TopicReset {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly before: string; readonly after: string }[];
}

/** What a reset did. */
export interface ResetReport {
  readonly groupId: string;
  readonly topics: readonly TopicReset[];
  /** The snapshot names deleted (`<groupId>/lane-<p>`). */
  readonly snapshotsDeleted: readonly string[];
}

/** Returns the Redis snapshot name of lane `partition` of `groupId`, as the lane runtime writes it. */
export function laneSnapshotName(groupId: string, partition: number): string {
  return `${groupId}/lane-${partition}`;
}

/** Returns the message refusing a reset of a group that still has members, or undefined when it may be reset. */
export function activeGroupProblem(groupId: string, state: string, members: number): string | undefined {
  if (members === 0 && (state === 'Empty' || state === 'Dead')) return undefined;
  return `consumer group ${groupId} has ${members} active member(s) (state ${state}): stop the service first (scale it to 0), then reset`;
}

/** Resets `groupId` to `to` on every topic it has committed offsets for; throws when the group is active or has never committed. */
export async function resetGroupOffsets(brokers: readonly string[], groupId: string, to: ResetPoint): Promise<TopicReset[]> {
  const admin = new Kafka({ clientId: 'fleet-replay-reset', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const described = (await admin.describeGroups([groupId])).groups[0];
    const problem = activeGroupProblem(groupId, described?.state ?? 'Dead', described?.members.length ?? 0);
    if (problem) throw new Error(problem);
    const committed = (await admin.fetchOffsets({ groupId })).filter((t) => t.partitions.some((p) => p.offset !== '-1'));
    if (committed.length === 0) throw new Error(`consumer group ${groupId} has no committed offsets: there is nothing to reset (check the group id)`);
    const out: TopicReset[] = [];
    for (const t of committed.sort((a, b) => (a.topic < b.topic ? -1 : 1))) {
      // The first offset of each partition (its low watermark), or the first at or after the time; named
      // explicitly rather than through resetOffsets' "earliest" marker, so the committed offsets say where.
      const partitions = to.kind === 'earliest' ? (await admin.fetchTopicOffsets(t.topic)).map((o) => ({ partition: o.partition, offset: o.low })) : await admin.fetchTopicOffsetsByTimestamp(t.topic, to.timestampMs);
      await admin.setOffsets({ groupId, topic: t.topic, partitions });
      const after = (await admin.fetchOffsets({ groupId, topics: [t.topic] }))[0]?.partitions ?? [];
      out.push({
        topic: t.topic,
        partitions: t.partitions
          .map((p) => ({ partition: p.partition, before: p.offset, after: after.find((a) => a.partition === p.partition)?.offset ?? '-1' }))
          .sort((a, b) => a.partition - b.partition),
      });
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the Redis lane snapshots of `groupId` for `partitions` under `service`'s namespace; returns the names that existed. */
export async function deleteLaneSnapshots(redisUrl: string, service: string, groupId: string, partitions: readonly number[]): Promise<string[]> {
  const redis = createRedis(redisUrl);
  try {
    const store = new SnapshotStore(redis, service);
    const deleted: string[] = [];
    for (const p of partitions) if (await store.remove(laneSnapshotName(groupId, p))) deleted.push(laneSnapshotName(groupId, p));
    return deleted;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
