import { canonicalBytes, canonicalJson, chainDigest, type Digest } from '@fleet/core';

/**
 * The audit trail record: one line of canonical JSON per consumed WAL event.
 *
 * hash = SHA-256(prevHash || canonicalBytes(record without `hash`)), where prevHash is the
 * 64-character lower-case hex of the previous record's hash (as ASCII bytes, see
 * `chainDigest` in @fleet/core) and the first record of a trail chains from
 * {@link GENESIS_HASH}. A line is `canonicalJson(record) + "\n"`.
 */

/** The chain head before the first record of every trail: 64 zeros. */
export const GENESIS_HASH: Digest = '0'.repeat(64);

/** The value type written for a record whose bytes could not be decoded (kept, never dropped). */
export const UNDECODABLE_VALUE_TYPE = 'fleet.audit.Undecodable';

/** Where a consumed event came from and what it was, before it joins the chain. */
export interface TrailSource {
  /** The WAL topic. */
  readonly topic: string;
  /** The partition of the topic. */
  readonly partition: number;
  /** The Kafka offset as a decimal string (offsets are int64). */
  readonly offset: string;
  /** The record key as UTF-8 text, or null. */
  readonly key: string | null;
  /** The Avro full name of the value (the topic's value type), or {@link UNDECODABLE_VALUE_TYPE}. */
  readonly valueType: string;
  /** The Kafka record timestamp in milliseconds. */
  readonly timestampMs: number;
  /** The decoded event as plain JSON data (bytes as base64 strings), or null for a tombstone. */
  readonly value: unknown;
}

/** One record of the trail, as written on one line. */
export interface TrailRecord extends TrailSource {
  /** Trail sequence, from 1, gap-free across segments. */
  readonly seq: number;
  /** The event's envelope eventId, or null when the value has no envelope. */
  readonly eventId: string | null;
  /** The hash of the previous record ({@link GENESIS_HASH} for seq 1). */
  readonly prevHash: Digest;
  /** SHA-256(prevHash || canonical bytes of this record without `hash`). */
  readonly hash: Digest;
}

/** The fields of a trail record, in the order documented in docs/audit.md. */
export const TRAIL_RECORD_FIELDS: readonly (keyof TrailRecord)[] = ['seq', 'topic', 'partition', 'offset', 'key', 'eventId', 'valueType', 'timestampMs', 'value', 'prevHash', 'hash'];

/** Returns the envelope eventId of a decoded value, or null when it has none. */
export function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const envelope = (value as { envelope?: unknown }).envelope;
  if (typeof envelope !== 'object' || envelope === null) return null;
  const id = (envelope as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}

/** Returns the hash of a record body (every field but `hash`). */
export function recordHash(body: Omit<TrailRecord, 'hash'>): Digest {
  return chainDigest(body.prevHash, canonicalBytes(body));
}

/** Returns the record of `source` at trail sequence `seq`, chained from `prevHash`. */
export function chainRecord(source: TrailSource, seq: number, prevHash: Digest): TrailRecord {
  const body: Omit<TrailRecord, 'hash'> = {
    seq,
    topic: source.topic,
    partition: source.partition,
    offset: source.offset,
    key: source.key,
    eventId: eventIdOf(source.value),
    valueType: source.valueType,
    timestampMs: source.timestampMs,
    value: source.value,
    prevHash,
  };
  return { ...body, hash: recordHash(body) };
}

/** Returns the line of a record: its canonical JSON and a newline. */
export function recordLine(record: TrailRecord): string {
  return `${canonicalJson(record)}\n`;
}

/** Returns the decimal offset after `offset`. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** Returns a negative, zero or positive number as offset `a` is below, at or above `b`. */
export function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Returns the key of a topic partition, `topic/partition`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
