import { Topics } from '@fleet/contracts';
import { DLQ_HEADER, type IncomingRecord, LANE_HEADER } from '@fleet/kafka';
import { classifyRecord, manifestEnds, markKey, partitionDone, readerGroupId, sortRecords } from './session-reader';
import { sessionFixture } from './testing/session-fixture';

const record = (headers: Record<string, string>): IncomingRecord => ({ topic: 'x', partition: 4, offset: '17', key: null, value: null, headers, timestamp: '1' });

describe('the session reader', () => {
  it('tells tick marks, dead letters and data records apart', () => {
    expect(classifyRecord(Topics.fvState.name, record({ [LANE_HEADER.mark]: '1', [LANE_HEADER.tick]: '9', [LANE_HEADER.producer]: 'fair-value' }))).toEqual({ kind: 'mark', mark: { topic: Topics.fvState.name, producer: 'fair-value', partition: 4, tick: 9 } });
    expect(classifyRecord(Topics.deadLetter.name, record({ [DLQ_HEADER.sourceTopic]: `s.${Topics.mdBook.name}`, [DLQ_HEADER.reason]: 'bad-framing' }))).toEqual({ kind: 'dead', note: { topic: `s.${Topics.mdBook.name}`, reason: 'bad-framing' } });
    expect(classifyRecord(Topics.fvState.name, record({ [LANE_HEADER.tick]: '3', [LANE_HEADER.producer]: 'fair-value' }))).toEqual({ kind: 'data', tick: 3, producer: 'fair-value' });
    expect(markKey(Topics.fvState.name, 'fair-value', 2)).toBe(`${Topics.fvState.name}/fair-value/2`);
  });

  it('knows a partition is read to its end: its last offset seen, or a quiet reader (trailing transaction markers)', () => {
    expect(partitionDone(10n, 9n, 0, 1000)).toBe(true);
    expect(partitionDone(10n, 7n, 400, 1000)).toBe(false);
    expect(partitionDone(10n, 7n, 1000, 1000)).toBe(true);
    expect(partitionDone(10n, undefined, 0, 1000)).toBe(false);
    expect(partitionDone(10n, undefined, 1500, 1000)).toBe(true);
    expect(partitionDone(0n, undefined, 0, 1000)).toBe(true);
  });

  it('reads the end offsets of a manifest, leaving out empty partitions', () => {
    expect([...manifestEnds({ [Topics.mdBook.name]: [{ partition: 0, end: '0' }, { partition: 3, end: '120' }], [Topics.fvState.name]: [{ partition: 3, end: '60' }] })]).toEqual([
      [Topics.mdBook.name, [{ partition: 3, end: '120' }]],
      [Topics.fvState.name, [{ partition: 3, end: '60' }]],
    ]);
  });

  it('sorts records by topic, partition and offset, and names throwaway groups uniquely', () => {
    const records = sessionFixture().records;
    const sorted = sortRecords([...records].reverse());
    expect(sorted).toHaveLength(records.length);
    expect(sorted.map((r) => `${r.topic}/${r.offset}`)).toEqual([...records].map((r) => `${r.topic}/${r.offset}`).sort((a, b) => (a.split('/')[0]! < b.split('/')[0]! ? -1 : a.split('/')[0]! > b.split('/')[0]! ? 1 : Number(a.split('/')[1]) - Number(b.split('/')[1]))));
    expect(readerGroupId('s.', 'log-reader')).not.toBe(readerGroupId('s.', 'log-reader'));
  });
});
