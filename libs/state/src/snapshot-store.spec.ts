import { encodeSnapshot } from './snapshot';
import { type KeyValuePort, SnapshotStore } from './snapshot-store';
import { Topics } from '@fleet/contracts';

class MapKv implements KeyValuePort {
  readonly data = new Map<string, string>();
  async get(key: string) {
    return this.data.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.data.set(key, value);
    return 'OK';
  }
  async del(key: string) {
    return this.data.delete(key) ? 1 : 0;
  }
}

const snapshot = {
  version: 2,
  offsets: [
    { topic: 'md.trades', partition: 1, offset: '10' },
    { topic: Topics.fvState.name, partition: 0, offset: '5' },
  ],
  payload: { positions: { 'BTC-PERP': '1.25' }, seq: 9 },
};

describe('snapshots', () => {
  it('round-trips under a key namespaced by service, offsets in canonical order', async () => {
    const kv = new MapKv();
    const store = new SnapshotStore(kv, 'risk-shield');
    const digest = await store.save('state', snapshot);
    expect([...kv.data.keys()]).toEqual(['fleet:risk-shield:snapshot:state']);
    const result = await store.load<typeof snapshot.payload>('state', 2);
    expect(result.kind).toBe('loaded');
    if (result.kind !== 'loaded') return;
    expect(result.snapshot.digest).toBe(digest);
    expect(result.snapshot.payload).toEqual(snapshot.payload);
    expect(result.snapshot.offsets.map((o) => o.topic)).toEqual([Topics.fvState.name, 'md.trades']);
  });

  it('encodes the same snapshot to the same bytes whatever the key and offset order', () => {
    const a = encodeSnapshot('s', 'n', snapshot);
    const b = encodeSnapshot('s', 'n', { payload: { seq: 9, positions: { 'BTC-PERP': '1.25' } }, offsets: [...snapshot.offsets].reverse(), version: 2 });
    expect(a).toBe(b);
  });

  it('answers rebuild when absent, malformed, tampered, of another version or of another service', async () => {
    const kv = new MapKv();
    const store = new SnapshotStore(kv, 'svc');
    expect(await store.load('state', 2)).toMatchObject({ kind: 'rebuild', reason: 'absent' });
    kv.data.set(store.keyOf('state'), '{not json');
    expect(await store.load('state', 2)).toMatchObject({ kind: 'rebuild', reason: 'malformed' });
    await store.save('state', snapshot);
    const text = kv.data.get(store.keyOf('state'))!;
    kv.data.set(store.keyOf('state'), text.replace('"1.25"', '"9.25"'));
    expect(await store.load('state', 2)).toMatchObject({ kind: 'rebuild', reason: 'digest-mismatch' });
    await store.save('state', snapshot);
    expect(await store.load('state', 3)).toMatchObject({ kind: 'rebuild', reason: 'version-mismatch' });
    kv.data.set(new SnapshotStore(kv, 'other').keyOf('state'), text);
    expect(await new SnapshotStore(kv, 'other').load('state', 2)).toMatchObject({ kind: 'rebuild', reason: 'identity-mismatch' });
    expect(await store.remove('state')).toBe(true);
    expect(await store.load('state', 2)).toMatchObject({ kind: 'rebuild', reason: 'absent' });
  });

  it('refuses to save a bad version or offset', async () => {
    const store = new SnapshotStore(new MapKv(), 'svc');
    await expect(store.save('x', { ...snapshot, version: -1 })).rejects.toThrow(RangeError);
    await expect(store.save('x', { ...snapshot, offsets: [{ topic: 't', partition: 0, offset: '-3' }] })).rejects.toThrow(RangeError);
  });
});
