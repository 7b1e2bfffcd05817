import 'reflect-metadata';
import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Topics } from '@fleet/contracts';
import { AvroCodec, HttpSchemaRegistry, KafkaJsClient } from '@fleet/kafka';
import { createMetrics } from '@fleet/metrics';
import { closeServer, installSignalHandlers, LaneSource, loadConfigOrExit, Readiness, startOpsServer } from '@fleet/service';
import { ccxtMarketDataSources, LiveTickSource } from './live-tick-source';
import { readMarketGatewayConfig, type MarketGatewayConfig } from './market-gateway.config';
import { withMalformedRecord } from './malformed-record';
import { RecordedTickSource } from './recorded-tick-source';
import { SimTickSource } from './sim-tick-source';
import { type TickSource } from './tick-source';

/** The market-data topics market-gateway writes (and closes each tick on). */
export const MARKET_GATEWAY_OUTPUTS = [Topics.mdBook, Topics.mdTrade, Topics.mdFunding, Topics.mdMark, Topics.mdIndex];

async function openSource(config: MarketGatewayConfig): Promise<TickSource> {
  const source = config.source;
  const base =
    source.kind === 'sim'
      ? new SimTickSource(config.session)
      : source.kind === 'recorded'
        ? await RecordedTickSource.open(source.file, config.session)
        : new LiveTickSource(config.session.instruments, config.session.tickUs, ccxtMarketDataSources(source), { onWarning: (e) => process.stderr.write(`venue warning: ${e.message}\n`) });
  return withMalformedRecord(base, config.injectMalformedAtTick);
}

/** The gateway's clock: the tick source and the lock-step publisher, owned by the Nest application. */
@Injectable()
class MarketGatewayClock implements OnApplicationShutdown {
  source: TickSource | undefined;
  publisher: LaneSource | undefined;

  /** Stops the publisher after the tick in hand and closes the source. */
  async onApplicationShutdown(): Promise<void> {
    this.publisher?.stop();
    await this.source?.close();
  }
}

@Module({ providers: [MarketGatewayClock] })
class MarketGatewayModule {}

async function main(): Promise<void> {
  const config = loadConfigOrExit(readMarketGatewayConfig);
  const sc = config.service;
  const metrics = createMetrics({ service: sc.service, instance: sc.instance });
  const readiness = new Readiness();
  const server = await startOpsServer(sc.httpPort, { readiness, metrics });
  const app = await NestFactory.createApplicationContext(MarketGatewayModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const clock = app.get(MarketGatewayClock);
  clock.source = await openSource(config);
  clock.publisher = new LaneSource({
    service: sc.service,
    instance: sc.instance,
    topicPrefix: sc.topicPrefix,
    outputs: MARKET_GATEWAY_OUTPUTS,
    client: new KafkaJsClient({ clientId: `${sc.service}.${sc.instance}`, brokers: sc.kafkaBrokers, ...sc.kafkaAuth, logLevel: 'WARN' }),
    codec: new AvroCodec(new HttpSchemaRegistry(sc.schemaRegistryUrl)),
    metrics,
    window: config.lockstepWindow,
    lastStage: { spec: Topics.orderEvent, producer: 'execution-router' },
    tickUs: config.session.tickUs,
  });
  readiness.set('kafka-connected', true);
  readiness.set('partitions-assigned', true);
  readiness.set('state-rebuilt', true);
  installSignalHandlers(async () => {
    readiness.clear();
    await app.close();
    await closeServer(server);
  });
  process.stdout.write(`${JSON.stringify({ event: 'started', service: sc.service, instance: sc.instance, source: config.source.kind, ticks: clock.source.ticks ?? null })}\n`);
  const done = await clock.publisher.run(clock.source);
  process.stdout.write(`${JSON.stringify({ event: 'source-finished', ...done })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`market-gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
