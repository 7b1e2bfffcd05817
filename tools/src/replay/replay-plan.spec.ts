import { Topics } from '@fleet/contracts';
import { pendingSlots, planReplay, ReplayPlanError } from './replay-plan';
import { type SessionLog } from './session-reader';
import { LANE, sessionFixture } from './testing/session-fixture';

const fx = sessionFixture();
const log: SessionLog = {
  records: fx.records,
  marks: [
    { topic: Topics.riskState.name, producer: 'risk-shield', partition: LANE, tick: 2 },
    { topic: Topics.riskDecision.name, producer: 'risk-shield', partition: LANE, tick: 2 },
    { topic: Topics.riskState.name, producer: 'risk-shield', partition: 0, tick: 1 },
    { topic: Topics.riskDecision.name, producer: 'risk-shield', partition: 0, tick: 1 },
    { topic: Topics.fvState.name, producer: 'fair-value', partition: LANE, tick: 2 },
  ],
  deadLetters: [],
  undecodable: 0,
};

describe('planReplay', () => {
  it('reads the output slots, lanes and last closed tick of a service off its tick marks', () => {
    const plan = planReplay(log, 'risk-shield');
    expect(plan.topics).toEqual([Topics.riskDecision.name, Topics.riskState.name]);
    expect(plan.lanes).toEqual([0, LANE]);
    expect(plan.slots).toHaveLength(4);
    expect(plan.lastRecordedTick).toBe(1);
    expect(plan.toTick).toBe(1);
    expect(plan.recorded.map((r) => r.value.envelope.eventId)).toEqual(fx.records.filter((r) => r.producer === 'risk-shield').map((r) => r.value.envelope.eventId));
  });

  it('stops at --to-tick and refuses a tick the recording did not close', () => {
    const plan = planReplay(log, 'risk-shield', 0);
    expect(plan.recorded.every((r) => r.tick === 0)).toBe(true);
    expect(plan.recorded.map((r) => r.value.envelope.eventId)).toContain(fx.sell.decision);
    expect(() => planReplay(log, 'risk-shield', 2)).toThrow('--to-tick must be from 0 to 1, the last tick risk-shield closed on every lane; received 2');
    expect(() => planReplay(log, 'quoting')).toThrow(new ReplayPlanError("the session's log holds no tick mark of quoting (producers with marks: fair-value, risk-shield)"));
  });

  it('lists the slots a replay has not closed yet', () => {
    const plan = planReplay(log, 'risk-shield');
    const closed = new Map([[`${Topics.riskState.name}/0`, 1], [`${Topics.riskDecision.name}/0`, 1], [`${Topics.riskState.name}/${LANE}`, 1]]);
    expect(pendingSlots(plan, (topic, partition) => closed.get(`${topic}/${partition}`) ?? -1)).toEqual([{ topic: Topics.riskDecision.name, partition: LANE }]);
  });
});
