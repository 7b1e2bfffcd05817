/**
 * The service kit: every fleet service is wiring on top of it. Typed configuration from the
 * environment, the NestJS bootstrap on the Kafka transport, health and metrics endpoints, state
 * recovery (Redis snapshot, else the log) and the input journal. See docs/services.md.
 */
export * from './service-config';
export * from './service-topics';
export * from './ops-server';
export * from './input-journal';
export * from './recoverable-state';
export * from './log-reader';
export * from './state-recovery';
export * from './fleet-kafka-server';
export * from './run-service';
export * from './signals';
export * from './lane';
