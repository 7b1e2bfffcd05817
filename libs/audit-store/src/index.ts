/**
 * The audit trail on disk and its Kafka writer: segment files and the atomically written
 * manifest, crash recovery to the last seal, the bounded queue that gives backpressure instead
 * of loss, and the writer that chains every WAL topic.
 */
export * from './trail-files';
export * from './trail-store';
export * from './bounded-queue';
export * from './audit-writer';
