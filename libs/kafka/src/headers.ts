/** Kafka header names for correlation; the same facts are also in the event envelope. */
export const HEADER = {
  correlationId: 'x-correlation-id',
  causation: 'x-causation',
  eventId: 'x-event-id',
  producer: 'x-producer',
} as const;

/** Kafka header names of a dead-letter record. */
export const DLQ_HEADER = {
  reason: 'x-dlq-reason',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  errorClass: 'x-dlq-error-class',
  errorMessage: 'x-dlq-error-message',
} as const;

/** Correlation facts carried in Kafka headers. */
export interface EventHeaders {
  /** The id shared by every event of one causal chain. */
  readonly correlationId?: string;
  /** The ids of the events this one was derived from. */
  readonly causation?: readonly string[];
  /** This event's id. */
  readonly eventId?: string;
  /** The service that produced the event. */
  readonly producer?: string;
}

/** Raw Kafka header values as clients hand them over. */
export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Returns the headers for `h` as strings; causation is a JSON array of strings. */
export function encodeEventHeaders(h: EventHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  if (h.correlationId !== undefined) out[HEADER.correlationId] = h.correlationId;
  if (h.causation !== undefined) out[HEADER.causation] = JSON.stringify(h.causation);
  if (h.eventId !== undefined) out[HEADER.eventId] = h.eventId;
  if (h.producer !== undefined) out[HEADER.producer] = h.producer;
  return out;
}

/** Returns the correlation facts found in `headers`; a malformed causation header reads as absent. */
export function decodeEventHeaders(headers: Readonly<Record<string, string>>): EventHeaders {
  let causation: string[] | undefined;
  const rawCausation = headers[HEADER.causation];
  if (rawCausation !== undefined) {
    try {
      const parsed: unknown = JSON.parse(rawCausation);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) causation = parsed;
    } catch {
      causation = undefined;
    }
  }
  return {
    ...(headers[HEADER.correlationId] !== undefined && { correlationId: headers[HEADER.correlationId] }),
    ...(causation !== undefined && { causation }),
    ...(headers[HEADER.eventId] !== undefined && { eventId: headers[HEADER.eventId] }),
    ...(headers[HEADER.producer] !== undefined && { producer: headers[HEADER.producer] }),
  };
}

/** Returns header values as UTF-8 strings; a repeated header keeps its last value. */
export function normaliseHeaders(raw: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    out[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return out;
}

/**
 * Returns the correlation headers taken from a value's `envelope` field (eventId,
 * correlationId, causation, producer), or an empty object when the value has none.
 */
export function headersFromEnvelope(value: unknown): EventHeaders {
  if (typeof value !== 'object' || value === null || !('envelope' in value)) return {};
  const env = (value as { envelope: unknown }).envelope;
  if (typeof env !== 'object' || env === null) return {};
  const e = env as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  const causation = Array.isArray(e['causation']) && e['causation'].every((x) => typeof x === 'string') ? (e['causation'] as string[]) : undefined;
  return {
    ...(str(e['correlationId']) !== undefined && { correlationId: str(e['correlationId']) }),
    ...(causation !== undefined && { causation }),
    ...(str(e['eventId']) !== undefined && { eventId: str(e['eventId']) }),
    ...(str(e['producer']) !== undefined && { producer: str(e['producer']) }),
  };
}
