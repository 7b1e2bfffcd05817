import { type TrailSource, UNDECODABLE_VALUE_TYPE } from '@fleet/audit';
import { AVRO_SCHEMAS, type CatalogueTopic } from '@fleet/contracts';
import { type AvroCodec, type AvroSchemaJson, DecodeError, type IncomingRecord, isLaneMark } from '@fleet/kafka';

/**
 * Returns true for a tick mark: a record with the lane protocol's mark header and an empty (or
 * null) value. Marks are punctuation, not events: the trail skips them. A record that carries the
 * header and a value is not a mark and is chained like any other record.
 */
export function isTickMark(record: Pick<IncomingRecord, 'headers' | 'value'>): boolean {
  return isLaneMark(record.headers) && (record.value === null || record.value.length === 0);
}

/** A consumed record turned into a trail source, and whether its bytes could not be decoded. */
export interface DecodedSource {
  readonly source: TrailSource;
  readonly undecodable: boolean;
}

/**
 * Returns the trail source of `record`, consumed from a topic carrying `topic.valueType`: the
 * value decoded with the registry (reader schema: the generated one) as plain JSON, null for a
 * tombstone. Bytes that cannot be decoded are kept as `fleet.audit.Undecodable` with the reason,
 * never dropped; any other failure (an unreachable registry) is thrown, to be retried.
 */
export async function trailSourceOf(codec: AvroCodec, topic: Pick<CatalogueTopic, 'valueType'>, record: IncomingRecord): Promise<DecodedSource> {
  const base = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    timestampMs: Number(record.timestamp),
  };
  if (record.value === null) return { source: { ...base, valueType: topic.valueType, value: null }, undecodable: false };
  try {
    const { value } = await codec.decode(record.value, AVRO_SCHEMAS[topic.valueType] as AvroSchemaJson);
    return { source: { ...base, valueType: topic.valueType, value: plainJson(value) }, undecodable: false };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return {
      source: { ...base, valueType: UNDECODABLE_VALUE_TYPE, value: { bytesBase64: record.value.toString('base64'), reason: error.reason, message: error.message } },
      undecodable: true,
    };
  }
}

/**
 * Returns a decoded Avro value as plain JSON data: records as plain objects, bytes as base64,
 * int64 beyond numbers as decimal strings, NaN and ±Infinity as their names (JSON has none).
 */
export function plainJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plainJson(v);
    return out;
  }
  throw new TypeError(`a decoded value holds a ${typeof value}, which has no JSON form`);
}
