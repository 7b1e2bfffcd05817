import { type LoggedRecord } from '@fleet/fleet-session';
import { activeGroupProblem, laneSnapshotName } from './offset-reset';
import { freshShadowPrefix, sameSlots, splitAtEnds } from './replay-run';
import { LANE, sessionFixture } from './testing/session-fixture';

const ID = '385d530f0efbc0ebb28ceb77';

describe('replay runs', () => {
  it('picks the first shadow prefix with no topics', () => {
    expect(freshShadowPrefix([`${ID}.md.book`], ID, 'quoting')).toBe(`${ID}.replay-quoting-1.`);
    expect(freshShadowPrefix([`${ID}.replay-quoting-1.strategy.intent`, `${ID}.replay-quoting-2.dead-letter`, `${ID}.replay-hedge-3.x`], ID, 'quoting')).toBe(`${ID}.replay-quoting-3.`);
  });

  it('splits a log at the recorded end offsets and pairs re-emitted outputs with the recorded slots', () => {
    const records = sessionFixture().records.filter((r) => r.producer === 'risk-shield');
    const ends = new Map([[records[0]!.topic, [{ partition: LANE, end: '1' }]]]);
    const split = splitAtEnds(records, ends);
    expect(split.recorded).toEqual([records[0]]);
    expect(split.after).toEqual(records.slice(1));
    const again: LoggedRecord[] = [{ ...records[0]!, offset: '99' }];
    expect(sameSlots(records, again)).toEqual(records.filter((r) => r.tick === records[0]!.tick && r.topic === records[0]!.topic));
  });

  it('refuses to reset a group that still has members, and names lane snapshots as the runtime does', () => {
    expect(activeGroupProblem('s.fleet.quoting', 'Empty', 0)).toBeUndefined();
    expect(activeGroupProblem('s.fleet.quoting', 'Stable', 1)).toBe('consumer group s.fleet.quoting has 1 active member(s) (state Stable): stop the service first (scale it to 0), then reset');
    expect(laneSnapshotName('s.fleet.quoting', 3)).toBe('s.fleet.quoting/lane-3');
  });
});
