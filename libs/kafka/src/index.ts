/**
 * The Kafka layer: a client port (kafkajs behind it), Avro through the schema registry in the
 * Confluent wire format, the idempotent publisher, the at-least-once consumer, the
 * transactional read-process-write processor, dead-letter handling, consumer lag, and the
 * NestJS transport and module.
 */
export * from './errors';
export * from './wire-format';
export * from './headers';
export * from './lane-marks';
export * from './co-partition-assigner';
export * from './lanes';
export * from './transactional-id';
export * from './schema-registry';
export * from './avro-codec';
export * from './client';
export * from './kafkajs-client';
export * from './events';
export * from './dead-letter';
export * from './inbound';
export * from './publisher';
export * from './consumer-common';
export * from './lag-monitor';
export * from './at-least-once-consumer';
export * from './transactional-processor';
export * from './topics';
export * from './catalogue-schemas';
export * from './nest/kafka-avro.context';
export * from './nest/kafka-avro.server';
export * from './nest/kafka.module';
