import { type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { type InboundEvent, KafkaAvroContext, KafkaAvroServer, type KafkaAvroServerOptions, type OutboundEvent } from '@fleet/kafka';

/** What the kit does around every handler: before it (catch up state) and after it (journal, snapshots). */
export interface HandlerHooks {
  before(event: InboundEvent): Promise<void>;
  after(event: InboundEvent, outputs: readonly OutboundEvent[]): Promise<readonly OutboundEvent[]>;
}

/**
 * The Kafka transport of a fleet service: {@link KafkaAvroServer} with the topic prefix applied
 * to every `@EventPattern(Topics.x.name)` and the kit's hooks around every handler, so the
 * controllers stay decode → core → outputs.
 */
export class FleetKafkaServer extends KafkaAvroServer {
  /** Returns the transport for `options`; `topicPrefix` is prepended to handler patterns. */
  constructor(
    options: KafkaAvroServerOptions,
    private readonly topicPrefix: string,
    private readonly hooks: HandlerHooks,
  ) {
    super(options);
  }

  /** Registers `callback` under the prefixed topic, wrapped in the kit's hooks. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    const topic = typeof pattern === 'string' ? `${this.topicPrefix}${pattern}` : pattern;
    const wrapped = (async (data: unknown, ctx?: unknown) => {
      if (!(ctx instanceof KafkaAvroContext)) return callback(data, ctx);
      const event = ctx.getEvent();
      await this.hooks.before(event);
      const result = await lastValueFrom(this.transformToObservable(await callback(data, ctx)), { defaultValue: undefined });
      return this.hooks.after(event, (result as readonly OutboundEvent[] | undefined) ?? []);
    }) as MessageHandler;
    super.addHandler(topic, wrapped, isEventHandler, extras);
  }
}
