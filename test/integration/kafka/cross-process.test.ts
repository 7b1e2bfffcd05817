/** An event written by one process (a spawned child) is read back unchanged, headers included, by a consumer in this process. */
import { AtLeastOnceConsumer, type InboundEvent } from '@fleet/kafka';
import { createIsolatedMetrics } from '@fleet/metrics';
import { spawnChild } from './child-process';
import { createTopics, deleteTopics, inputEvent, inputSchema, newClient, newCodec, runId, testTopic, waitFor, type TestInput } from './fixtures';

jest.setTimeout(300_000);

describe('one process produces, another consumes', () => {
  const run = runId();
  const input = testTopic<TestInput>(`kafka-it-xproc-${run}`, 3);
  const dlq = testTopic(`kafka-it-xproc-dlq-${run}`, 1);
  const N = 500;

  beforeAll(() => createTopics([input, dlq]));
  afterAll(() => deleteTopics([input, dlq]));

  it(`reads back all ${N} events unchanged, with their correlation headers`, async () => {
    const producer = spawnChild('produce-events.ts', [input.name, String(input.partitions), run, String(N)]);
    expect(await producer.exited).toBe(0);

    const received = new Map<number, InboundEvent>();
    const metrics = createIsolatedMetrics({ service: 'kafka-it', instance: run });
    const consumer = new AtLeastOnceConsumer({
      client: newClient('kafka-it-xproc-consumer'),
      codec: newCodec(),
      groupId: `kafka-it-xproc-${run}`,
      subscriptions: [{ spec: input, schema: inputSchema }],
      deadLetter: dlq,
      metrics,
      lagIntervalMs: 500,
      handler: (event) => {
        received.set((event.value as TestInput).seq, event);
      },
    });
    await consumer.start();
    try {
      await waitFor(`${N} events`, () => received.size === N);
      await waitFor('consumer_lag to reach zero', async () => {
        const text = (await metrics.exposition()).body;
        const lags = text.split('\n').filter((l) => l.startsWith('consumer_lag{'));
        return lags.length === input.partitions && lags.every((l) => l.endsWith(' 0'));
      });
    } finally {
      await consumer.stop();
    }
    for (let seq = 0; seq < N; seq++) {
      const event = received.get(seq)!;
      const expected = inputEvent(run, seq);
      expect(event.value).toEqual(expected);
      expect(event.key).toBe(expected.instrument);
      expect(event.headers).toEqual({
        'x-event-id': expected.envelope.eventId,
        'x-correlation-id': expected.envelope.correlationId,
        'x-causation': JSON.stringify(expected.envelope.causation),
        'x-producer': expected.envelope.producer,
      });
      expect(event.correlation).toEqual({
        eventId: expected.envelope.eventId,
        correlationId: expected.envelope.correlationId,
        causation: expected.envelope.causation,
        producer: expected.envelope.producer,
      });
    }
    const body = (await metrics.exposition()).body;
    expect(body).toContain(`events_in_total{topic="${input.name}",service="kafka-it",instance="${run}"} ${N}`);
  });
});
