import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { type FleetMetrics } from '@fleet/metrics';
import { AvroCodec } from '../avro-codec';
import { type KafkaClientPort } from '../client';
import { KafkaJsClient, type KafkaJsClientOptions } from '../kafkajs-client';
import { EventPublisher } from '../publisher';
import { HttpSchemaRegistry } from '../schema-registry';

/** Injection token of the {@link KafkaClientPort}. */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
/** Injection token of the {@link FleetMetrics} the module uses, when given. */
export const KAFKA_METRICS = Symbol('KAFKA_METRICS');

/** Options of {@link KafkaModule.forRoot}. */
export interface KafkaModuleOptions {
  readonly kafka: KafkaJsClientOptions;
  /** The schema registry base URL (Confluent API). */
  readonly schemaRegistryUrl: string;
  readonly metrics?: FleetMetrics;
}

/** Disconnects the publisher when the application shuts down (after in-flight sends). */
@Injectable()
export class KafkaPublisherLifecycle implements OnApplicationShutdown {
  /** Returns the lifecycle hook of `publisher`. */
  constructor(@Inject(EventPublisher) private readonly publisher: EventPublisher) {}
  /** Disconnects the producer. */
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

/**
 * Provides the Kafka client, the Avro codec and a connected idempotent {@link EventPublisher}
 * to a Nest application; global, imported once by the app module.
 */
@Module({})
export class KafkaModule {
  /** Returns the module configured with `options`. */
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA_CLIENT, useFactory: (): KafkaClientPort => new KafkaJsClient(options.kafka) },
        { provide: KAFKA_METRICS, useValue: options.metrics ?? null },
        { provide: AvroCodec, useFactory: () => new AvroCodec(new HttpSchemaRegistry(options.schemaRegistryUrl)) },
        {
          provide: EventPublisher,
          inject: [KAFKA_CLIENT, AvroCodec],
          useFactory: async (client: KafkaClientPort, codec: AvroCodec): Promise<EventPublisher> => {
            const publisher = new EventPublisher(client.producer(), codec, options.metrics);
            await publisher.connect();
            return publisher;
          },
        },
        KafkaPublisherLifecycle,
      ],
      exports: [KAFKA_CLIENT, KAFKA_METRICS, AvroCodec, EventPublisher],
    };
  }
}
