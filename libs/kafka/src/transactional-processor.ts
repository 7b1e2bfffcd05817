import { type ConsumedBatch, type ConsumerPort, type IncomingRecord, type OutgoingRecord, type ProducerPort } from './client';
import { type ConsumerCommonOptions, secondsSince, startLagMonitor } from './consumer-common';
import { deadLetterRecord } from './dead-letter';
import { type Subscription, type TransformHandler } from './events';
import { decodeRecord, nextOffset, subscriptionsByTopic } from './inbound';
import { isLaneMark } from './lane-marks';
import { type LagMonitor } from './lag-monitor';
import { encodeEvents } from './publisher';
import { transactionalIdFor } from './transactional-id';

/** Options of {@link TransactionalProcessor}. */
export interface TransactionalOptions extends ConsumerCommonOptions {
  readonly handler: TransformHandler;
  /** Input messages per transaction at most; 500 unless told otherwise. */
  readonly maxMessagesPerTransaction?: number;
  /** Attempts of one transaction before the batch fails (and the consumer restarts); 5 unless told otherwise. */
  readonly maxAttempts?: number;
  readonly transactionTimeoutMs?: number;
}

/** Returns whether `error` says this producer was fenced by a newer one with the same transactional id. */
export function isFencingError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${(error as { type?: string }).type ?? ''} ${error.message}` : String(error);
  return /FENCED|INVALID_PRODUCER_EPOCH|INVALID_PRODUCER_ID_MAPPING|old epoch/i.test(text);
}

/**
 * The transactional read-process-write path: for each input partition, outputs and the input
 * offsets are written in one Kafka transaction, so with read_committed consumers downstream an
 * input is applied exactly once. kafkajs has no KIP-447, so each input partition has its own
 * transactional producer, id `<group>-<topic>-<partition>`; the instance that owns a partition
 * fences any previous owner. A handler runs once per input in a process; a failed commit is
 * retried with the same outputs.
 */
export class TransactionalProcessor {
  private readonly byTopic: Map<string, Subscription>;
  private readonly producers = new Map<string, Promise<ProducerPort>>();
  private consumer: ConsumerPort | undefined;
  private lag: LagMonitor | undefined;

  /** Returns a processor for `options`; call {@link start}. */
  constructor(private readonly options: TransactionalOptions) {
    this.byTopic = subscriptionsByTopic(options.subscriptions);
  }

  /** Connects, subscribes and starts consuming with read_committed. */
  async start(): Promise<void> {
    const o = this.options;
    this.consumer = o.client.consumer({ ...o.consumer, groupId: o.groupId, readCommitted: true });
    this.consumer.onAssignment((assignment) => this.onAssignment(assignment));
    await this.consumer.connect();
    await this.consumer.subscribe([...this.byTopic.keys()], o.fromBeginning ?? true);
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      eachBatch: (batch) => this.eachBatch(batch),
    });
    this.lag = await startLagMonitor(o, [...this.byTopic.keys()]);
  }

  /** Stops fetching, lets the transaction in hand commit, and disconnects every producer. */
  async stop(): Promise<void> {
    await this.lag?.stop();
    await this.consumer?.disconnect();
    this.consumer = undefined;
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.allSettled(producers.map(async (p) => (await p).disconnect()));
  }

  private onAssignment(assignment: Readonly<Record<string, readonly number[]>>): void {
    const wanted = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const id = transactionalIdFor(this.options.groupId, topic, partition);
        wanted.add(id);
        this.producerFor(id).catch(() => undefined);
      }
    }
    for (const id of [...this.producers.keys()]) {
      if (!wanted.has(id)) this.dropProducer(id);
    }
  }

  private producerFor(transactionalId: string): Promise<ProducerPort> {
    let p = this.producers.get(transactionalId);
    if (!p) {
      const producer = this.options.client.producer({ transactionalId, transactionTimeoutMs: this.options.transactionTimeoutMs });
      p = producer.connect().then(() => producer);
      this.producers.set(transactionalId, p);
      p.catch(() => this.producers.delete(transactionalId));
    }
    return p;
  }

  private dropProducer(transactionalId: string): void {
    const p = this.producers.get(transactionalId);
    this.producers.delete(transactionalId);
    p?.then((producer) => producer.disconnect()).catch(() => undefined);
  }

  private async eachBatch(batch: ConsumedBatch): Promise<void> {
    const id = transactionalIdFor(this.options.groupId, batch.topic, batch.partition);
    const max = this.options.maxMessagesPerTransaction ?? 500;
    for (let i = 0; i < batch.messages.length; i += max) {
      if (!batch.isRunning() || batch.isStale()) return;
      const chunk = batch.messages.slice(i, i + max);
      const records = await this.process(chunk, batch);
      const last = chunk[chunk.length - 1].offset;
      await this.commitChunk(id, batch, records, last);
      batch.resolveOffset(last);
      for (const r of records) this.options.metrics?.eventsOut.inc({ topic: r.topic });
      await batch.heartbeat();
    }
  }

  private async process(chunk: readonly IncomingRecord[], batch: ConsumedBatch): Promise<OutgoingRecord[]> {
    const o = this.options;
    const records: OutgoingRecord[] = [];
    for (const message of chunk) {
      const subscription = this.byTopic.get(message.topic);
      if (!subscription || isLaneMark(message.headers)) continue;
      const start = process.hrtime.bigint();
      const outcome = await decodeRecord(o.codec, subscription, message);
      if (!outcome.ok) {
        records.push(deadLetterRecord(o.deadLetter, message, outcome.error));
        o.metrics?.deadLetters.inc({ topic: message.topic, reason: outcome.error.reason });
      } else {
        o.metrics?.eventsIn.inc({ topic: message.topic });
        const outputs = await o.handler(outcome.event);
        records.push(...(await encodeEvents(o.codec, outputs)));
        o.metrics?.handlerLatency.observe({ topic: message.topic }, secondsSince(start));
      }
      await batch.heartbeat();
    }
    return records;
  }

  private async commitChunk(transactionalId: string, batch: ConsumedBatch, records: readonly OutgoingRecord[], lastOffset: string): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const producer = await this.producerFor(transactionalId);
      const tx = await producer.transaction();
      try {
        await tx.send(records);
        await tx.sendOffsets(this.options.groupId, [{ topic: batch.topic, partition: batch.partition, offset: nextOffset(lastOffset) }]);
        await tx.commit();
        return;
      } catch (error) {
        const aborted = await tx.abort().then(
          () => true,
          () => false,
        );
        if (isFencingError(error)) {
          // Another instance owns this partition now; rejoin instead of fencing it back.
          this.dropProducer(transactionalId);
          throw error;
        }
        if (attempt >= maxAttempts || !batch.isRunning() || batch.isStale()) throw error;
        // A producer whose abort failed is in an unknown state; a fresh one re-initialises the id.
        if (!aborted) this.dropProducer(transactionalId);
        await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  }
}
