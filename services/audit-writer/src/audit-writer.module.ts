import { type DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@fleet/contracts';
import { AvroCodec, EventPublisher, HttpSchemaRegistry, KafkaJsClient } from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { prefixedTopic, type Readiness } from '@fleet/service';
import { registerAuditMetrics } from './audit-metrics';
import { type AuditWriterConfig } from './audit-writer.config';
import { AuditWriterService } from './audit-writer.service';
import { AuditTrailWriter } from './audit-trail-writer';
import { fetchWatermarks, KafkaCheckpointSink, walTopicsUnder } from './kafka-adapters';
import { KafkaJsWalConsumer } from './wal-consumer';

/** What the process hands the module: its metrics, its readiness, where log entries go and what a fatal error does. */
export interface AuditWriterRuntime {
  readonly metrics: FleetMetrics;
  readonly readiness: Readiness;
  readonly log: (entry: Readonly<Record<string, unknown>>) => void;
  readonly onFatal: (error: Error) => void;
}

/** The audit-writer application: the writer loop, its Kafka adapters and the provider that owns it. */
@Module({})
export class AuditWriterModule {
  /** Returns the module for `config`, wired to the process's metrics, readiness and fatal-error handling. */
  static forRoot(config: AuditWriterConfig, runtime: AuditWriterRuntime): DynamicModule {
    const service = config.service;
    const client = new KafkaJsClient({ clientId: `${service.service}.${service.instance}`, brokers: service.kafkaBrokers, ...service.kafkaAuth, logLevel: 'WARN' });
    const codec = new AvroCodec(new HttpSchemaRegistry(service.schemaRegistryUrl));
    const checkpoints = new KafkaCheckpointSink(new EventPublisher(client.producer(), codec, runtime.metrics), prefixedTopic(Topics.auditCheckpoint, service.topicPrefix));
    const writer = new AuditTrailWriter({
      dir: config.dir,
      topics: walTopicsUnder(service.topicPrefix),
      consumer: new KafkaJsWalConsumer({ clientId: `${service.service}.${service.instance}`, brokers: service.kafkaBrokers, auth: service.kafkaAuth, groupId: service.groupId }),
      codec,
      watermarks: (topics) => fetchWatermarks(client, topics),
      checkpoints,
      sessionId: config.sessionId,
      segmentRecords: config.segmentRecords,
      queueCapacity: config.queueCapacity,
      metrics: registerAuditMetrics(runtime.metrics),
      wallClockMs: () => Date.now(),
      readiness: runtime.readiness,
      log: runtime.log,
      onFatal: runtime.onFatal,
    });
    return {
      module: AuditWriterModule,
      providers: [{ provide: KafkaCheckpointSink, useValue: checkpoints }, { provide: AuditTrailWriter, useValue: writer }, AuditWriterService],
    };
  }
}
