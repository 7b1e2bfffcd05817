import { type IncomingRecord, type KafkaClientPort } from '@fleet/kafka';

/**
 * Reads partition `partition` of each of `topics` (full names) from the start up to the high
 * watermark each had when the read began, read-committed, and returns the records per topic in
 * offset order. Lane rebuilds use it: a throwaway consumer group, nothing committed.
 */
export async function readLanePartition(client: KafkaClientPort, topics: readonly string[], partition: number, groupId: string, timeoutMs = 300_000): Promise<Map<string, IncomingRecord[]>> {
  const out = new Map<string, IncomingRecord[]>(topics.map((t) => [t, []]));
  const admin = client.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      const high = (await admin.fetchTopicOffsets(topic)).find((w) => w.partition === partition)?.high ?? '0';
      if (BigInt(high) > 0n) ends.set(topic, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return out;
  const pending = new Set(ends.keys());
  const seen = new Map<string, { last: bigint; at: number }>();
  const consumer = client.consumer({ groupId, readCommitted: true });
  await consumer.connect();
  let failure: unknown;
  try {
    await consumer.subscribe([...ends.keys()], true);
    await consumer.run({
      autoCommit: false,
      eachBatch: async (batch) => {
        const end = ends.get(batch.topic);
        if (batch.partition !== partition || end === undefined || !pending.has(batch.topic)) return;
        try {
          for (const record of batch.messages) {
            if (BigInt(record.offset) < end) out.get(batch.topic)!.push(record);
            batch.resolveOffset(record.offset);
          }
          const last = batch.messages.length > 0 ? BigInt(batch.messages[batch.messages.length - 1]!.offset) : -1n;
          if (last >= 0n) seen.set(batch.topic, { last, at: performance.now() });
          if (last >= end - 1n) pending.delete(batch.topic);
        } catch (error) {
          failure = error;
          pending.clear();
        }
      },
    });
    const deadline = performance.now() + timeoutMs;
    while (pending.size > 0) {
      if (performance.now() > deadline) throw new Error(`lane rebuild read of partition ${partition} timed out; unread: ${[...pending].join(', ')}`);
      // A read-committed consumer never sees the commit marker of the last transaction, which can
      // hold the offset below the watermark: one offset short and quiet for a moment is the end.
      for (const topic of [...pending]) {
        const s = seen.get(topic);
        if (s !== undefined && s.last >= ends.get(topic)! - 2n && performance.now() - s.at > 300) pending.delete(topic);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await consumer.disconnect();
  }
  return out;
}
