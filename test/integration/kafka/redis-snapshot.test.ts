/**
 * Redis snapshots against the REAL Redis: round trip, then corrupt and absent snapshots make
 * load answer "rebuild", and the state rebuilt from the log equals the state that was saved.
 */
import { AtLeastOnceConsumer, EventPublisher } from '@fleet/kafka';
import { SnapshotStore, createRedis } from '@fleet/state';
import { createTopics, deleteTopics, env, inputEvent, inputSchema, newClient, newCodec, runId, testTopic, waitFor, type TestInput } from './fixtures';

jest.setTimeout(300_000);

/** The toy state: how many events and the last sequence seen per instrument. */
type State = Record<string, { count: number; lastSeq: number }>;

function apply(state: State, event: TestInput): void {
  const s = (state[event.instrument] ??= { count: 0, lastSeq: -1 });
  s.count += 1;
  s.lastSeq = Math.max(s.lastSeq, event.seq);
}

describe('Redis snapshots', () => {
  const run = runId();
  const service = `kafka-it-state-${run}`;
  const input = testTopic<TestInput>(`kafka-it-state-in-${run}`, 1);
  const dlq = testTopic(`kafka-it-state-dlq-${run}`, 1);
  const redis = createRedis(env('REDIS_URL'));
  const store = new SnapshotStore(redis, service);
  const N = 200;

  beforeAll(() => createTopics([input, dlq]));
  afterAll(async () => {
    await store.remove('positions');
    redis.disconnect();
    await deleteTopics([input, dlq]);
  });

  /** Folds the whole topic into a fresh state, as a service does when it must rebuild. */
  async function rebuildFromLog(group: string): Promise<{ state: State; nextOffset: string }> {
    const state: State = {};
    let last = '-1';
    let seen = 0;
    const consumer = new AtLeastOnceConsumer({
      client: newClient('kafka-it-state'),
      codec: newCodec(),
      groupId: group,
      subscriptions: [{ spec: input, schema: inputSchema }],
      deadLetter: dlq,
      lagIntervalMs: 0,
      handler: (event) => {
        apply(state, event.value as TestInput);
        last = event.offset;
        seen++;
      },
    });
    await consumer.start();
    try {
      await waitFor(`${N} events folded`, () => seen === N);
    } finally {
      await consumer.stop();
    }
    return { state, nextOffset: (BigInt(last) + 1n).toString() };
  }

  it('saves, loads, signals rebuild on corruption, absence and version change, and rebuilds the same state from the log', async () => {
    const publisher = new EventPublisher(newClient('kafka-it-state-pub').producer(), newCodec());
    await publisher.connect();
    await publisher.publish(Array.from({ length: N }, (_, seq) => ({ spec: input, schema: inputSchema, value: inputEvent(run, seq), key: null, partition: 0 })));
    await publisher.disconnect();

    const built = await rebuildFromLog(`${service}-first`);
    const digest = await store.save<State>('positions', { version: 1, offsets: [{ topic: input.name, partition: 0, offset: built.nextOffset }], payload: built.state });

    const loaded = await store.load<State>('positions', 1);
    expect(loaded.kind).toBe('loaded');
    if (loaded.kind !== 'loaded') return;
    expect(loaded.snapshot.digest).toBe(digest);
    expect(loaded.snapshot.payload).toEqual(built.state);
    expect(loaded.snapshot.offsets).toEqual([{ topic: input.name, partition: 0, offset: String(N) }]);

    expect(await store.load<State>('positions', 2)).toMatchObject({ kind: 'rebuild', reason: 'version-mismatch' });

    const text = (await redis.get(store.keyOf('positions')))!;
    await redis.set(store.keyOf('positions'), text.replace('"count":40', '"count":41'));
    expect(await store.load<State>('positions', 1)).toMatchObject({ kind: 'rebuild', reason: 'digest-mismatch' });
    await redis.set(store.keyOf('positions'), text.slice(0, text.length / 2));
    expect(await store.load<State>('positions', 1)).toMatchObject({ kind: 'rebuild', reason: 'malformed' });
    await store.remove('positions');
    expect(await store.load<State>('positions', 1)).toMatchObject({ kind: 'rebuild', reason: 'absent' });

    const rebuilt = await rebuildFromLog(`${service}-rebuild`);
    expect(rebuilt.state).toEqual(loaded.snapshot.payload);
    expect(await store.save<State>('positions', { version: 1, offsets: [{ topic: input.name, partition: 0, offset: rebuilt.nextOffset }], payload: rebuilt.state })).toBe(digest);
  });
});
