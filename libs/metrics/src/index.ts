/** Prometheus metrics for fleet processes: one registry per process, default labels service and instance. */
export * from './fleet-metrics';
export * from './metrics-http';
