import { AUDIT_CHECKPOINT_TYPE, AVRO_SCHEMAS, type AuditCheckpoint, type CatalogueTopic, type TopicSpec, WAL_TOPICS } from '@fleet/contracts';
import { type EventPublisher, type KafkaClientPort } from '@fleet/kafka';
import { prefixedTopic } from '@fleet/service';
import { type CheckpointSink } from './audit-trail-writer';
import { type PartitionWatermark } from './trail-progress';

/** Publishes each audit.checkpoint on the checkpoint topic, keyed by its session. */
export class KafkaCheckpointSink implements CheckpointSink {
  /** Returns a sink writing to `spec` (audit.checkpoint under the process's topic prefix) through `publisher`. */
  constructor(
    private readonly publisher: EventPublisher,
    private readonly spec: TopicSpec,
  ) {}

  /** Connects the producer. */
  connect(): Promise<void> {
    return this.publisher.connect();
  }

  /** Disconnects the producer after its in-flight sends. */
  disconnect(): Promise<void> {
    return this.publisher.disconnect();
  }

  /** Resolves once the broker acknowledged the checkpoint. */
  publish(checkpoint: AuditCheckpoint): Promise<void> {
    return this.publisher.publish([{ spec: this.spec, schema: AVRO_SCHEMAS[AUDIT_CHECKPOINT_TYPE], key: checkpoint.sessionId, value: checkpoint }]);
  }
}

/** Returns the low and high watermarks of every partition of `topics`, sorted by topic then partition. */
export async function fetchWatermarks(client: KafkaClientPort, topics: readonly string[]): Promise<PartitionWatermark[]> {
  const admin = client.admin();
  await admin.connect();
  try {
    const out: PartitionWatermark[] = [];
    for (const topic of topics) {
      for (const w of await admin.fetchTopicOffsets(topic)) out.push({ topic, partition: w.partition, low: w.low, high: w.high });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  } finally {
    await admin.disconnect();
  }
}

/** Returns every WAL topic as this process consumes it (under `prefix`), with its catalogue value type. */
export function walTopicsUnder(prefix: string): CatalogueTopic[] {
  return WAL_TOPICS.map((t) => prefixedTopic(t, prefix));
}
