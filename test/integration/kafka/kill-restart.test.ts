/**
 * A consumer killed with SIGKILL mid-stream and restarted loses nothing. On the transactional
 * path it also produces no duplicate output: exactly one committed output per input. On the
 * at-least-once path (the NestJS transport) duplicates are allowed; they are counted and logged.
 */
import { EventPublisher } from '@fleet/kafka';
import { spawnChild, type Child } from './child-process';
import {
  appendSentinels,
  createTopics,
  deleteTopics,
  groupCaughtUp,
  inputEvent,
  inputSchema,
  newClient,
  newCodec,
  outputSchema,
  readToSentinels,
  runId,
  testTopic,
  waitFor,
  type ReadRecord,
  type TestInput,
  type TestOutput,
} from './fixtures';

jest.setTimeout(600_000);

const N = 3000;

async function produceInputs(spec: ReturnType<typeof testTopic<TestInput>>, run: string): Promise<Set<string>> {
  const publisher = new EventPublisher(newClient('kafka-it-kill-inputs').producer(), newCodec());
  await publisher.connect();
  const ids = new Set<string>();
  for (let start = 0; start < N; start += 250) {
    const events = [];
    for (let seq = start; seq < start + 250; seq++) {
      const value = inputEvent(run, seq);
      ids.add(value.envelope.eventId);
      events.push({ spec, schema: inputSchema, value, key: value.instrument });
    }
    await publisher.publish(events);
  }
  await publisher.disconnect();
  return ids;
}

/** Counts output records as they become visible to a read_committed consumer. */
async function countVisibleOutputs(spec: ReturnType<typeof testTopic>, run: string): Promise<{ count: () => number; stop: () => Promise<void> }> {
  const consumer = newClient('kafka-it-kill-watch').consumer({ groupId: `kafka-it-kill-watch-${run}-${spec.name}` });
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe([spec.name], true);
  await consumer.run({
    autoCommit: false,
    eachBatch: async (batch) => {
      seen += batch.messages.length;
      for (const m of batch.messages) batch.resolveOffset(m.offset);
    },
  });
  return { count: () => seen, stop: () => consumer.disconnect() };
}

async function decodeOutputs(records: ReadRecord[]): Promise<TestOutput[]> {
  const codec = newCodec();
  return Promise.all(records.map(async (r) => (await codec.decode<TestOutput>(r.value, outputSchema)).value));
}

async function killMidStreamAndRestart(script: string, args: string[], outputs: ReturnType<typeof testTopic>, group: string, input: string, run: string): Promise<{ killedAfter: number }> {
  const watch = await countVisibleOutputs(outputs, run);
  let child: Child = spawnChild(script, args);
  let killedAfter = 0;
  try {
    await waitFor('some outputs to be visible', () => watch.count() >= 300, 180_000);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    killedAfter = watch.count();
    child = spawnChild(script, args);
    await waitFor(`group ${group} to commit every input`, () => groupCaughtUp(group, input), 300_000, 1_000);
    child.process.kill('SIGTERM');
    // The plain child exits 0; a Nest app with enableShutdownHooks re-raises SIGTERM after closing.
    expect([0, 'SIGTERM']).toContain(await child.exited);
    if ((await child.exited) !== 0) expect(child.output()).toContain('shutdown complete (SIGTERM)');
  } catch (error) {
    child.process.kill('SIGKILL');
    throw new Error(`${String(error)}\nchild output:\n${child.output()}`);
  } finally {
    await watch.stop();
  }
  return { killedAfter };
}

describe('SIGKILL mid-stream and restart', () => {
  const run = runId();
  const input = testTopic<TestInput>(`kafka-it-kill-in-${run}`, 3);
  const txOut = testTopic<TestOutput>(`kafka-it-kill-txout-${run}`, 3, 'fleet.test.TestOutput');
  const aloOut = testTopic<TestOutput>(`kafka-it-kill-aloout-${run}`, 3, 'fleet.test.TestOutput');
  const dlq = testTopic(`kafka-it-kill-dlq-${run}`, 1);
  let inputIds: Set<string>;

  beforeAll(async () => {
    await createTopics([input, txOut, aloOut, dlq]);
    inputIds = await produceInputs(input, run);
  });
  afterAll(() => deleteTopics([input, txOut, aloOut, dlq]));

  it(`transactional path: ${N} inputs give exactly ${N} committed outputs, no duplicates`, async () => {
    const group = `kafka-it-kill-tx-${run}`;
    const args = [group, input.name, String(input.partitions), txOut.name, String(txOut.partitions), dlq.name];
    const { killedAfter } = await killMidStreamAndRestart('tx-processor.ts', args, txOut, group, input.name, run);
    await appendSentinels(txOut);
    const outputs = await decodeOutputs(await readToSentinels(txOut));
    const ids = outputs.map((o) => o.inputId);
    process.stdout.write(`transactional: killed after ${killedAfter} visible outputs; ${outputs.length} committed outputs for ${N} inputs\n`);
    expect(outputs.length).toBe(N);
    expect(new Set(ids).size).toBe(N);
    expect(new Set(ids)).toEqual(inputIds);
  });

  it(`at-least-once path (NestJS transport): all ${N} inputs have an output after SIGKILL; duplicates counted`, async () => {
    const group = `kafka-it-kill-alo-${run}`;
    const args = [group, input.name, String(input.partitions), aloOut.name, String(aloOut.partitions), dlq.name];
    const { killedAfter } = await killMidStreamAndRestart('alo-nest-consumer.ts', args, aloOut, group, input.name, run);
    await appendSentinels(aloOut);
    const outputs = await decodeOutputs(await readToSentinels(aloOut));
    const ids = new Set(outputs.map((o) => o.inputId));
    process.stdout.write(`at-least-once: killed after ${killedAfter} visible outputs; ${outputs.length} outputs for ${N} inputs, ${outputs.length - ids.size} duplicates\n`);
    expect(ids).toEqual(inputIds);
    expect(outputs.length).toBeGreaterThanOrEqual(N);
  });
});
