import { type ConsumedBatch, type ConsumerPort, type IncomingRecord, type ProducerPort } from './client';
import { type ConsumerCommonOptions, secondsSince, startLagMonitor } from './consumer-common';
import { deadLetterRecord } from './dead-letter';
import { type EventHandler, type Subscription } from './events';
import { decodeRecord, nextOffset, subscriptionsByTopic } from './inbound';
import { isLaneMark } from './lane-marks';
import { type LagMonitor } from './lag-monitor';

/** Options of {@link AtLeastOnceConsumer}. */
export interface AtLeastOnceOptions extends ConsumerCommonOptions {
  readonly handler: EventHandler;
  /** How often resolved offsets are committed while running; 1 s unless told otherwise. */
  readonly commitIntervalMs?: number;
}

/**
 * The at-least-once consumer: each message is decoded, handled, and only then marked as
 * processed; offsets are committed after the handler finished, so a crash re-delivers and
 * never loses. A rebalance can re-deliver a message, so handlers must be idempotent.
 * Messages that cannot be decoded go to the dead-letter topic and the partition moves on.
 */
export class AtLeastOnceConsumer {
  private readonly byTopic: Map<string, Subscription>;
  private consumer: ConsumerPort | undefined;
  private dlq: ProducerPort | undefined;
  private lag: LagMonitor | undefined;

  /** Returns a consumer for `options`; call {@link start}. */
  constructor(private readonly options: AtLeastOnceOptions) {
    this.byTopic = subscriptionsByTopic(options.subscriptions);
  }

  /** Connects, subscribes and starts consuming; resolves once the loop runs. */
  async start(): Promise<void> {
    const o = this.options;
    this.dlq = o.client.producer();
    await this.dlq.connect();
    this.consumer = o.client.consumer({ ...o.consumer, groupId: o.groupId, readCommitted: true });
    await this.consumer.connect();
    await this.consumer.subscribe([...this.byTopic.keys()], o.fromBeginning ?? true);
    await this.consumer.run({
      autoCommit: true,
      autoCommitIntervalMs: o.commitIntervalMs ?? 1_000,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      eachBatch: (batch) => this.eachBatch(batch),
    });
    this.lag = await startLagMonitor(o, [...this.byTopic.keys()]);
  }

  /** Stops fetching, lets the message in hand finish, commits what was processed and disconnects. */
  async stop(): Promise<void> {
    await this.lag?.stop();
    await this.consumer?.disconnect();
    await this.dlq?.disconnect();
    this.consumer = undefined;
    this.dlq = undefined;
  }

  private async eachBatch(batch: ConsumedBatch): Promise<void> {
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!batch.isRunning() || batch.isStale()) break;
      await this.processOne(message);
      batch.resolveOffset(message.offset);
      last = message.offset;
      await batch.heartbeat();
    }
    if (last !== undefined && !batch.isRunning()) {
      await batch.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset(last) }]);
    } else {
      await batch.commitOffsetsIfNecessary();
    }
  }

  private async processOne(message: IncomingRecord): Promise<void> {
    const o = this.options;
    const subscription = this.byTopic.get(message.topic);
    if (!subscription || isLaneMark(message.headers)) return;
    const start = process.hrtime.bigint();
    const outcome = await decodeRecord(o.codec, subscription, message);
    if (!outcome.ok) {
      await this.dlq!.send([deadLetterRecord(o.deadLetter, message, outcome.error)]);
      o.metrics?.deadLetters.inc({ topic: message.topic, reason: outcome.error.reason });
      return;
    }
    o.metrics?.eventsIn.inc({ topic: message.topic });
    await o.handler(outcome.event);
    o.metrics?.handlerLatency.observe({ topic: message.topic }, secondsSince(start));
  }
}
