import { AVRO_SCHEMAS, type ContractName, type TopicSpec } from '@fleet/contracts';
import { type AvroCodec, type ConsumerPort, encodeEventHeaders, headersFromEnvelope, type KafkaClientPort, LANE_HEADER, laneOf, type OutgoingRecord, type ProducerPort } from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { prefixedTopic } from '../service-topics';
import { tickMark } from './lane-runtime';
import { type LaneOutput } from './lane-types';

/** One tick a source publishes: its number, closing time and outputs (keyed by instrument), plus raw records (chaos tests). */
export interface SourceTick {
  readonly tick: number;
  readonly tickTimeUs: number;
  readonly outputs: readonly LaneOutput[];
  /** Raw records published with the tick as they are (a malformed record for the dead-letter test). */
  readonly raw?: readonly { readonly spec: TopicSpec; readonly key: string; readonly value: Buffer }[];
}

/** Where ticks come from: the simulator, a recorded file or live venues. */
export interface TickSourcePort {
  readonly instruments: readonly string[];
  /** The number of ticks, or undefined for an endless (live) source. */
  readonly ticks: number | undefined;
  next(): Promise<SourceTick | undefined>;
}

/** Options of {@link LaneSource}. */
export interface LaneSourceOptions {
  readonly service: string;
  readonly instance: string;
  readonly topicPrefix: string;
  readonly outputs: readonly TopicSpec[];
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly metrics: FleetMetrics;
  /** How many ticks the source may run ahead of the last stage (1: strict lock-step). */
  readonly window: number;
  /** The topic and producer whose tick marks say a lane has finished a tick (execution-router on order.event). */
  readonly lastStage: { readonly spec: TopicSpec; readonly producer: string };
  /** The tick length, for the closing time of the drain tick. */
  readonly tickUs: number;
}

/** Progress of a source run. */
export interface SourceProgress {
  readonly published: number;
  readonly completed: number;
  readonly total: number | undefined;
}

/**
 * The lock-step clock of the fleet, run by market-gateway: publishes tick T (data, then a tick
 * mark on every output topic of every active lane) only once the last stage has closed tick
 * T − window on every lane, so simulated time advances no faster than the fleet processes it.
 * After the source ends it publishes one empty drain tick, so that the feedback of the last tick
 * (its fills) reaches the ledger, and waits for the fleet to close it.
 */
export class LaneSource {
  private producer: ProducerPort | undefined;
  private watcher: ConsumerPort | undefined;
  private readonly closed = new Map<number, number>();
  private wake: (() => void) | undefined;
  private stopped = false;

  /** Returns a source publisher for `o`. */
  constructor(private readonly o: LaneSourceOptions) {}

  /** Publishes every tick of `source`, then the drain tick; resolves when the fleet has closed it. */
  async run(source: TickSourcePort, onProgress?: (p: SourceProgress) => void): Promise<SourceProgress> {
    const admin = this.o.client.admin();
    await admin.connect();
    const first = prefixedTopic(this.o.outputs[0]!, this.o.topicPrefix).name;
    const partitions = (await admin.fetchTopicMetadata([first]))[0]?.partitions.length ?? 0;
    await admin.disconnect();
    if (partitions === 0) throw new Error(`${first} does not exist; create the topics first`);
    const lanes = [...new Set(source.instruments.map((i) => laneOf(i, partitions)))].sort((a, b) => a - b);
    for (const lane of lanes) this.closed.set(lane, -1);
    await this.startWatcher();
    this.producer = this.o.client.producer();
    await this.producer.connect();
    let published = 0;
    let lastTime = 0;
    try {
      for (let tick = await source.next(); tick !== undefined && !this.stopped; tick = await source.next()) {
        await this.waitClosed(tick.tick - this.o.window);
        await this.publish(tick, partitions, lanes);
        published++;
        lastTime = tick.tickTimeUs;
        onProgress?.({ published, completed: this.completed(), total: source.ticks });
      }
      if (this.stopped) return { published, completed: this.completed(), total: source.ticks };
      await this.waitClosed(published - this.o.window);
      await this.publish({ tick: published, tickTimeUs: lastTime + this.o.tickUs, outputs: [] }, partitions, lanes);
      published++;
      await this.waitClosed(published - 1, () => onProgress?.({ published, completed: this.completed(), total: source.ticks }));
      const done = { published, completed: this.completed(), total: source.ticks };
      onProgress?.(done);
      return done;
    } finally {
      await this.producer.disconnect();
      await this.watcher?.disconnect();
    }
  }

  /** Stops after the tick in hand (for SIGTERM). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private completed(): number {
    return Math.min(...this.closed.values()) + 1;
  }

  private async publish(tick: SourceTick, partitions: number, lanes: readonly number[]): Promise<void> {
    const records: OutgoingRecord[] = [];
    const headers = { [LANE_HEADER.tick]: String(tick.tick), [LANE_HEADER.producer]: this.o.service };
    for (const output of tick.outputs) {
      if (!this.o.outputs.some((o) => o.name === output.spec.name)) throw new Error(`${this.o.service} produced ${output.spec.name}, which is not one of its declared outputs`);
      const spec = prefixedTopic(output.spec, this.o.topicPrefix);
      records.push({
        topic: spec.name,
        key: output.key,
        value: await this.o.codec.encode(spec, AVRO_SCHEMAS[output.spec.valueType as ContractName], output.value),
        partition: laneOf(output.key, partitions),
        headers: { ...encodeEventHeaders(headersFromEnvelope(output.value)), ...headers },
      });
      this.o.metrics.eventsOut.inc({ topic: output.spec.name });
    }
    for (const raw of tick.raw ?? []) records.push({ topic: prefixedTopic(raw.spec, this.o.topicPrefix).name, key: raw.key, value: raw.value, partition: laneOf(raw.key, partitions), headers });
    for (const spec of this.o.outputs) for (const lane of lanes) records.push(tickMark(prefixedTopic(spec, this.o.topicPrefix).name, lane, this.o.service, tick.tick, tick.tickTimeUs));
    await this.producer!.send(records);
  }

  private async waitClosed(tick: number, onChange?: () => void): Promise<void> {
    while (!this.stopped && tick >= 0 && [...this.closed.values()].some((t) => t < tick)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      onChange?.();
    }
  }

  private async startWatcher(): Promise<void> {
    const topic = prefixedTopic(this.o.lastStage.spec, this.o.topicPrefix).name;
    const consumer = this.o.client.consumer({ groupId: `${this.o.topicPrefix}fleet.${this.o.service}.lockstep.${this.o.instance}`, readCommitted: true });
    this.watcher = consumer;
    await consumer.connect();
    await consumer.subscribe([topic], true);
    await consumer.run({
      autoCommit: false,
      eachBatch: async (batch) => {
        for (const r of batch.messages) {
          batch.resolveOffset(r.offset);
          if (r.headers[LANE_HEADER.mark] === undefined || r.headers[LANE_HEADER.producer] !== this.o.lastStage.producer) continue;
          const tick = Number(r.headers[LANE_HEADER.tick]);
          const closed = this.closed.get(batch.partition);
          if (closed !== undefined && tick > closed) this.closed.set(batch.partition, tick);
        }
        this.wake?.();
      },
    });
  }
}
