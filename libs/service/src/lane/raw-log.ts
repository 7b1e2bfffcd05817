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
  let assigned = false;
  let lastActivity = performance.now();
  const consumer = client.consumer({ groupId, readCommitted: true });
  await consumer.connect();
  let failure: unknown;
  try {
    consumer.onAssignment(() => {
      assigned = true;
      lastActivity = performance.now();
    });
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
          lastActivity = performance.now();
          // lastOffset counts the transaction markers the consumer filtered out, so it reaches the end exactly.
          if (BigInt(batch.lastOffset) >= end - 1n) pending.delete(batch.topic);
        } catch (error) {
          failure = error;
          pending.clear();
        }
      },
    });
    const deadline = performance.now() + timeoutMs;
    while (pending.size > 0) {
      if (performance.now() > deadline) throw new Error(`lane rebuild read of partition ${partition} timed out; unread: ${[...pending].join(', ')}`);
      // A fetch holding only transaction markers never reaches eachBatch: when the markers at the
      // tail came apart from the data, a reader that has its partitions and has heard nothing
      // for three seconds has read everything there is.
      if (assigned && performance.now() - lastActivity > 3000) pending.clear();
      await new Promise((r) => setTimeout(r, 25));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await consumer.disconnect();
  }
  return out;
}
