import { type TopicSpec } from '@fleet/contracts';
import { AvroCodec, type AdminPort, type ConsumerPort, type IncomingRecord, type InboundEvent, type KafkaClientPort, type RunOptions } from '@fleet/kafka';
import { StubRegistry } from '@fleet/kafka/testing';
import { SnapshotStore, type KeyValuePort } from '@fleet/state';
import { type RecoverableState } from './recoverable-state';
import { StateRecovery } from './state-recovery';

const topic: TopicSpec<{ n: number }> = { name: 'in', key: 'instrument', valueType: 'fleet.test.N', partitions: 2, retentionMs: -1, retentionBytes: -1, cleanupPolicy: 'delete', description: 'test input' };
const schema = { type: 'record', name: 'N', namespace: 'fleet.test', fields: [{ name: 'n', type: 'long' }] };

/** An in-memory log of one topic: consumers replay it partition by partition, the admin reports watermarks and the group's commits. */
class LogClient implements KafkaClientPort {
  readonly log = new Map<number, IncomingRecord[]>([
    [0, []],
    [1, []],
  ]);
  readonly committed = new Map<number, string>();
  reads = 0;
  append(partition: number, value: Buffer): void {
    const list = this.log.get(partition)!;
    list.push({ topic: topic.name, partition, offset: String(list.length), key: null, value, headers: {}, timestamp: '0' });
  }
  producer(): never {
    throw new Error('no producer in this stub');
  }
  consumer(): ConsumerPort {
    this.reads++;
    return {
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async (options: RunOptions) => {
        setImmediate(async () => {
          for (const [partition, messages] of this.log) {
            await options.eachBatch({
              topic: topic.name,
              partition,
              messages,
              highWatermark: String(messages.length),
              lastOffset: String(messages.length - 1),
              resolveOffset: () => undefined,
              heartbeat: async () => undefined,
              commitOffsetsIfNecessary: async () => undefined,
              commitOffsets: async () => undefined,
              isRunning: () => true,
              isStale: () => false,
            });
          }
        });
      },
      stop: async () => undefined,
      disconnect: async () => undefined,
      onAssignment: () => undefined,
      onCrash: () => undefined,
    };
  }
  admin(): AdminPort {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchCommittedOffsets: async () => [...this.log.keys()].map((p) => ({ topic: topic.name, partition: p, offset: this.committed.get(p) ?? '-1' })),
      fetchTopicOffsets: async () => [...this.log].map(([partition, list]) => ({ partition, low: '0', high: String(list.length) })),
      createTopics: async () => false,
      listTopics: async () => [],
      fetchTopicMetadata: async () => [],
      deleteTopics: async () => undefined,
    };
  }
}

/** The toy state: the values folded per partition, in order. */
class ListState implements RecoverableState<number[]> {
  readonly stateVersion = 1;
  readonly lists = new Map<number, number[]>();
  resetPartition(p: number): void {
    this.lists.delete(p);
  }
  exportPartition(p: number): number[] {
    return [...(this.lists.get(p) ?? [])];
  }
  importPartition(p: number, payload: number[]): void {
    this.lists.set(p, [...payload]);
  }
  replay(event: InboundEvent): void {
    this.apply(event);
  }
  apply(event: InboundEvent): void {
    this.lists.set(event.partition, [...(this.lists.get(event.partition) ?? []), (event.value as { n: number }).n]);
  }
}

class MemoryKv implements KeyValuePort {
  readonly data = new Map<string, string>();
  async get(k: string) {
    return this.data.get(k) ?? null;
  }
  async set(k: string, v: string) {
    this.data.set(k, v);
  }
  async del(k: string) {
    return this.data.delete(k) ? 1 : 0;
  }
}

describe('StateRecovery', () => {
  const codec = new AvroCodec(new StubRegistry());
  let client: LogClient;
  let kv: MemoryKv;

  beforeEach(async () => {
    client = new LogClient();
    kv = new MemoryKv();
    for (let n = 0; n < 10; n++) client.append(n % 2, await codec.encode(topic, schema, { n }));
    client.append(0, Buffer.from('poison'));
  });

  function recovery(state: ListState, snapshotEvery = 1000) {
    return new StateRecovery({ client, codec, store: new SnapshotStore(kv, 'svc'), state, subscription: { spec: topic, schema }, groupId: 'g', instance: 'i', snapshotEvery });
  }

  const event = (partition: number, offset: number): InboundEvent => ({ topic: topic.name, partition, offset: String(offset), key: null, value: { n: 2 * offset + partition }, headers: {}, correlation: {}, schemaId: 1, timestamp: '0' });

  it('rebuilds from the log up to the committed offsets, skipping what does not decode, when there is no snapshot', async () => {
    client.committed.set(0, '6').set(1, '3');
    const state = new ListState();
    const report = await recovery(state).recoverAll();
    expect(state.lists.get(0)).toEqual([0, 2, 4, 6, 8]);
    expect(state.lists.get(1)).toEqual([1, 3, 5]);
    expect(report.map((r) => [r.partition, r.source, r.replayed, r.nextOffset])).toEqual([
      [0, 'log', 5, '6'],
      [1, 'log', 3, '3'],
    ]);
  });

  it('starts from a snapshot and replays only what the group committed after it', async () => {
    client.committed.set(0, '2').set(1, '2');
    const first = new ListState();
    const r1 = recovery(first);
    await r1.recoverAll();
    expect(await r1.snapshotAll()).toBe(2);
    client.committed.set(0, '5').set(1, '5');
    const second = new ListState();
    const report = await recovery(second).recoverAll();
    expect(report.map((r) => [r.source, r.replayed])).toEqual([
      ['snapshot', 3],
      ['snapshot', 3],
    ]);
    expect(second.lists.get(0)).toEqual([0, 2, 4, 6, 8]);
    expect(second.lists.get(1)).toEqual([1, 3, 5, 7, 9]);
  });

  it('ignores a snapshot ahead of the committed offset and rebuilds from the start', async () => {
    client.committed.set(0, '5');
    const first = new ListState();
    const r1 = recovery(first);
    await r1.recoverAll();
    await r1.snapshotAll();
    client.committed.set(0, '3');
    const second = new ListState();
    const report = await recovery(second).recoverAll();
    expect(report[0]).toMatchObject({ source: 'log', replayed: 3, reason: 'snapshot at offset 5 is ahead of the committed offset 3' });
    expect(second.lists.get(0)).toEqual([0, 2, 4]);
  });

  it('catches a partition up when an input is redelivered below the next offset (an aborted transaction)', async () => {
    client.committed.set(0, '2');
    const state = new ListState();
    const r = recovery(state);
    await r.recoverAll();
    for (const offset of [2, 3]) {
      await r.beforeInput(event(0, offset));
      state.apply(event(0, offset));
      await r.afterInput(event(0, offset));
    }
    expect(state.lists.get(0)).toEqual([0, 2, 4, 6]);
    // The transaction of offsets 2 and 3 aborted; the consumer delivers offset 2 again.
    await r.beforeInput(event(0, 2));
    expect(state.lists.get(0)).toEqual([0, 2]);
    expect(r.positions().get(0)).toBe(2n);
  });

  it('catches up a partition owned anew after a rebalance, and not one it kept', async () => {
    client.committed.set(0, '1').set(1, '1');
    const state = new ListState();
    const r = recovery(state);
    await r.recoverAll();
    r.onAssignment([0, 1]);
    r.onAssignment([0]);
    r.onAssignment([0, 1]);
    const reads = client.reads;
    await r.beforeInput(event(0, 1));
    expect(client.reads).toBe(reads);
    state.lists.set(1, [999]);
    await r.beforeInput(event(1, 4));
    expect(client.reads).toBe(reads + 1);
    expect(state.lists.get(1)).toEqual([1, 3, 5, 7]);
  });

  it('saves a snapshot every N inputs, lagged by N so that it covers committed inputs only', async () => {
    client.committed.set(0, '0');
    const state = new ListState();
    const r = recovery(state, 2);
    await r.recoverAll();
    const name = r.snapshotName(0);
    for (let offset = 0; offset < 5; offset++) {
      state.apply(event(0, offset));
      await r.afterInput(event(0, offset));
      const stored = await new SnapshotStore(kv, 'svc').load<number[]>(name, 1);
      const expected = offset < 3 ? undefined : { offsets: [{ topic: 'in', partition: 0, offset: '2' }], payload: [0, 2] };
      if (expected === undefined) expect(stored.kind).toBe('rebuild');
      else expect(stored).toMatchObject({ kind: 'loaded', snapshot: expected });
    }
  });
});
