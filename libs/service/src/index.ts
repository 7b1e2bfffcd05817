/**
 * The service kit: every fleet service is wiring on top of it. Typed configuration from the
 * environment, health and metrics endpoints, signal handling, and the lane runtime (tick-aligned
 * Kafka processing, Redis snapshots, rebuild from the log). See docs/services.md.
 */
export * from './service-config';
export * from './service-topics';
export * from './ops-server';
export * from './signals';
export * from './lane';
