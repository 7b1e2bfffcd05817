import { AVRO_SCHEMAS, INPUT_JOURNAL_TYPE, type InputJournal, type TopicSpec } from '@fleet/contracts';
import { deriveId } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { headersFromEnvelope, type InboundEvent, type OutboundEvent } from '@fleet/kafka';

/** Returns the eventId of an inbound event: its envelope's, else its header's, else one derived from its coordinates. */
export function inboundEventId(event: InboundEvent): string {
  return headersFromEnvelope(event.value).eventId ?? event.correlation.eventId ?? deriveId('input', [event.topic, event.partition, event.offset]);
}

function eventTimeOf(event: InboundEvent): number {
  const v = event.value as { envelope?: { eventTimeUs?: unknown } } | null;
  const t = v?.envelope?.eventTimeUs;
  return typeof t === 'number' && Number.isSafeInteger(t) ? t : 0;
}

function instrumentOf(event: InboundEvent): string {
  const v = event.value as { instrument?: unknown } | null;
  return event.key ?? (typeof v?.instrument === 'string' ? v.instrument : '');
}

/** What a journal record is made of. */
export interface JournalArgs {
  /** The journaling service (the envelope's producer). */
  readonly producer: string;
  readonly consumerGroup: string;
  /** The journal topic (prefixed when the service runs with a topic prefix). */
  readonly spec: TopicSpec<InputJournal>;
  readonly input: InboundEvent;
  readonly outputs: readonly OutboundEvent[];
}

/**
 * Returns the input-journal record (Topics.journalInput) of one processed input: the group, the input's topic,
 * partition, offset and eventId, and the eventIds of the outputs produced from it, keyed by the
 * instrument. Its envelope is derived like any event's: causation is the input, event time is
 * the input's, and the sequence is the input offset + 1 (monotonic per instrument, since one
 * instrument lives on one partition; gaps are allowed).
 */
export function journalEvent(args: JournalArgs): OutboundEvent<InputJournal> {
  const { input } = args;
  const instrument = instrumentOf(input);
  const inputId = inboundEventId(input);
  const value = withEnvelope(
    { producer: args.producer, valueType: INPUT_JOURNAL_TYPE, instrument, sequence: Number(input.offset) + 1, eventTimeUs: eventTimeOf(input), causation: [inputId] },
    {
      instrument,
      consumerGroup: args.consumerGroup,
      inputs: [{ topic: input.topic, partition: input.partition, offset: Number(input.offset), eventId: inputId }],
      outputEventIds: args.outputs.map((o) => headersFromEnvelope(o.value).eventId ?? o.headers?.eventId ?? ''),
    },
  );
  return { spec: args.spec, schema: AVRO_SCHEMAS[INPUT_JOURNAL_TYPE], value, key: instrument };
}
