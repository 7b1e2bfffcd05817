import { AVRO_SCHEMAS, type ContractName, INPUT_JOURNAL_TYPE, type TopicSpec, Topics } from '@fleet/contracts';
import { deriveId } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import {
  type AvroCodec,
  type ConsumedBatch,
  type ConsumerPort,
  DecodeError,
  deadLetterRecord,
  encodeEventHeaders,
  headersFromEnvelope,
  type IncomingRecord,
  type KafkaClientPort,
  LANE_HEADER,
  LagMonitor,
  type OutgoingRecord,
  type ProducerPort,
} from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { type SnapshotStore } from '@fleet/state';
import { prefixedTopic } from '../service-topics';
import { LaneAligner, type ReadyTick } from './lane-aligner';
import { type LaneEvent, type LaneHandler, type LaneInput, type LaneOutput, type LaneTick } from './lane-types';
import { readLanePartition } from './raw-log';

/** Calls the service's tick handler (through Nest, so controllers, pipes and interceptors apply). */
export type TickFunction = (tick: LaneTick) => Promise<readonly LaneOutput[]>;

/** How a lane started: from its Redis snapshot, rebuilt from the log, or fresh. */
export interface LaneStart {
  readonly partition: number;
  readonly lastTick: number;
  readonly from: 'snapshot' | 'log' | 'fresh';
  /** Ticks replayed from the log to rebuild the state (0 unless `from` is log). */
  readonly replayedTicks: number;
  readonly detail: string;
}

/** What the runtime needs. */
export interface LaneRuntimeOptions {
  readonly service: string;
  readonly instance: string;
  readonly groupId: string;
  /** The prefix of output topics. */
  readonly topicPrefix: string;
  /** The prefix of input topics (the output prefix unless a shadow replay reads a recorded session). */
  readonly inputTopicPrefix?: string;
  readonly inputs: readonly LaneInput[];
  readonly outputs: readonly TopicSpec[];
  readonly client: KafkaClientPort;
  readonly codec: AvroCodec;
  readonly store: SnapshotStore;
  readonly metrics: FleetMetrics;
  readonly handler: LaneHandler;
  readonly sessionTimeoutMs?: number;
  /** Called when a lane starts (after its snapshot load or rebuild). */
  readonly onLaneStart?: (start: LaneStart) => void;
  /** Called once when processing fails (the state may be ahead of the last commit: the process should exit and recover from the log). */
  readonly onFatal?: (error: Error) => void;
  /** Called when a tick's transaction has committed. */
  readonly onTick?: (partition: number, tick: number) => void;
}

interface Lane {
  readonly partition: number;
  readonly aligner: LaneAligner;
}

/** The Redis snapshot of one lane: the last tick folded in and the handler's lane state. */
interface LaneSnapshot {
  readonly tick: number;
  readonly state: unknown;
}

const SNAPSHOT_VERSION = 1;

/**
 * The Kafka side of a lane service: a co-partitioned, read-committed consumer of the inputs; a
 * {@link LaneAligner} per owned lane; one Kafka transaction per tick holding the outputs, the
 * tick marks of every output topic, the dead letters and the input offsets; a Redis snapshot of
 * the lane after each tick; and, when a lane is taken over without a matching snapshot, a
 * rebuild that replays the lane's log through the handler up to the last tick this service
 * committed (found from its own tick marks), so that the state is exactly what the committed
 * outputs were computed from.
 */
export class LaneRuntime {
  private readonly lanes = new Map<number, Promise<Lane>>();
  private readonly inputsByTopic: Map<string, LaneInput>;
  private consumer: ConsumerPort | undefined;
  private producer: ProducerPort | undefined;
  private tickFn: TickFunction | undefined;
  private failure: Error | undefined;
  private restarting = false;
  private lag: LagMonitor | undefined;
  private consecutiveFailures = 0;
  private onAssignment: ((partitions: readonly number[]) => void) | undefined;
  private readonly starts: LaneStart[] = [];

  /** Returns a runtime for `options`; {@link start} connects it. */
  constructor(private readonly o: LaneRuntimeOptions) {
    this.inputsByTopic = new Map(o.inputs.map((i) => [this.input(i.spec).name, i]));
  }

  /** How each lane of this instance started. */
  get laneStarts(): readonly LaneStart[] {
    return this.starts;
  }

  /** The first fatal error, when the runtime stopped on one. */
  get error(): Error | undefined {
    return this.failure;
  }

  private full(spec: TopicSpec): TopicSpec {
    return prefixedTopic(spec, this.o.topicPrefix);
  }

  private input(spec: TopicSpec): TopicSpec {
    return prefixedTopic(spec, this.o.inputTopicPrefix ?? this.o.topicPrefix);
  }

  /** Connects the transactional producer and the consumer and starts consuming; `tick` runs each complete tick. */
  async start(tick: TickFunction, onAssignment?: (partitions: readonly number[]) => void): Promise<void> {
    this.tickFn = tick;
    this.onAssignment = onAssignment;
    this.producer = this.o.client.producer({ transactionalId: `${this.o.groupId}.${this.o.instance}` });
    await this.producer.connect();
    const consumer = this.o.client.consumer({
      groupId: this.o.groupId,
      readCommitted: true,
      coPartitioned: true,
      ...(this.o.sessionTimeoutMs !== undefined && { sessionTimeoutMs: this.o.sessionTimeoutMs, heartbeatIntervalMs: Math.max(100, Math.floor(this.o.sessionTimeoutMs / 10)), rebalanceTimeoutMs: this.o.sessionTimeoutMs }),
    });
    this.consumer = consumer;
    consumer.onAssignment((assignment) => {
      const owned = new Set(Object.values(assignment).flat());
      for (const partition of [...this.lanes.keys()]) {
        if (!owned.has(partition)) {
          this.lanes.delete(partition);
          this.o.handler.resetLane(partition);
        }
      }
      onAssignment?.([...owned].sort((a, b) => a - b));
    });
    await consumer.connect();
    await consumer.subscribe([...this.inputsByTopic.keys()], true);
    await consumer.run({ autoCommit: false, eachBatch: (batch) => this.onBatch(batch) });
    if (!this.lag) {
      this.lag = new LagMonitor(this.o.client, this.o.metrics, this.o.groupId, [...this.inputsByTopic.keys()], 5_000);
      await this.lag.start();
    }
  }

  /** Stops consuming (the tick in hand commits first) and disconnects. */
  async stop(): Promise<void> {
    await this.lag?.stop();
    await this.consumer?.stop();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async onBatch(batch: ConsumedBatch): Promise<void> {
    if (this.failure || this.restarting) return;
    try {
      const lane = await this.lane(batch.partition);
      const input = this.inputsByTopic.get(batch.topic)!;
      for (const record of batch.messages) {
        lane.aligner.add(input.spec.name, record);
        batch.resolveOffset(record.offset);
      }
      await this.drain(lane);
      this.consecutiveFailures = 0;
    } catch (error) {
      this.recover(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    await batch.heartbeat();
  }

  /**
   * After a failed tick (an aborted transaction, a fenced producer, a rebalance in the middle of
   * a commit) the in-memory lanes may be ahead of what committed: drop them all and restart the
   * consumer, which resumes from the committed offsets and reopens each lane from its snapshot
   * or the log. Five failures in a row without a committed tick are fatal.
   */
  private recover(error: Error): void {
    for (const partition of this.lanes.keys()) this.o.handler.resetLane(partition);
    this.lanes.clear();
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= 5) {
      this.failure = error;
      this.o.onFatal?.(error);
      return;
    }
    process.stderr.write(`${this.o.service}: tick failed (${error.message}); restarting the consumer from the committed offsets\n`);
    this.restarting = true;
    setImmediate(() => {
      void this.restartConsumer().catch((e: unknown) => {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.o.onFatal?.(this.failure);
      });
    });
  }

  private async restartConsumer(): Promise<void> {
    await this.consumer?.stop();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.restarting = false;
    await this.start(this.tickFn!, this.onAssignment);
  }

  private lane(partition: number): Promise<Lane> {
    let lane = this.lanes.get(partition);
    if (!lane) {
      lane = this.openLane(partition);
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  /** Processes every tick of `lane` that is complete, one transaction each. */
  private async drain(lane: Lane): Promise<void> {
    for (let ready = lane.aligner.ready(); ready !== undefined; ready = lane.aligner.ready()) {
      const started = process.hrtime.bigint();
      const { tick, dead } = await this.decode(lane.partition, ready);
      const outputs = await this.tickFn!(tick);
      const records = [...dead, ...(await this.encode(lane.partition, ready, outputs)), await this.journal(tick, outputs), ...this.marks(lane.partition, ready)];
      lane.aligner.complete(ready.tick);
      const offsets = [...lane.aligner.resumeOffsets()].map(([topic, offset]) => ({ topic: this.input(Topics[keyOf(topic)]).name, partition: lane.partition, offset: offset.toString() }));
      const txn = await this.producer!.transaction();
      try {
        await txn.send(records);
        await txn.sendOffsets(this.o.groupId, offsets);
        await txn.commit();
      } catch (error) {
        await txn.abort().catch(() => undefined);
        throw error;
      }
      for (const output of outputs) this.o.metrics.eventsOut.inc({ topic: output.spec.name });
      this.o.metrics.handlerLatency.observe({ topic: 'tick' }, Number(process.hrtime.bigint() - started) / 1e9);
      await this.o.store.save<LaneSnapshot>(snapshotName(this.o.groupId, lane.partition), { version: SNAPSHOT_VERSION, offsets, payload: { tick: ready.tick, state: this.o.handler.exportLane(lane.partition) } });
      this.o.onTick?.(lane.partition, ready.tick);
    }
  }

  private async decode(partition: number, ready: ReadyTick): Promise<{ tick: LaneTick; dead: OutgoingRecord[] }> {
    const events: LaneEvent[] = [];
    const dead: OutgoingRecord[] = [];
    const deadLetter = this.full(Topics.deadLetter);
    for (const r of ready.records) {
      const input = this.inputsByTopic.get(r.record.topic)!;
      try {
        const { value } = await this.o.codec.decode(r.record.value, input.schema);
        events.push({ topic: r.topic, partition, offset: r.record.offset, tick: r.tick, producer: r.producer, timestampMs: r.record.timestamp, value });
        this.o.metrics.eventsIn.inc({ topic: r.topic });
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        dead.push(deadLetterRecord(deadLetter, r.record, error));
        this.o.metrics.deadLetters.inc({ topic: r.topic, reason: error.reason });
      }
    }
    for (const s of ready.strays) {
      const error = new DecodeError('missing-lane-headers', `record has no valid ${LANE_HEADER.tick}/${LANE_HEADER.producer} headers, so no tick can hold it`);
      dead.push(deadLetterRecord(deadLetter, s.record, error));
      this.o.metrics.deadLetters.inc({ topic: s.topic, reason: error.reason });
    }
    return { tick: { partition, tick: ready.tick, tickTimeUs: ready.tickTimeUs, events }, dead };
  }

  private async encode(partition: number, ready: ReadyTick, outputs: readonly LaneOutput[]): Promise<OutgoingRecord[]> {
    const records: OutgoingRecord[] = [];
    for (const output of outputs) {
      const spec = this.full(output.spec);
      const schema = AVRO_SCHEMAS[output.spec.valueType as ContractName];
      if (!this.o.outputs.some((o) => o.name === output.spec.name)) throw new Error(`${this.o.service} produced ${output.spec.name}, which is not one of its declared outputs`);
      records.push({
        topic: spec.name,
        key: output.key,
        value: await this.o.codec.encode(spec, schema, output.value),
        partition,
        headers: { ...encodeEventHeaders(headersFromEnvelope(output.value)), [LANE_HEADER.tick]: String(ready.tick), [LANE_HEADER.producer]: this.o.service },
      });
    }
    return records;
  }

  /**
   * The tick's input journal: the inputs in the order the handler saw them and the outputs they
   * gave, in the tick's transaction (promise 2: the consumption order is in the log, next to the
   * decisions it produced). Keyed by lane, written to the lane's partition.
   */
  private async journal(tick: LaneTick, outputs: readonly LaneOutput[]): Promise<OutgoingRecord> {
    const spec = this.full(Topics.journalInput);
    const lane = `lane-${tick.partition}`;
    const value = withEnvelope(
      { producer: this.o.service, valueType: INPUT_JOURNAL_TYPE, instrument: lane, sequence: tick.tick + 1, eventTimeUs: tick.tickTimeUs, causation: [], correlationId: deriveId('journal', [this.o.groupId, tick.partition, tick.tick]) },
      {
        instrument: lane,
        consumerGroup: this.o.groupId,
        inputs: tick.events.map((e) => ({ topic: e.topic, partition: e.partition, offset: Number(e.offset), eventId: (e.value as { envelope: { eventId: string } }).envelope.eventId })),
        outputEventIds: outputs.map((o) => (o.value as { envelope: { eventId: string } }).envelope.eventId),
      },
    );
    return { topic: spec.name, key: lane, value: await this.o.codec.encode(spec, AVRO_SCHEMAS[INPUT_JOURNAL_TYPE], value), partition: tick.partition, headers: { [LANE_HEADER.tick]: String(tick.tick), [LANE_HEADER.producer]: this.o.service } };
  }

  private marks(partition: number, ready: ReadyTick): OutgoingRecord[] {
    return this.o.outputs.map((spec) => tickMark(this.full(spec).name, partition, this.o.service, ready.tick, ready.tickTimeUs));
  }

  private async openLane(partition: number): Promise<Lane> {
    const inputs = this.o.inputs.map((i) => ({ topic: i.spec.name, producers: i.producers, delayed: i.delayed === true }));
    const log = await readLanePartition(this.o.client, [this.full(this.o.outputs[0]!).name], partition, `${this.o.groupId}.scan.${this.o.instance}`);
    const lastTick = lastMarkedTick(log.get(this.full(this.o.outputs[0]!).name) ?? [], this.o.service);
    let start: LaneStart;
    const loaded = await this.o.store.load<LaneSnapshot>(snapshotName(this.o.groupId, partition), SNAPSHOT_VERSION);
    if (lastTick < 0) {
      this.o.handler.resetLane(partition);
      start = { partition, lastTick, from: 'fresh', replayedTicks: 0, detail: 'no tick committed yet' };
    } else if (loaded.kind === 'loaded' && loaded.snapshot.payload.tick === lastTick) {
      this.o.handler.importLane(partition, loaded.snapshot.payload.state);
      start = { partition, lastTick, from: 'snapshot', replayedTicks: 0, detail: `snapshot at tick ${lastTick}` };
    } else {
      const why = loaded.kind === 'loaded' ? `snapshot at tick ${loaded.snapshot.payload.tick}, committed tick ${lastTick}` : `${loaded.reason}: ${loaded.detail}`;
      const replayedTicks = await this.rebuild(partition, lastTick);
      start = { partition, lastTick, from: 'log', replayedTicks, detail: why };
    }
    this.starts.push(start);
    this.o.onLaneStart?.(start);
    return { partition, aligner: new LaneAligner(inputs, lastTick) };
  }

  /** Replays the lane's inputs from the start through the handler up to `lastTick`, discarding outputs. */
  private async rebuild(partition: number, lastTick: number): Promise<number> {
    this.o.handler.resetLane(partition);
    const topics = this.o.inputs.map((i) => this.input(i.spec).name);
    const log = await readLanePartition(this.o.client, topics, partition, `${this.o.groupId}.rebuild.${this.o.instance}`);
    const aligner = new LaneAligner(this.o.inputs.map((i) => ({ topic: i.spec.name, producers: i.producers, delayed: i.delayed === true })));
    for (const input of this.o.inputs) for (const record of log.get(this.input(input.spec).name) ?? []) aligner.add(input.spec.name, record);
    let replayed = 0;
    for (let ready = aligner.ready(); ready !== undefined && ready.tick <= lastTick; ready = aligner.ready()) {
      const { tick } = await this.decode(partition, ready);
      await this.tickFn!(tick);
      aligner.complete(ready.tick);
      replayed++;
    }
    if (aligner.lastTick !== lastTick) throw new Error(`lane ${partition}: the log holds inputs up to tick ${aligner.lastTick} but this service committed tick ${lastTick}`);
    return replayed;
  }
}

/** Returns the tick mark of `producer` closing `tick` on `topic`/`partition`. */
export function tickMark(topic: string, partition: number, producer: string, tick: number, tickTimeUs: number): OutgoingRecord {
  return { topic, key: null, value: null, partition, headers: { [LANE_HEADER.mark]: '1', [LANE_HEADER.tick]: String(tick), [LANE_HEADER.producer]: producer, [LANE_HEADER.tickTimeUs]: String(tickTimeUs) } };
}

/** Returns the highest tick `producer` closed in `records` (−1 when none). */
export function lastMarkedTick(records: readonly IncomingRecord[], producer: string): number {
  let last = -1;
  for (const r of records) {
    if (r.headers[LANE_HEADER.mark] === undefined || r.headers[LANE_HEADER.producer] !== producer) continue;
    const tick = Number(r.headers[LANE_HEADER.tick]);
    if (Number.isInteger(tick) && tick > last) last = tick;
  }
  return last;
}

function snapshotName(groupId: string, partition: number): string {
  return `${groupId}/lane-${partition}`;
}

function keyOf(topicName: string): keyof typeof Topics {
  const key = (Object.keys(Topics) as (keyof typeof Topics)[]).find((k) => Topics[k].name === topicName);
  if (key === undefined) throw new Error(`${topicName} is not a catalogue topic`);
  return key;
}
