import { type AvroCodec, type InboundEvent, type KafkaClientPort, type Subscription, decodeRecord } from '@fleet/kafka';

/** The offsets [from, to) of one partition to read. */
export interface PartitionRange {
  readonly partition: number;
  readonly from: bigint;
  readonly to: bigint;
}

/** Options of {@link readLogRanges}. */
export interface LogReadOptions {
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly subscription: Subscription;
  /** A consumer group used only for this read; nothing is committed in it. */
  readonly groupId: string;
  readonly ranges: readonly PartitionRange[];
  /** Receives every decodable event in the ranges, in offset order per partition. */
  readonly onEvent: (event: InboundEvent) => void;
  readonly timeoutMs?: number;
}

/**
 * Reads committed records of one topic in the given offset ranges and hands the decodable ones
 * to `onEvent` (records that do not decode are skipped, as live processing dead-letters them
 * without touching state). A range is finished once a record at `to - 1` or later was seen:
 * `to` is either a committed consumer offset (so `to - 1` is a record the group processed) or
 * the offset of a record in hand (which the read will reach). Returns the number of events.
 *
 * The client port has no assign/seek, so this reads through a throwaway consumer group from the
 * beginning and skips what lies before `from`.
 */
export async function readLogRanges(options: LogReadOptions): Promise<number> {
  const pending = new Map(options.ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r] as const));
  if (pending.size === 0) return 0;
  const topic = options.subscription.spec.name;
  let count = 0;
  let failure: unknown;
  const consumer = options.client.consumer({ groupId: options.groupId, readCommitted: true });
  await consumer.connect();
  try {
    await consumer.subscribe([topic], true);
    await consumer.run({
      autoCommit: false,
      eachBatch: async (batch) => {
        const range = pending.get(batch.partition);
        if (!range) return;
        try {
          for (const record of batch.messages) {
            const offset = BigInt(record.offset);
            if (offset >= range.from && offset < range.to) {
              const outcome = await decodeRecord(options.codec, options.subscription, record);
              if (outcome.ok) {
                options.onEvent(outcome.event);
                count++;
              }
            }
            if (offset >= range.to - 1n) {
              pending.delete(batch.partition);
              return;
            }
          }
        } catch (error) {
          failure = error;
          pending.clear();
        }
      },
    });
    const deadline = performance.now() + (options.timeoutMs ?? 300_000);
    while (pending.size > 0) {
      if (performance.now() > deadline) {
        throw new Error(`rebuild of ${topic} timed out with partitions ${[...pending.keys()].join(', ')} unread`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await consumer.disconnect();
  }
  return count;
}
