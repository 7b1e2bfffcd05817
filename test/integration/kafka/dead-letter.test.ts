/** Poison messages land in the dead-letter topic with their reason and raw bytes; the partition keeps flowing. */
import { AtLeastOnceConsumer, EventPublisher, frame } from '@fleet/kafka';
import { createIsolatedMetrics } from '@fleet/metrics';
import {
  appendSentinels,
  createTopics,
  deleteTopics,
  inputEvent,
  inputSchema,
  newClient,
  newCodec,
  readToSentinels,
  runId,
  testTopic,
  waitFor,
  type TestInput,
} from './fixtures';

jest.setTimeout(300_000);

describe('dead-letter handling', () => {
  const run = runId();
  const input = testTopic<TestInput>(`kafka-it-dlq-in-${run}`, 1);
  const dlq = testTopic(`kafka-it-dlq-${run}`, 1);

  beforeAll(() => createTopics([input, dlq]));
  afterAll(() => deleteTopics([input, dlq]));

  it('dead-letters garbage, a wrong magic byte, an unknown schema id and a corrupt body, and processes the next good message', async () => {
    const codec = newCodec();
    const client = newClient('kafka-it-dlq');
    const good = (seq: number) => codec.encode(input, inputSchema, inputEvent(run, seq));
    const goodBytes = await good(1);
    const poison: [string, Buffer][] = [
      ['too-short', Buffer.from('xy')],
      ['bad-magic-byte', Buffer.from('this is not avro at all')],
      ['bad-magic-byte', Buffer.concat([Buffer.from([7]), goodBytes.subarray(1)])],
      ['unknown-schema-id', frame(0x7fffff00, goodBytes.subarray(5))],
      ['invalid-payload', goodBytes.subarray(0, goodBytes.length - 3)],
    ];
    const producer = client.producer();
    await producer.connect();
    await producer.send([
      { topic: input.name, key: 'BTC-PERP', value: await good(0), headers: { 'x-event-id': 'good-0' } },
      ...poison.map(([reason, value]) => ({ topic: input.name, key: 'BTC-PERP', value, headers: { 'x-test-case': reason } })),
      { topic: input.name, key: 'BTC-PERP', value: goodBytes, headers: { 'x-event-id': 'good-1' } },
    ]);
    await producer.disconnect();

    const handled: number[] = [];
    const metrics = createIsolatedMetrics({ service: 'kafka-it-dlq', instance: run });
    const consumer = new AtLeastOnceConsumer({
      client,
      codec,
      groupId: `kafka-it-dlq-${run}`,
      subscriptions: [{ spec: input, schema: inputSchema }],
      deadLetter: dlq,
      metrics,
      lagIntervalMs: 0,
      handler: (event) => {
        handled.push((event.value as TestInput).seq);
      },
    });
    await consumer.start();
    try {
      await waitFor('the good message after the poison', () => handled.includes(1));
    } finally {
      await consumer.stop();
    }
    expect(handled).toEqual([0, 1]);

    await appendSentinels(dlq);
    const dead = await readToSentinels(dlq);
    expect(dead.map((d) => d.headers['x-dlq-reason'])).toEqual(poison.map(([reason]) => reason));
    dead.forEach((d, i) => {
      expect(d.value).toEqual(poison[i][1]);
      expect(d.key).toBe('BTC-PERP');
      expect(d.headers).toMatchObject({
        'x-test-case': poison[i][0],
        'x-dlq-source-topic': input.name,
        'x-dlq-source-partition': '0',
        'x-dlq-source-offset': String(i + 1),
        'x-dlq-error-class': 'DecodeError',
      });
      expect(d.headers['x-dlq-error-message'].length).toBeGreaterThan(0);
    });
    const body = (await metrics.exposition()).body;
    expect(body).toContain(`dead_letter_total{topic="${input.name}",reason="bad-magic-byte",service="kafka-it-dlq",instance="${run}"} 2`);
    expect(body).toContain(`dead_letter_total{topic="${input.name}",reason="unknown-schema-id",service="kafka-it-dlq",instance="${run}"} 1`);
    // The publisher is the normal way in; a good event published after the poison flows as well.
    const publisher = new EventPublisher(client.producer(), codec);
    await publisher.connect();
    await publisher.publish([{ spec: input, schema: inputSchema, value: inputEvent(run, 2), key: 'BTC-PERP' }]);
    await publisher.disconnect();
  });
});
