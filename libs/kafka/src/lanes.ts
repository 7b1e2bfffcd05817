import { Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/**
 * Returns the partition (the lane) of `key` on a topic of `partitions` partitions: the same
 * murmur2 choice Kafka's default partitioner makes for a keyed record, so records keyed by an
 * instrument land on the same lane whether a producer names the partition or lets Kafka choose.
 */
export function laneOf(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 'lane', partitionMetadata, message: { key, value: null } });
}
