import { type IncomingRecord, LANE_HEADER } from '@fleet/kafka';
import { LaneAligner } from './lane-aligner';

const inputs = [
  { topic: 'fv', producers: ['fair-value'], delayed: false },
  { topic: 'intent', producers: ['exit', 'hedge', 'quoting'], delayed: false },
  { topic: 'events', producers: ['router'], delayed: true },
];

function data(offset: number, tick: number, producer: string, value = `${producer}@${tick}`): IncomingRecord {
  return { topic: 'x', partition: 0, offset: String(offset), key: null, value: Buffer.from(value), headers: { [LANE_HEADER.tick]: String(tick), [LANE_HEADER.producer]: producer }, timestamp: '0' };
}

function mark(offset: number, tick: number, producer: string): IncomingRecord {
  return { ...data(offset, tick, producer), value: null, headers: { [LANE_HEADER.tick]: String(tick), [LANE_HEADER.producer]: producer, [LANE_HEADER.mark]: '1', [LANE_HEADER.tickTimeUs]: String(1_767_225_600_000_000 + 1000 * (tick + 1)) } };
}

const values = (a: LaneAligner): string[] => a.ready()!.records.map((r) => `${r.topic}:${r.record.value!.toString()}`);

/** Feeds tick 0 of every input except `skip`, in the given interleaving. */
function feedTick0(a: LaneAligner, order: 'forward' | 'reverse'): void {
  const steps: [string, IncomingRecord][] = [
    ['fv', data(0, 0, 'fair-value')],
    ['fv', mark(1, 0, 'fair-value')],
    ['intent', data(0, 0, 'quoting')],
    ['intent', data(1, 0, 'hedge')],
    ['intent', mark(2, 0, 'quoting')],
    ['intent', data(3, 0, 'exit')],
    ['intent', mark(4, 0, 'hedge')],
    ['intent', mark(5, 0, 'exit')],
  ];
  const ordered = order === 'forward' ? steps : [...steps].reverse();
  // Within one topic-partition the broker keeps offset order, so only the topics interleave differently.
  const byTopic = (t: string) => ordered.filter(([x]) => x === t).sort((p, q) => Number(p[1].offset) - Number(q[1].offset));
  const fv = byTopic('fv');
  const intent = byTopic('intent');
  const merged = order === 'forward' ? [...fv, ...intent] : [...intent, ...fv];
  for (const [topic, record] of merged) a.add(topic, record);
}

describe('LaneAligner', () => {
  it('holds a tick until every producer of every undelayed input has closed it', () => {
    const a = new LaneAligner(inputs);
    a.add('fv', data(0, 0, 'fair-value'));
    a.add('fv', mark(1, 0, 'fair-value'));
    a.add('intent', mark(0, 0, 'quoting'));
    a.add('intent', mark(1, 0, 'hedge'));
    expect(a.ready()).toBeUndefined();
    a.add('intent', mark(2, 0, 'exit'));
    expect(a.ready()).toMatchObject({ tick: 0, tickTimeUs: 1_767_225_600_001_000 });
  });

  it('orders a tick canonically (inputs, then producer, then offset) whatever the arrival interleaving', () => {
    const forward = new LaneAligner(inputs);
    const reverse = new LaneAligner(inputs);
    feedTick0(forward, 'forward');
    feedTick0(reverse, 'reverse');
    expect(values(forward)).toEqual(['fv:fair-value@0', 'intent:exit@0', 'intent:hedge@0', 'intent:quoting@0']);
    expect(values(reverse)).toEqual(values(forward));
  });

  it('feeds a delayed input one tick late and keeps records of a later tick for later', () => {
    const a = new LaneAligner(inputs);
    feedTick0(a, 'forward');
    a.add('events', data(0, 0, 'router', 'fill'));
    a.add('intent', data(6, 1, 'quoting', 'early'));
    expect(values(a)).not.toContain('events:fill');
    a.complete(0);
    a.add('fv', mark(2, 1, 'fair-value'));
    for (const [o, p] of [[7, 'quoting'], [8, 'hedge'], [9, 'exit']] as const) a.add('intent', mark(o, 1, p));
    expect(a.ready()).toBeUndefined(); // the router has not closed tick 0 yet
    a.add('events', mark(1, 0, 'router'));
    expect(values(a)).toEqual(['intent:early', 'events:fill']);
  });

  it('resumes at the first record still needed and drops what a restart re-reads', () => {
    const a = new LaneAligner(inputs);
    feedTick0(a, 'forward');
    a.add('intent', data(6, 1, 'quoting', 'next'));
    a.add('events', data(0, 0, 'router', 'fill'));
    a.complete(0);
    expect(Object.fromEntries(a.resumeOffsets())).toEqual({ fv: 2n, intent: 6n, events: 0n });

    const restarted = new LaneAligner(inputs, 0);
    restarted.add('intent', data(1, 0, 'hedge')); // already processed: dropped
    restarted.add('intent', data(6, 1, 'quoting', 'next'));
    restarted.add('events', data(0, 0, 'router', 'fill'));
    restarted.add('events', mark(1, 0, 'router'));
    restarted.add('fv', mark(2, 1, 'fair-value'));
    for (const [o, p] of [[7, 'quoting'], [8, 'hedge'], [9, 'exit']] as const) restarted.add('intent', mark(o, 1, p));
    expect(values(restarted)).toEqual(['intent:next', 'events:fill']);
  });

  it('ignores a redelivery of records it has already seen (a rejoin resumes from the committed offset)', () => {
    const once = new LaneAligner(inputs);
    const twice = new LaneAligner(inputs);
    feedTick0(once, 'forward');
    feedTick0(twice, 'forward');
    feedTick0(twice, 'forward');
    expect(values(twice)).toEqual(values(once));
  });

  it('sends records without lane headers to the next tick as strays', () => {
    const a = new LaneAligner(inputs);
    a.add('events', { ...data(0, 0, 'router'), headers: {} });
    feedTick0(a, 'forward');
    const ready = a.ready()!;
    expect(ready.strays.map((s) => s.record.offset)).toEqual(['0']);
    expect(ready.records).toHaveLength(4);
  });
});
