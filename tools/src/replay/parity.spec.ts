import { INPUT_JOURNAL_TYPE, RISK_DECISION_TYPE, type RiskDecision, Topics } from '@fleet/contracts';
import { withEnvelope } from '@fleet/events';
import { type LoggedRecord } from '@fleet/fleet-session';
import { compareConsumption, compareDecisions, comparePaths, formatConsumption, formatParityReport, leaves, payloadOf, sideBySide } from './parity';
import { sessionFixture } from './testing/session-fixture';

const fx = sessionFixture();
const recorded = fx.records.filter((r) => r.producer === 'risk-shield');
/** The same decisions as a shadow writes them: other offsets on other topics, same events. */
const shadow = (records: readonly LoggedRecord[]): LoggedRecord[] => records.map((r) => ({ ...r, offset: String(BigInt(r.offset) + 1000n), timestampMs: r.timestampMs + 5 }));

/** Returns `r` with its decision changed to `change`, re-enveloped as risk-shield would. */
function redecided(r: LoggedRecord, change: Partial<RiskDecision>): LoggedRecord {
  const { envelope, ...payload } = r.value as unknown as RiskDecision;
  const value = withEnvelope({ producer: envelope.producer, valueType: RISK_DECISION_TYPE, instrument: payload.instrument, sequence: envelope.sequence, eventTimeUs: envelope.eventTimeUs, causation: envelope.causation }, { ...payload, ...change });
  return { ...r, value: value as unknown as LoggedRecord['value'] };
}

describe('compareDecisions', () => {
  it('reports full parity when the replay wrote the same events, wherever it wrote them', () => {
    const report = compareDecisions(recorded, shadow([...recorded].reverse()));
    expect(report).toEqual({ compared: recorded.length, identical: recorded.length, recorded: recorded.length, replayed: recorded.length, firstDivergence: undefined });
    expect(formatParityReport(report, 'risk-shield').split('\n').slice(0, 3)).toEqual([`decisions compared: ${recorded.length}`, `identical: ${recorded.length}`, `parity: ${recorded.length}/${recorded.length} (100.00%)`]);
  });

  it('finds the first divergence in canonical order and keeps comparing later ticks slot by slot', () => {
    const sell = recorded.find((r) => r.value.envelope.eventId === fx.sell.decision)!;
    const hedge = recorded.find((r) => r.value.envelope.eventId === fx.hedge.decision)!;
    const replayed = shadow(recorded.map((r) => (r === sell ? redecided(r, { outcome: 'APPROVED', reason: null }) : r === hedge ? redecided(r, { outcome: 'DENIED', reason: 'DELTA_LIMIT' }) : r)));
    const report = compareDecisions(recorded, replayed);
    expect(report.compared).toBe(recorded.length);
    expect(report.identical).toBe(recorded.length - 2);
    const d = report.firstDivergence!;
    expect([d.tick, d.partition, d.topic, d.index]).toEqual([sell.tick, sell.partition, Topics.riskDecision.name, 1]);
    expect(d.recorded).toBe(sell);
    expect((d.replayed!.value as unknown as RiskDecision).outcome).toBe('APPROVED');
    const rows = sideBySide(d);
    expect(rows.filter((l) => l.startsWith('*')).map((l) => l.split(/\s+/)[1])).toEqual(['envelope.eventId', 'envelope.digest', 'outcome', 'reason']);
    const text = formatParityReport(report, 'risk-shield');
    expect(text).toContain(`parity: ${recorded.length - 2}/${recorded.length} (${((100 * (recorded.length - 2)) / recorded.length).toFixed(2)}%)`);
    expect(text).toContain(`first divergence: tick ${sell.tick}, lane ${sell.partition}, topic ${Topics.riskDecision.name}, decision 2 of risk-shield`);
  });

  it('reports a decision the replay did not make, and one it made in addition', () => {
    const missing = compareDecisions(recorded, shadow(recorded.filter((r) => r.value.envelope.eventId !== fx.hedge.decision)));
    expect(missing.firstDivergence).toMatchObject({ tick: 1, topic: Topics.riskDecision.name, index: 0, replayed: undefined });
    expect(missing.compared - missing.identical).toBe(1);
    const extra = compareDecisions(recorded.filter((r) => r.value.envelope.eventId !== fx.hedge.decision), shadow(recorded));
    expect(extra.firstDivergence).toMatchObject({ tick: 1, index: 0, recorded: undefined });
    expect(formatParityReport(extra, 'risk-shield')).toContain('the replay produced a decision the recording does not have');
  });

  it('flattens payloads to sorted leaf paths for the side-by-side view', () => {
    const sell = recorded.find((r) => r.value.envelope.eventId === fx.sell.decision)!;
    const flat = leaves(payloadOf(sell));
    expect(flat.get('outcome')).toBe('"DENIED"');
    expect(flat.get('intent.modelInputs.halfSpread')).toBe('0.25');
    expect([...flat.keys()]).toEqual([...flat.keys()].sort());
    expect(['observations[10].mid', 'sigma', 'observations[2].venue', 'observations[2].mid', 'intent.size'].sort(comparePaths)).toEqual(['intent.size', 'observations[2].mid', 'observations[2].venue', 'observations[10].mid', 'sigma']);
  });
});

describe('compareConsumption', () => {
  const journal = (tick: number, inputs: string[], group: string): LoggedRecord => {
    const value = withEnvelope({ producer: 'risk-shield', valueType: INPUT_JOURNAL_TYPE, instrument: 'lane-3', sequence: tick + 1, eventTimeUs: 1, causation: [] }, { instrument: 'lane-3', consumerGroup: group, inputs: inputs.map((eventId, i) => ({ topic: Topics.fvState.name, partition: 3, offset: i, eventId })), outputEventIds: [] });
    return { topic: Topics.journalInput.name, partition: 3, offset: String(tick), tick, producer: 'risk-shield', timestampMs: 0, value: value as unknown as LoggedRecord['value'] };
  };

  it('compares the input order tick by tick, ignoring the consumer group, and counts the replayed inputs', () => {
    const rec = [journal(0, ['a', 'b'], 'g'), journal(1, ['c'], 'g'), journal(2, ['d', 'e'], 'g')];
    expect(compareConsumption(rec, [journal(0, ['a', 'b'], 'shadow'), journal(1, ['c'], 'shadow'), journal(2, ['d', 'e'], 'shadow')])).toEqual({ compared: 3, identical: 3, firstDifference: undefined, replayedInputs: 5 });
    const swapped = compareConsumption(rec, [journal(0, ['a', 'b'], 'shadow'), journal(1, ['c'], 'shadow'), journal(2, ['e', 'd'], 'shadow')]);
    expect(swapped).toEqual({ compared: 3, identical: 2, firstDifference: { tick: 2, partition: 3 }, replayedInputs: 5 });
    expect(formatConsumption(swapped)).toBe('consumption order: 2/3 ticks identical; first difference at tick 2, lane 3');
  });
});
