import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { AtLeastOnceConsumer } from '../at-least-once-consumer';
import { type ConsumerCommonOptions } from '../consumer-common';
import { type InboundEvent, type OutboundEvent } from '../events';
import { TransactionalProcessor } from '../transactional-processor';
import { KafkaAvroContext } from './kafka-avro.context';

/** Options of {@link KafkaAvroServer}. */
export interface KafkaAvroServerOptions extends ConsumerCommonOptions {
  /**
   * `at-least-once`: handlers return nothing and offsets are committed after they finish.
   * `transactional`: handlers return the OutboundEvent[] to produce, written in one Kafka
   * transaction with the input offsets.
   */
  readonly mode: 'at-least-once' | 'transactional';
  readonly maxMessagesPerTransaction?: number;
}

/** The symbol that identifies this transport. */
export const KAFKA_AVRO_TRANSPORT = Symbol('KAFKA_AVRO_TRANSPORT');

/**
 * A NestJS transport over the Kafka layer. Handlers are `@EventPattern(<TopicSpec>.name)`
 * methods that receive the decoded value (`@Payload()`) and a {@link KafkaAvroContext}
 * (`@Ctx()`); Avro decoding, dead-lettering, commits and transactions happen here once, never
 * in a handler. Every handler topic needs a subscription, which carries its reader schema.
 */
export class KafkaAvroServer extends Server implements CustomTransportStrategy {
  private runner: AtLeastOnceConsumer | TransactionalProcessor | undefined;

  /** Returns a transport for `options`. */
  constructor(private readonly options: KafkaAvroServerOptions) {
    super();
    this.transportId = KAFKA_AVRO_TRANSPORT;
  }

  /** Starts consuming the topics that have handlers; calls `callback` once running or with the error. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops fetching, finishes the message or transaction in hand, commits and disconnects. */
  async close(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.stop();
  }

  /** Not supported: this transport reports through metrics, not events. */
  on(): never {
    throw new Error('KafkaAvroServer does not emit events; watch its metrics instead');
  }

  /** Returns the running consumer or processor. */
  unwrap<T>(): T {
    if (!this.runner) throw new Error('KafkaAvroServer is not listening yet');
    return this.runner as T;
  }

  private async start(): Promise<void> {
    const patterns = [...this.getHandlers().keys()];
    const subscribed = new Set(this.options.subscriptions.map((s) => s.spec.name));
    const missing = patterns.filter((p) => !subscribed.has(p));
    if (missing.length > 0) {
      throw new Error(`handlers exist for topics without a subscription (reader schema): ${missing.join(', ')}`);
    }
    const subscriptions = this.options.subscriptions.filter((s) => patterns.includes(s.spec.name));
    if (subscriptions.length === 0) throw new Error('KafkaAvroServer found no @EventPattern handler for any subscribed topic');
    const common = { ...this.options, subscriptions };
    this.runner =
      this.options.mode === 'transactional'
        ? new TransactionalProcessor({ ...common, handler: async (e) => (await this.invoke(e)) ?? [] })
        : new AtLeastOnceConsumer({
            ...common,
            handler: async (e) => {
              await this.invoke(e);
            },
          });
    await this.runner.start();
  }

  private async invoke(event: InboundEvent): Promise<readonly OutboundEvent[] | undefined> {
    const handler = this.getHandlerByPattern(event.topic);
    if (!handler) throw new Error(`no handler for topic ${event.topic}`);
    const result$ = this.transformToObservable(await handler(event.value, new KafkaAvroContext([event])));
    return (await lastValueFrom(result$, { defaultValue: undefined })) as readonly OutboundEvent[] | undefined;
  }
}
