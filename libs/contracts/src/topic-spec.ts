/**
 * The shape of one entry of the topic catalogue. The catalogue (topics.ts) is the only place
 * a topic name is written; producers, consumers, the topic-creation tool and the deployment
 * manifests all read it.
 */
export interface TopicSpec<TValue = unknown> {
  /** The Kafka topic name. */
  readonly name: string;
  /** What the record key holds; every WAL topic is keyed by the canonical instrument. */
  readonly key: 'instrument' | 'venue' | 'session' | 'none';
  /** The Avro record's full name (namespace.name) carried by this topic. */
  readonly valueType: string;
  /** Number of partitions. */
  readonly partitions: number;
  /** retention.ms; -1 keeps data indefinitely. */
  readonly retentionMs: number;
  /** retention.bytes per partition; -1 means no size limit. */
  readonly retentionBytes: number;
  /** cleanup.policy. */
  readonly cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  /** One line on what the topic carries. */
  readonly description: string;
  /** Phantom field that carries the value type for typed producers and consumers; never set. */
  readonly __value?: TValue;
}
