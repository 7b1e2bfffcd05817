import { deriveId, digestOf, type Digest } from '@fleet/core';
import { type Envelope } from '@fleet/contracts';

/** What a producer knows about an event before its envelope exists. */
export interface EnvelopeInput {
  /** The service that produces the event. */
  readonly producer: string;
  /** The Avro full name of the event's record (part of the id, so two kinds never share one). */
  readonly valueType: string;
  /** The canonical instrument (or another key) the event's sequence counts within. */
  readonly instrument: string;
  /** The producer's sequence for this instrument, from 1. */
  readonly sequence: number;
  /** Event time in integer microseconds (simulated time in a simulation). */
  readonly eventTimeUs: number;
  /** The eventIds of the inputs, in consumption order; empty for events from outside the fleet. */
  readonly causation: readonly string[];
  /** The causal flow the event belongs to; defaults to its first cause, or to its own id. */
  readonly correlationId?: string;
  /** The version of the record's schema the producer writes. */
  readonly schemaVersion?: number;
}

/** An event record: an envelope followed by its payload fields. */
export type Enveloped<P> = { readonly envelope: Envelope } & P;

/** Returns the digest of an event's payload: every field but the envelope, canonically encoded. */
export function payloadDigest(payload: object): Digest {
  const rest: Record<string, unknown> = { ...payload };
  delete rest.envelope;
  return digestOf(rest);
}

/**
 * Returns the event `payload` with its envelope: the digest covers the payload; the id is
 * derived from the producer, the record type, the instrument, the sequence, the causes and
 * the digest, so the same inputs always give the same id and nothing random goes in.
 */
export function withEnvelope<P extends object>(input: EnvelopeInput, payload: P): Enveloped<P> {
  if (!Number.isSafeInteger(input.sequence) || input.sequence < 1) {
    throw new RangeError(`envelope sequence must be a positive integer, received ${input.sequence}`);
  }
  if (!Number.isSafeInteger(input.eventTimeUs)) {
    throw new RangeError(`envelope eventTimeUs must be integer microseconds, received ${input.eventTimeUs}`);
  }
  const digest = payloadDigest(payload);
  const eventId = deriveId('event', [input.producer, input.valueType, input.instrument, input.sequence, input.causation, digest]);
  const envelope: Envelope = {
    eventId,
    correlationId: input.correlationId ?? input.causation[0] ?? eventId,
    causation: [...input.causation],
    eventTimeUs: input.eventTimeUs,
    sequence: input.sequence,
    producer: input.producer,
    schemaVersion: input.schemaVersion ?? 1,
    digest,
  };
  return { envelope, ...payload };
}

/** Why an event failed its integrity check. */
export type EnvelopeProblem = 'digest-mismatch';

/** Returns undefined when the event's payload still matches its envelope digest, else the problem. */
export function checkEnvelope(event: { readonly envelope: Envelope }): EnvelopeProblem | undefined {
  return payloadDigest(event) === event.envelope.digest ? undefined : 'digest-mismatch';
}
