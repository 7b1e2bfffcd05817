import { type FleetMetrics } from '@fleet/metrics';
import { type AvroCodec } from './avro-codec';
import { type OutgoingRecord, type ProducerPort } from './client';
import { type OutboundEvent } from './events';
import { encodeEventHeaders, headersFromEnvelope } from './headers';

/** Returns the Kafka records of `events`, encoded through the registry with correlation headers. */
export async function encodeEvents(codec: AvroCodec, events: readonly OutboundEvent[]): Promise<OutgoingRecord[]> {
  return Promise.all(
    events.map(async (e) => ({
      topic: e.spec.name,
      key: e.key,
      value: await codec.encode(e.spec, e.schema, e.value),
      headers: encodeEventHeaders({ ...headersFromEnvelope(e.value), ...e.headers }),
      ...(e.partition !== undefined && { partition: e.partition }),
    })),
  );
}

/** Publishes Avro events through an idempotent producer (acks=all). */
export class EventPublisher {
  /** Returns a publisher over `producer`; `metrics` counts events out. */
  constructor(
    private readonly producer: ProducerPort,
    private readonly codec: AvroCodec,
    private readonly metrics?: FleetMetrics,
  ) {}

  /** Connects the producer. */
  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Disconnects the producer after its in-flight sends. */
  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Encodes and sends `events`; resolves once every broker replica acknowledged them. */
  async publish(events: readonly OutboundEvent[]): Promise<void> {
    const records = await encodeEvents(this.codec, events);
    await this.producer.send(records);
    for (const r of records) this.metrics?.eventsOut.inc({ topic: r.topic });
  }
}
