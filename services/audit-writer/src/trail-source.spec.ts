import { auditTesting, UNDECODABLE_VALUE_TYPE } from '@fleet/audit';
import { AVRO_SCHEMAS, Topics } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { AvroCodec, type AvroSchemaJson, type IncomingRecord, LANE_HEADER } from '@fleet/kafka';
import { StubRegistry } from '@fleet/kafka/testing';
import { isTickMark, plainJson, trailSourceOf } from './trail-source';

const consumedTopic = `p.${Topics.orderEvent.name}`;

const record = (overrides: Partial<IncomingRecord>): IncomingRecord => ({
  topic: consumedTopic,
  partition: 3,
  offset: '41',
  key: Buffer.from('ETH-PERP'),
  value: null,
  headers: {},
  timestamp: '1700000000123',
  ...overrides,
});

describe('isTickMark', () => {
  it('is true for the mark header with an empty or null value only', () => {
    expect(isTickMark(record({ headers: { [LANE_HEADER.mark]: '12' }, value: Buffer.alloc(0) }))).toBe(true);
    expect(isTickMark(record({ headers: { [LANE_HEADER.mark]: '12' }, value: null }))).toBe(true);
    expect(isTickMark(record({ headers: { [LANE_HEADER.mark]: '12' }, value: Buffer.from([0, 0, 0, 0, 1]) }))).toBe(false);
    expect(isTickMark(record({ headers: { [LANE_HEADER.tick]: '12' }, value: Buffer.alloc(0) }))).toBe(false);
  });
});

describe('trailSourceOf', () => {
  const codec = new AvroCodec(new StubRegistry());
  const event = auditTesting.flowEvents({ instrument: 'ETH-PERP', orders: 1 }).find((e) => e.valueType === 'fleet.events.OrderEvent')!;

  it('decodes the value with the registry into the canonical plain JSON of the event', async () => {
    const value = await codec.encode(Topics.orderEvent, AVRO_SCHEMAS[event.valueType] as AvroSchemaJson, event.value);
    const { source, undecodable } = await trailSourceOf(codec, Topics.orderEvent, record({ value }));
    expect(undecodable).toBe(false);
    expect(source).toEqual({ topic: consumedTopic, partition: 3, offset: '41', key: 'ETH-PERP', timestampMs: 1_700_000_000_123, valueType: 'fleet.events.OrderEvent', value: JSON.parse(canonicalJson(event.value)) });
  });

  it('keeps bytes it cannot decode, with the reason, instead of dropping them', async () => {
    const { source, undecodable } = await trailSourceOf(codec, Topics.orderEvent, record({ value: Buffer.from([1, 2, 3]), key: null }));
    expect(undecodable).toBe(true);
    expect(source.valueType).toBe(UNDECODABLE_VALUE_TYPE);
    expect(source.key).toBeNull();
    expect(source.value).toMatchObject({ bytesBase64: 'AQID', reason: 'too-short' });
  });

  it('chains a tombstone as a null value of the topic type', async () => {
    const { source } = await trailSourceOf(codec, Topics.orderEvent, record({ value: null }));
    expect([source.valueType, source.value]).toEqual(['fleet.events.OrderEvent', null]);
  });
});

describe('plainJson', () => {
  it('turns bytes into base64, big integers into strings and non-finite numbers into their names', () => {
    class AvroRecord {
      constructor(
        readonly id: Buffer,
        readonly n: bigint,
        readonly x: number,
        readonly list: number[],
      ) {}
    }
    expect(plainJson(new AvroRecord(Buffer.from('hi'), 2n ** 70n, Number.NaN, [1, Number.NEGATIVE_INFINITY]))).toEqual({ id: 'aGk=', n: '1180591620717411303424', x: 'NaN', list: [1, '-Infinity'] });
  });
});
