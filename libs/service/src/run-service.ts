import { type DynamicModule, type INestMicroservice, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Server } from 'node:http';
import { type InputJournal, type TopicSpec, Topics } from '@fleet/contracts';
import {
  AvroCodec,
  HttpSchemaRegistry,
  type InboundEvent,
  KafkaJsClient,
  type KafkaClientPort,
  type OutboundEvent,
  type Subscription,
} from '@fleet/kafka';
import { createMetrics, type FleetMetrics } from '@fleet/metrics';
import { createRedis, SnapshotStore } from '@fleet/state';
import { FleetKafkaServer } from './fleet-kafka-server';
import { journalEvent } from './input-journal';
import { closeServer, portOf, Readiness, startOpsServer } from './ops-server';
import { type RecoverableState } from './recoverable-state';
import { MAX_MESSAGES_PER_TRANSACTION, type ServiceConfig } from './service-config';
import { installSignalHandlers } from './signals';
import { prefixedTopic } from './service-topics';
import { type PartitionRecovery, StateRecovery } from './state-recovery';

/** What the kit hands the service's module factory. */
export interface ServiceKit {
  readonly config: ServiceConfig;
  readonly metrics: FleetMetrics;
  /** Returns a catalogue topic under this process's topic prefix; use it for every output. */
  topic<T extends TopicSpec>(spec: T): T;
}

/** Options of {@link runService}. */
export interface RunServiceOptions {
  readonly config: ServiceConfig;
  /** `transactional` for decision services (outputs, offsets and the journal in one transaction). */
  readonly mode: 'transactional' | 'at-least-once';
  /** The input topics (catalogue specs; the kit applies the prefix) with their reader schemas. */
  readonly subscriptions: readonly Subscription[];
  /** The provider (class or token) holding the recoverable state; resolved from the app. */
  readonly state?: unknown;
  /** Whether every processed input gets a journal.input record in its transaction; true in transactional mode. */
  readonly journal?: boolean;
  /** The metrics to use; the process registry (createMetrics) unless given. */
  readonly metrics?: FleetMetrics;
  /** Installs SIGTERM/SIGINT handlers that close gracefully and exit; main.ts sets it, tests do not. */
  readonly handleSignals?: boolean;
  /** Nest's logger levels, or false for none. */
  readonly logger?: false | LogLevel[];
  readonly kafkaLogLevel?: 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  /** Consumer group timing, for tests that restart quickly. */
  readonly sessionTimeoutMs?: number;
}

/** A running service. */
export interface RunningService {
  readonly app: INestMicroservice;
  readonly readiness: Readiness;
  readonly metrics: FleetMetrics;
  /** How each partition's state was recovered at start; empty for a stateless service. */
  readonly recovery: readonly PartitionRecovery[];
  readonly httpPort: number;
  readonly metricsPort: number;
  /** Stops consuming (the transaction in hand commits), snapshots the state, disconnects Redis and closes the ops servers. */
  close(): Promise<void>;
}

/** Wraps a client so that every consumer it makes reports its assignments to `listener`. */
function observingAssignments(client: KafkaClientPort, listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): KafkaClientPort {
  return {
    producer: (o) => client.producer(o),
    admin: () => client.admin(),
    consumer: (o) => {
      const consumer = client.consumer(o);
      consumer.onAssignment(listener);
      return consumer;
    },
  };
}

/**
 * Starts a fleet service: metrics, the ops servers (/health/live, /health/ready, /metrics), the
 * Nest microservice of `moduleFactory(kit)` on the Kafka transport, the state recovery (Redis
 * snapshot, else the log, up to the group's committed offsets, before any input is consumed)
 * and the input journal; resolves once the transport listens.
 */
export async function runService(moduleFactory: (kit: ServiceKit) => DynamicModule, options: RunServiceOptions): Promise<RunningService> {
  const { config } = options;
  const metrics = options.metrics ?? createMetrics({ service: config.service, instance: config.instance });
  const readiness = new Readiness();
  const servers: Server[] = [await startOpsServer(config.httpPort, { readiness, ...(config.metricsPort === config.httpPort && { metrics }) })];
  if (config.metricsPort !== config.httpPort) servers.push(await startOpsServer(config.metricsPort, { metrics }));
  const httpPort = portOf(servers[0]);
  const metricsPort = portOf(servers[servers.length - 1]);

  const topic = <T extends TopicSpec>(spec: T): T => prefixedTopic(spec, config.topicPrefix);
  const subscriptions = options.subscriptions.map((s) => ({ ...s, spec: topic(s.spec) }));
  const journalSpec = topic(Topics.journalInput) as TopicSpec<InputJournal>;
  const journal = options.journal ?? options.mode === 'transactional';
  const codec = new AvroCodec(new HttpSchemaRegistry(config.schemaRegistryUrl));
  const redis = createRedis(config.redisUrl);
  const store = new SnapshotStore(redis, config.service);
  let recovery: StateRecovery | undefined;
  const baseClient = new KafkaJsClient({ clientId: `${config.service}.${config.instance}`, brokers: config.kafkaBrokers, ...config.kafkaAuth, logLevel: options.kafkaLogLevel ?? 'WARN' });
  const client = observingAssignments(baseClient, (assignment) => {
    const partitions = subscriptions.flatMap((s) => assignment[s.spec.name] ?? []);
    readiness.set('partitions-assigned', partitions.length > 0);
    recovery?.onAssignment([...new Set(partitions)]);
  });

  const server = new FleetKafkaServer(
    {
      mode: options.mode,
      client,
      codec,
      groupId: config.groupId,
      subscriptions,
      deadLetter: topic(Topics.deadLetter),
      metrics,
      maxMessagesPerTransaction: MAX_MESSAGES_PER_TRANSACTION,
      ...(options.sessionTimeoutMs !== undefined && { consumer: { sessionTimeoutMs: options.sessionTimeoutMs, heartbeatIntervalMs: Math.max(100, Math.floor(options.sessionTimeoutMs / 10)), rebalanceTimeoutMs: options.sessionTimeoutMs } }),
    },
    config.topicPrefix,
    {
      before: async (event: InboundEvent) => {
        await recovery?.beforeInput(event);
      },
      after: async (event: InboundEvent, outputs: readonly OutboundEvent[]) => {
        await recovery?.afterInput(event);
        if (!journal || options.mode !== 'transactional') return outputs;
        return [...outputs, journalEvent({ producer: config.service, consumerGroup: config.groupId, spec: journalSpec, input: event, outputs })];
      },
    },
  );

  const app = await NestFactory.createMicroservice(moduleFactory({ config, metrics, topic }), { strategy: server, logger: options.logger ?? ['error', 'warn', 'log'] });
  let report: PartitionRecovery[] = [];
  try {
    await app.init();
    if (options.state !== undefined) {
      if (subscriptions.length !== 1) {
        throw new Error(`state recovery reads one input topic; received ${subscriptions.length} (multi-topic services rebuild from journal.input, not implemented yet)`);
      }
      const state = app.get<RecoverableState>(options.state as string);
      recovery = new StateRecovery({ client: baseClient, codec, store, state, subscription: subscriptions[0], groupId: config.groupId, instance: config.instance, snapshotEvery: config.snapshotEvery });
      report = await recovery.recoverAll();
      readiness.setRecovery(report);
    }
    readiness.set('state-rebuilt', true);
    await app.listen();
    readiness.set('kafka-connected', true);
  } catch (error) {
    await app.close().catch(() => undefined);
    redis.disconnect();
    await Promise.all(servers.map(closeServer));
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      readiness.clear();
      await app.close();
      await recovery?.snapshotAll();
      await redis.quit().catch(() => redis.disconnect());
      await Promise.all(servers.map(closeServer));
    })();
    return closing;
  };
  if (options.handleSignals) installSignalHandlers(close);
  return { app, readiness, metrics, recovery: report, httpPort, metricsPort, close };
}
