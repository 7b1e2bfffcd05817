import { type TopicSpec } from '@fleet/contracts';
import { AtLeastOnceConsumer } from './at-least-once-consumer';
import { AvroCodec, type AvroSchemaJson } from './avro-codec';
import { type IncomingRecord } from './client';
import { TransactionalProcessor } from './transactional-processor';
import { StubClient, StubRegistry } from './testing/stub-client';

const spec = (name: string): TopicSpec<{ n: number }> => ({
  name,
  key: 'none',
  valueType: 'test.N',
  partitions: 1,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  description: name,
});
const input = spec('in');
const output = spec('out');
const dlq = spec('dlq');
const schema: AvroSchemaJson = { type: 'record', name: 'N', namespace: 'test', fields: [{ name: 'n', type: 'long' }] };

async function records(codec: AvroCodec, values: (number | 'poison')[]): Promise<IncomingRecord[]> {
  return Promise.all(
    values.map(async (v, i) => ({
      topic: 'in',
      partition: 0,
      offset: String(i),
      key: null,
      value: v === 'poison' ? Buffer.from('poison') : await codec.encode(input, schema, { n: v }),
      headers: {},
      timestamp: '0',
    })),
  );
}

describe('AtLeastOnceConsumer', () => {
  it('resolves an offset only after its handler finished, dead-letters poison and moves on', async () => {
    const client = new StubClient();
    const codec = new AvroCodec(new StubRegistry());
    const consumer = new AtLeastOnceConsumer({
      client,
      codec,
      groupId: 'g',
      subscriptions: [{ spec: input, schema }],
      deadLetter: dlq,
      lagIntervalMs: 0,
      handler: async (e) => {
        await new Promise((r) => setImmediate(r));
        client.steps.push({ op: 'handled', offset: e.offset });
      },
    });
    await consumer.start();
    await client.consumerStub!.deliver('in', 0, await records(codec, [1, 'poison', 2]));
    expect(client.steps.map((s) => `${s.op}:${'offset' in s ? s.offset : 'offsets' in s && typeof s.offsets === 'string' ? s.offsets : ''}`)).toEqual([
      'handled:0',
      'resolve:0',
      'send:',
      'resolve:1',
      'handled:2',
      'resolve:2',
    ]);
    const dead = client.steps.find((s) => s.op === 'send');
    expect(dead && dead.op === 'send' && dead.records[0].headers?.['x-dlq-reason']).toBe('bad-magic-byte');
  });

  it('when stopped mid-batch, finishes the message in hand, commits it and leaves the rest', async () => {
    const client = new StubClient();
    const codec = new AvroCodec(new StubRegistry());
    const handled: string[] = [];
    const consumer = new AtLeastOnceConsumer({ client, codec, groupId: 'g', subscriptions: [{ spec: input, schema }], deadLetter: dlq, lagIntervalMs: 0, handler: (e) => void handled.push(e.offset) });
    await consumer.start();
    await client.consumerStub!.deliver('in', 0, await records(codec, [1, 2, 3, 4]), 2);
    expect(handled).toEqual(['0', '1']);
    expect(client.steps.filter((s) => s.op === 'commit-offsets')).toEqual([{ op: 'commit-offsets', offsets: 'in/0@2' }]);
  });
});

describe('TransactionalProcessor', () => {
  const make = (client: StubClient, codec: AvroCodec, handled: number[]) =>
    new TransactionalProcessor({
      client,
      codec,
      groupId: 'g',
      subscriptions: [{ spec: input, schema }],
      deadLetter: dlq,
      lagIntervalMs: 0,
      maxMessagesPerTransaction: 2,
      handler: (e) => {
        const n = (e.value as { n: number }).n;
        handled.push(n);
        return [{ spec: output, schema, value: { n: n * 10 }, key: null }];
      },
    });

  it('writes outputs and the next input offset in one transaction per chunk, on the partition\'s own transactional id', async () => {
    const client = new StubClient();
    const codec = new AvroCodec(new StubRegistry());
    const handled: number[] = [];
    const processor = make(client, codec, handled);
    await processor.start();
    client.consumerStub!.assign({ in: [0] });
    await client.consumerStub!.deliver('in', 0, await records(codec, [1, 'poison', 3]));
    const ops = client.steps.map((s) => s.op);
    expect(ops).toEqual(['begin', 'tx-send', 'send-offsets', 'commit', 'resolve', 'begin', 'tx-send', 'send-offsets', 'commit', 'resolve']);
    expect(new Set(client.steps.filter((s) => 'producer' in s).map((s) => (s as { producer: string }).producer))).toEqual(new Set(['g-in-0']));
    const offsets = client.steps.filter((s) => s.op === 'send-offsets').map((s) => (s.op === 'send-offsets' ? s.offsets[0].offset : ''));
    expect(offsets).toEqual(['2', '3']);
    const firstSend = client.steps.find((s) => s.op === 'tx-send');
    expect(firstSend && firstSend.op === 'tx-send' && firstSend.records.map((r) => r.topic)).toEqual(['out', 'dlq']);
    expect(handled).toEqual([1, 3]);
  });

  it('aborts a failed commit and retries the same outputs without running the handler again', async () => {
    const client = new StubClient();
    const codec = new AvroCodec(new StubRegistry());
    const handled: number[] = [];
    const processor = make(client, codec, handled);
    await processor.start();
    client.consumerStub!.assign({ in: [0] });
    await new Promise((r) => setImmediate(r));
    client.producers.get('g-in-0')!.commitFailures.push(new Error('The coordinator is not available'));
    await client.consumerStub!.deliver('in', 0, await records(codec, [1, 2]));
    expect(client.steps.map((s) => s.op)).toEqual(['begin', 'tx-send', 'send-offsets', 'abort', 'begin', 'tx-send', 'send-offsets', 'commit', 'resolve']);
    expect(handled).toEqual([1, 2]);
  });

  it('gives up the partition on fencing instead of fencing the new owner back', async () => {
    const client = new StubClient();
    const codec = new AvroCodec(new StubRegistry());
    const processor = make(client, codec, []);
    await processor.start();
    client.consumerStub!.assign({ in: [0] });
    await new Promise((r) => setImmediate(r));
    client.producers.get('g-in-0')!.commitFailures.push(Object.assign(new Error('old epoch'), { type: 'INVALID_PRODUCER_EPOCH' }));
    await expect(client.consumerStub!.deliver('in', 0, await records(codec, [1]))).rejects.toThrow('old epoch');
    expect(client.steps.map((s) => s.op)).toEqual(['begin', 'tx-send', 'send-offsets', 'abort']);
  });
});
