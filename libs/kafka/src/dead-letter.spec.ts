import { type TopicSpec } from '@fleet/contracts';
import { deadLetterRecord } from './dead-letter';
import { DecodeError } from './errors';

const dlq: TopicSpec = {
  name: 'test.dlq',
  key: 'none',
  valueType: 'bytes',
  partitions: 1,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  description: 'test dead letters',
};

describe('dead-letter records', () => {
  it('keeps key, raw bytes and headers and adds the reason and the source', () => {
    const raw = Buffer.from([9, 9, 9]);
    const record = deadLetterRecord(
      dlq,
      { topic: 'in', partition: 2, offset: '41', key: Buffer.from('BTC-PERP'), value: raw, headers: { 'x-correlation-id': 'c' }, timestamp: '0' },
      new DecodeError('bad-magic-byte', 'message starts with byte 9'),
    );
    expect(record.topic).toBe('test.dlq');
    expect(record.value).toBe(raw);
    expect(record.key?.toString()).toBe('BTC-PERP');
    expect(record.headers).toEqual({
      'x-correlation-id': 'c',
      'x-dlq-reason': 'bad-magic-byte',
      'x-dlq-source-topic': 'in',
      'x-dlq-source-partition': '2',
      'x-dlq-source-offset': '41',
      'x-dlq-error-class': 'DecodeError',
      'x-dlq-error-message': 'message starts with byte 9',
    });
  });

  it('classifies other failures as unclassified', () => {
    const record = deadLetterRecord(dlq, { topic: 'in', partition: 0, offset: '0', key: null, value: null, headers: {}, timestamp: '0' }, new TypeError('x'));
    expect(record.headers?.['x-dlq-reason']).toBe('unclassified');
    expect(record.headers?.['x-dlq-error-class']).toBe('TypeError');
  });
});
