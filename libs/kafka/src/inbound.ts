import { type AvroCodec } from './avro-codec';
import { type IncomingRecord } from './client';
import { DecodeError } from './errors';
import { type InboundEvent, type Subscription } from './events';
import { decodeEventHeaders } from './headers';

/** The outcome of decoding one record: an event, or a decode failure bound for the dead-letter topic. */
export type DecodeOutcome = { readonly ok: true; readonly event: InboundEvent } | { readonly ok: false; readonly error: DecodeError };

/** Returns the subscriptions keyed by topic name; throws on a topic listed twice. */
export function subscriptionsByTopic(subscriptions: readonly Subscription[]): Map<string, Subscription> {
  const map = new Map<string, Subscription>();
  for (const s of subscriptions) {
    if (map.has(s.spec.name)) throw new RangeError(`topic ${s.spec.name} is subscribed twice`);
    map.set(s.spec.name, s);
  }
  return map;
}

/**
 * Returns the decoded event of `record`, or the {@link DecodeError} that sends it to the
 * dead-letter topic. Other errors (an unreachable registry) are thrown: the message must be
 * retried, not dead-lettered.
 */
export async function decodeRecord(codec: AvroCodec, subscription: Subscription, record: IncomingRecord): Promise<DecodeOutcome> {
  try {
    const { value, schemaId } = await codec.decode(record.value, subscription.schema, subscription.validate);
    return {
      ok: true,
      event: {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key === null ? null : record.key.toString('utf8'),
        value,
        headers: record.headers,
        correlation: decodeEventHeaders(record.headers),
        schemaId,
        timestamp: record.timestamp,
      },
    };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, error };
    throw error;
  }
}

/** Returns the offset after `offset` (the next offset to consume), as a decimal string. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
