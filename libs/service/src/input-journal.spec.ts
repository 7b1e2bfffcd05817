import { AVRO_SCHEMAS, FAIR_VALUE_STATE_TYPE, Topics } from '@fleet/contracts';
import { checkEnvelope, withEnvelope } from '@fleet/events';
import { type InboundEvent } from '@fleet/kafka';
import { inboundEventId, journalEvent } from './input-journal';

function inbound(value: unknown, offset = '41'): InboundEvent {
  return { topic: Topics.mdBook.name, partition: 3, offset, key: 'BTC-PERP', value, headers: {}, correlation: {}, schemaId: 1, timestamp: '0' };
}

describe('input journal', () => {
  const book = withEnvelope(
    { producer: 'market-gateway', valueType: 'fleet.data.BookSnapshot', instrument: 'BTC-PERP', sequence: 1, eventTimeUs: 1_767_225_600_000_000, causation: [] },
    { instrument: 'BTC-PERP', venue: 'venue-a' },
  );
  const output = withEnvelope(
    { producer: 'fair-value', valueType: FAIR_VALUE_STATE_TYPE, instrument: 'BTC-PERP', sequence: 1, eventTimeUs: 1_767_225_600_000_000, causation: [book.envelope.eventId] },
    { instrument: 'BTC-PERP' },
  );

  it('records the group, the input coordinates and eventId, and the output eventIds', () => {
    const out = [{ spec: Topics.fvState, schema: AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE], value: output, key: 'BTC-PERP' }];
    const journal = journalEvent({ producer: 'fair-value', consumerGroup: 'fleet.fair-value', spec: Topics.journalInput, input: inbound(book), outputs: out as never });
    expect(journal.spec).toBe(Topics.journalInput);
    expect(journal.key).toBe('BTC-PERP');
    expect(journal.value).toMatchObject({
      instrument: 'BTC-PERP',
      consumerGroup: 'fleet.fair-value',
      inputs: [{ topic: Topics.mdBook.name, partition: 3, offset: 41, eventId: book.envelope.eventId }],
      outputEventIds: [output.envelope.eventId],
    });
    expect(journal.value.envelope).toMatchObject({ causation: [book.envelope.eventId], sequence: 42, eventTimeUs: 1_767_225_600_000_000, producer: 'fair-value' });
    expect(checkEnvelope(journal.value)).toBeUndefined();
  });

  it('derives the same record from the same input', () => {
    const a = journalEvent({ producer: 'fair-value', consumerGroup: 'g', spec: Topics.journalInput, input: inbound(book), outputs: [] });
    const b = journalEvent({ producer: 'fair-value', consumerGroup: 'g', spec: Topics.journalInput, input: inbound(book), outputs: [] });
    expect(a.value).toEqual(b.value);
    expect(journalEvent({ producer: 'fair-value', consumerGroup: 'g', spec: Topics.journalInput, input: inbound(book, '42'), outputs: [] }).value.envelope.eventId).not.toBe(a.value.envelope.eventId);
  });

  it('derives an input id from the coordinates when the input has no envelope', () => {
    const id = inboundEventId(inbound({ instrument: 'BTC-PERP' }));
    expect(id).toMatch(/^[0-9a-f]+$/);
    expect(inboundEventId(inbound({ instrument: 'BTC-PERP' }))).toBe(id);
  });
});
