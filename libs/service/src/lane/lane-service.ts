import { Controller, type DynamicModule, Inject, type INestMicroservice, type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CustomTransportStrategy, EventPattern, Payload, Server } from '@nestjs/microservices';
import { type Server as HttpServer } from 'node:http';
import { lastValueFrom } from 'rxjs';
import { type TopicSpec } from '@fleet/contracts';
import { AvroCodec, HttpSchemaRegistry, KafkaJsClient } from '@fleet/kafka';
import { createMetrics, type FleetMetrics } from '@fleet/metrics';
import { createRedis, SnapshotStore } from '@fleet/state';
import { closeServer, portOf, Readiness, startOpsServer } from '../ops-server';
import { type Environment, loadConfigOrExit, type ServiceConfig } from '../service-config';
import { installSignalHandlers } from '../signals';
import { type LaneSessionConfig } from './lane-config';
import { type LaneStart, LaneRuntime } from './lane-runtime';
import { type LaneHandler, type LaneHandlerContext, type LaneInput, type LaneOutput, type LaneTick } from './lane-types';

/** The Nest event pattern every lane service's tick handler is registered under. */
export const LANE_TICK = 'fleet.lane.tick';
/** The injection token of the service's {@link LaneHandler}. */
export const LANE_HANDLER = Symbol('LANE_HANDLER');

/** The controller of every lane service: one tick in, the handler's outputs out. */
@Controller()
export class LaneController {
  constructor(@Inject(LANE_HANDLER) private readonly handler: LaneHandler) {}

  /** Runs one complete tick of one lane through the service's pure handler. */
  @EventPattern(LANE_TICK)
  onTick(@Payload() tick: LaneTick): readonly LaneOutput[] {
    return this.handler.onTick(tick);
  }
}

/** The Nest module of a lane service: the controller and the handler. */
@Module({})
export class LaneServiceModule {
  /** Returns the module around `handler`. */
  static forHandler(handler: LaneHandler): DynamicModule {
    return { module: LaneServiceModule, controllers: [LaneController], providers: [{ provide: LANE_HANDLER, useValue: handler }] };
  }
}

/** The Nest transport of a lane service: the {@link LaneRuntime} feeding complete ticks to the LANE_TICK handler. */
export class LaneTransport extends Server implements CustomTransportStrategy {
  constructor(
    private readonly runtime: LaneRuntime,
    private readonly onAssignment: (partitions: readonly number[]) => void,
  ) {
    super();
  }

  /** Starts consuming; calls `callback` once running or with the error. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    const handler = this.getHandlerByPattern(LANE_TICK);
    if (!handler) {
      callback(new Error(`no @EventPattern('${LANE_TICK}') handler is registered`));
      return;
    }
    const tick = async (t: LaneTick): Promise<readonly LaneOutput[]> => (await lastValueFrom(this.transformToObservable(await handler(t)), { defaultValue: [] })) as readonly LaneOutput[];
    this.runtime.start(tick, this.onAssignment).then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops consuming after the tick in hand and disconnects. */
  async close(): Promise<void> {
    await this.runtime.stop();
  }

  /** Not supported: the transport reports through metrics. */
  on(): never {
    throw new Error('LaneTransport does not emit events; watch its metrics instead');
  }

  /** Returns the runtime. */
  unwrap<T>(): T {
    return this.runtime as T;
  }
}

/** What a lane service declares: its name, inputs, outputs and how its handler is built. */
export interface LaneServiceSpec<C> {
  readonly service: string;
  readonly inputs: readonly LaneInput[];
  readonly outputs: readonly TopicSpec[];
  readonly handler: (ctx: LaneHandlerContext<C>) => LaneHandler;
}

/** Options of {@link runLaneService}. */
export interface RunLaneServiceOptions {
  readonly metrics?: FleetMetrics;
  readonly handleSignals?: boolean;
  readonly logger?: false | LogLevel[];
  readonly kafkaLogLevel?: 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  readonly sessionTimeoutMs?: number;
  /** Called when a lane starts (snapshot, log rebuild or fresh). */
  readonly onLaneStart?: (start: LaneStart) => void;
  /** Called when tick processing fails; by default it is logged and, in a main(), the process exits 1 to recover from the log. */
  readonly onFatal?: (error: Error) => void;
}

/** A running lane service. */
export interface RunningLaneService {
  readonly app: INestMicroservice;
  readonly readiness: Readiness;
  readonly metrics: FleetMetrics;
  readonly runtime: LaneRuntime;
  readonly httpPort: number;
  readonly metricsPort: number;
  close(): Promise<void>;
}

/**
 * Starts a lane service: metrics and the ops servers, the Nest microservice around the handler
 * on the lane transport, Redis snapshots; resolves once consuming. Lanes start (snapshot or log
 * rebuild) as their partitions are assigned.
 */
export async function runLaneService<C extends { readonly service: ServiceConfig; readonly session: LaneSessionConfig }>(spec: LaneServiceSpec<C>, config: C, options: RunLaneServiceOptions = {}): Promise<RunningLaneService> {
  const sc = config.service;
  const metrics = options.metrics ?? createMetrics({ service: sc.service, instance: sc.instance });
  const readiness = new Readiness();
  const servers: HttpServer[] = [await startOpsServer(sc.httpPort, { readiness, ...(sc.metricsPort === sc.httpPort && { metrics }) })];
  if (sc.metricsPort !== sc.httpPort) servers.push(await startOpsServer(sc.metricsPort, { metrics }));
  const redis = createRedis(sc.redisUrl);
  const handler = spec.handler({ service: sc.service, instance: sc.instance, session: config.session, config, metrics });
  const runtime = new LaneRuntime({
    service: sc.service,
    instance: sc.instance,
    groupId: sc.groupId,
    topicPrefix: sc.topicPrefix,
    inputTopicPrefix: sc.inputTopicPrefix,
    inputs: spec.inputs,
    outputs: spec.outputs,
    client: new KafkaJsClient({ clientId: `${sc.service}.${sc.instance}`, brokers: sc.kafkaBrokers, ...sc.kafkaAuth, logLevel: options.kafkaLogLevel ?? 'WARN' }),
    codec: new AvroCodec(new HttpSchemaRegistry(sc.schemaRegistryUrl)),
    store: new SnapshotStore(redis, sc.service),
    metrics,
    handler,
    ...(options.sessionTimeoutMs !== undefined && { sessionTimeoutMs: options.sessionTimeoutMs }),
    onLaneStart: (start) => {
      // /health/ready shows how each lane started (fresh, snapshot, or rebuilt from the log).
      readiness.setRecovery(runtime.laneStarts);
      options.onLaneStart?.(start);
    },
    onFatal:
      options.onFatal ??
      ((error) => {
        process.stderr.write(`${sc.service} stopped: ${error.stack ?? error.message}\n`);
        if (options.handleSignals) process.exit(1);
      }),
  });
  const transport = new LaneTransport(runtime, (partitions) => readiness.set('partitions-assigned', partitions.length > 0));
  const app = await NestFactory.createMicroservice(LaneServiceModule.forHandler(handler), { strategy: transport, logger: options.logger ?? ['error', 'warn', 'log'] });
  try {
    await app.init();
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
      await redis.quit().catch(() => redis.disconnect());
      await Promise.all(servers.map(closeServer));
    })();
    return closing;
  };
  if (options.handleSignals) installSignalHandlers(close);
  return { app, readiness, metrics, runtime, httpPort: portOf(servers[0]), metricsPort: portOf(servers[servers.length - 1]), close };
}

/**
 * The whole main() of a lane service: reads the configuration (exit 78 naming every bad
 * setting), runs the service with signal handling and reports each lane's start on stdout as
 * one JSON line; a failure to start exits 1 with the reason.
 */
export function laneMain<C extends { readonly service: ServiceConfig; readonly session: LaneSessionConfig }>(spec: LaneServiceSpec<C>, read: (env: Environment) => C): void {
  const start = async (): Promise<void> => {
    const config = loadConfigOrExit(read);
    const running = await runLaneService(spec, config, {
      handleSignals: true,
      onLaneStart: (lane) => process.stdout.write(`${JSON.stringify({ event: 'lane-started', service: spec.service, instance: config.service.instance, ...lane })}\n`),
    });
    process.stdout.write(`${JSON.stringify({ event: 'started', service: spec.service, instance: config.service.instance, group: config.service.groupId, httpPort: running.httpPort, metricsPort: running.metricsPort })}\n`);
  };
  start().catch((error: unknown) => {
    process.stderr.write(`${spec.service} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
