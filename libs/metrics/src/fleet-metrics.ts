import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Who is reporting: the default labels every series of the process carries. */
export interface MetricsIdentity {
  /** The service name, for example `fair-value`. */
  readonly service: string;
  /** The instance (pod or process) name, for example `fair-value-0`. */
  readonly instance: string;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions extends MetricsIdentity {
  /** Whether to collect the Node.js process metrics; true unless told otherwise. */
  readonly collectDefaults?: boolean;
}

/** The standard metric set of a fleet process, on one registry. */
export interface FleetMetrics {
  /** The one registry of the process; every metric here is registered on it. */
  readonly registry: Registry;
  /** The default labels the registry stamps on every series. */
  readonly identity: MetricsIdentity;
  /** Events consumed and handed to a handler, by topic. */
  readonly eventsIn: Counter<'topic'>;
  /** Events produced, by topic. */
  readonly eventsOut: Counter<'topic'>;
  /** Time from a decoded event to its handler finishing, by topic. */
  readonly handlerLatency: Histogram<'topic'>;
  /** High watermark minus the committed offset, by topic and partition. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** Messages sent to the dead-letter topic, by source topic and reason. */
  readonly deadLetters: Counter<'topic' | 'reason'>;
  /** Returns a new domain gauge registered on the process registry. */
  gauge<L extends string>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  /** Returns a new domain counter registered on the process registry. */
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  /** Returns a new domain histogram registered on the process registry. */
  histogram<L extends string>(name: string, help: string, labelNames?: readonly L[], buckets?: readonly number[]): Histogram<L>;
  /** Returns the Prometheus text exposition of every metric of the registry. */
  exposition(): Promise<{ contentType: string; body: string }>;
}

/** Handler latency buckets in seconds: 100 µs to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processMetrics: FleetMetrics | undefined;

/**
 * Returns the metrics of this process, creating them on the first call. A process has one
 * registry: a second call with the same identity returns the same object, a call with a
 * different identity throws.
 */
export function createMetrics(options: MetricsOptions): FleetMetrics {
  if (processMetrics) {
    const { service, instance } = processMetrics.identity;
    if (service !== options.service || instance !== options.instance) {
      throw new Error(
        `metrics already exist for service ${service} instance ${instance}; received a second identity service ${options.service} instance ${options.instance}`,
      );
    }
    return processMetrics;
  }
  processMetrics = buildMetrics(options, options.collectDefaults ?? true);
  return processMetrics;
}

/**
 * Returns a metric set on a fresh registry that is not the process one, without the Node.js
 * process metrics. For tests and for tools that run several logical services in one process.
 */
export function createIsolatedMetrics(identity: MetricsIdentity): FleetMetrics {
  return buildMetrics(identity, false);
}

function buildMetrics(options: MetricsOptions, collectDefaults: boolean): FleetMetrics {
  if (!options.service || !options.instance) {
    throw new Error(`metrics need a non-empty service and instance; received service "${options.service}" instance "${options.instance}"`);
  }
  const registry = new Registry();
  const identity: MetricsIdentity = { service: options.service, instance: options.instance };
  registry.setDefaultLabels({ service: identity.service, instance: identity.instance });
  if (collectDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> =>
    new Gauge<L>({ name, help, labelNames, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ): Histogram<L> => new Histogram<L>({ name, help, labelNames, buckets: [...buckets], registers });
  return {
    registry,
    identity,
    eventsIn: counter('events_in_total', 'Events consumed and handed to a handler.', ['topic']),
    eventsOut: counter('events_out_total', 'Events produced.', ['topic']),
    handlerLatency: histogram('handler_latency_seconds', 'Time from a decoded event to its handler finishing.', ['topic']),
    consumerLag: gauge('consumer_lag', 'High watermark minus the committed offset of the consumer group.', ['topic', 'partition']),
    deadLetters: counter('dead_letter_total', 'Messages sent to the dead-letter topic.', ['topic', 'reason']),
    gauge,
    counter,
    histogram,
    exposition: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
