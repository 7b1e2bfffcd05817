import { AVRO_SCHEMAS, RISK_DECISION_TYPE, RISK_STATE_TYPE, type RiskDecision, type RiskState, Topics } from '@fleet/contracts';
import { digestOf } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { type LaneOutput, type LaneTick } from '@fleet/service';
import * as avro from 'avsc';
import { RISK_SHIELD_INPUTS, RISK_SHIELD_OUTPUTS, RiskShieldHandler } from './risk-shield.lane';
import { fillEvent, fvState, intent, laneTick, SPEC_SESSION, tickTime } from './testing/lane-events';

const ETH = 'ETH-PERP';
const BTC = 'BTC-PERP';

function handler(metrics: FleetMetrics = createIsolatedMetrics({ service: 'risk-shield', instance: 'spec' })): RiskShieldHandler {
  return new RiskShieldHandler({ service: 'risk-shield', instance: 'spec', session: SPEC_SESSION, config: { service: {} as never, session: SPEC_SESSION }, metrics });
}

function states(outputs: readonly LaneOutput[]): RiskState[] {
  return outputs.filter((o) => o.spec === Topics.riskState).map((o) => o.value as RiskState);
}

function decisions(outputs: readonly LaneOutput[]): RiskDecision[] {
  return outputs.filter((o) => o.spec === Topics.riskDecision).map((o) => o.value as RiskDecision);
}

function verdicts(outputs: readonly LaneOutput[]): [string, string, string | null][] {
  return decisions(outputs).map((d) => [`${d.intent.kind} ${d.intent.action} ${d.intent.side} ${d.intent.size}`, d.outcome, d.reason]);
}

async function metricValue(metrics: FleetMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  const values = (await metric!.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

/**
 * A long ETH position losing beyond the 2,000 USD daily loss limit: 10 bought at 3,000 (fee 12)
 * are marked at 2,790 in tick 2; the price then recovers, and tick 4 adds a delta breach.
 */
function lossTicks(): LaneTick[] {
  return [
    laneTick(0, { fv: [fvState(ETH, 0, 3000)], intents: [intent(ETH, 0, 1, { kind: 'MM', side: 'BUY', size: '10' })] }),
    laneTick(1, { fv: [fvState(ETH, 1, 3000)], orders: [fillEvent(ETH, 0, 1, { venue: 'venue-a', side: 'BUY', quantity: '10', price: '3000', fee: '12' })] }),
    laneTick(2, {
      fv: [fvState(ETH, 2, 2790)],
      intents: [
        intent(ETH, 2, 1, { kind: 'EXIT', side: 'SELL', size: '10', price: '2789' }),
        intent(ETH, 2, 1, { kind: 'MM', action: 'CANCEL', side: 'BUY', size: '1' }),
        intent(ETH, 2, 2, { kind: 'MM', side: 'SELL', size: '1', price: '2791' }),
      ],
    }),
    laneTick(3, { fv: [fvState(ETH, 3, 3100)], intents: [intent(ETH, 3, 1, { kind: 'MM', side: 'SELL', size: '1', price: '3101' })] }),
    laneTick(4, { fv: [fvState(ETH, 4, 3100)], orders: [fillEvent(ETH, 3, 2, { venue: 'venue-b', side: 'BUY', quantity: '10', price: '3100' })] }),
  ];
}

function run(h: RiskShieldHandler, ticks: readonly LaneTick[]): LaneOutput[][] {
  return ticks.map((t) => [...h.onTick(t)]);
}

describe('RiskShieldHandler', () => {
  it('declares fair value, the delayed order events and the three intent producers as inputs, risk.state and risk.decision as outputs', () => {
    expect(RISK_SHIELD_INPUTS.map((i) => [i.spec.name, i.producers, i.delayed === true])).toEqual([
      [Topics.fvState.name, ['fair-value'], false],
      [Topics.orderEvent.name, ['execution-router'], true],
      [Topics.strategyIntent.name, ['exit', 'hedge', 'quoting'], false],
    ]);
    expect(RISK_SHIELD_OUTPUTS).toEqual([Topics.riskState, Topics.riskDecision]);
  });

  it('emits the risk.state, then one decision per intent caused by the intent and that state, all schema-valid', () => {
    const fv = fvState(ETH, 0, 3000);
    const buy = intent(ETH, 0, 1, { kind: 'MM', side: 'BUY', size: '1.5', price: '2999.5' });
    const sell = intent(ETH, 0, 2, { kind: 'MM', side: 'SELL', size: '1.5', price: '3000.5' });
    const outputs = handler().onTick(laneTick(0, { fv: [fv], intents: [buy, sell] }));
    expect(outputs.map((o) => [o.spec, o.key])).toEqual([
      [Topics.riskState, ETH],
      [Topics.riskDecision, ETH],
      [Topics.riskDecision, ETH],
    ]);
    const [state] = states(outputs);
    expect(state.envelope).toMatchObject({ producer: 'risk-shield', sequence: 1, eventTimeUs: tickTime(0), causation: [fv.envelope.eventId], correlationId: fv.envelope.correlationId });
    expect(state).toMatchObject({ regime: 'NORMAL', killSwitch: false, killReason: null, killLatchedAtUs: null, paused: false, netDelta: '0', dailyPnl: '0' });
    const [first, second] = decisions(outputs);
    expect(first.envelope).toMatchObject({ sequence: 2, eventTimeUs: tickTime(0), causation: [buy.envelope.eventId, state.envelope.eventId], correlationId: buy.envelope.correlationId });
    expect(second.envelope).toMatchObject({ sequence: 3, causation: [sell.envelope.eventId, state.envelope.eventId] });
    expect(first).toMatchObject({ instrument: ETH, intentId: buy.intentId, outcome: 'APPROVED', reason: null, regime: 'NORMAL', intent: buy });
    const stateType = avro.Type.forSchema(AVRO_SCHEMAS[RISK_STATE_TYPE] as avro.Schema);
    const decisionType = avro.Type.forSchema(AVRO_SCHEMAS[RISK_DECISION_TYPE] as avro.Schema);
    for (const o of outputs) {
      expect(checkEnvelope(o.value as RiskState)).toBeUndefined();
      expect((o.spec === Topics.riskState ? stateType : decisionType).isValid(o.value)).toBe(true);
    }
  });

  it('latches the kill switch on a daily loss beyond the limit and denies every later intent, cancels included', async () => {
    const metrics = createIsolatedMetrics({ service: 'risk-shield', instance: 'spec' });
    const out = run(handler(metrics), lossTicks());
    expect(states(out[1])[0]).toMatchObject({ regime: 'NORMAL', killSwitch: false, netDelta: '10', dailyPnl: '-12' });
    const killed = states(out[2])[0];
    // 10 × (2,790 − 3,000) − 12 = −2,112 ≤ −2,000.
    expect(killed).toMatchObject({ regime: 'HARD_LIMIT', killSwitch: true, killReason: 'DAILY_LOSS_LIMIT', killLatchedAtUs: tickTime(2), dailyPnl: '-2112' });
    expect(killed.limits[0]).toEqual({ limit: 'DAILY_LOSS', value: '2112', warningThreshold: '1600', hardThreshold: '2000', usageRatio: 1.056 });
    expect(verdicts(out[2])).toEqual([
      ['EXIT PLACE SELL 10', 'DENIED', 'KILL_SWITCH'],
      ['MM CANCEL BUY 1', 'DENIED', 'KILL_SWITCH'],
      ['MM PLACE SELL 1', 'DENIED', 'KILL_SWITCH'],
    ]);
    expect(decisions(out[2]).every((d) => d.regime === 'HARD_LIMIT')).toBe(true);
    // Back in profit (+988): the latch holds, with its reason and time.
    expect(states(out[3])[0]).toMatchObject({ killSwitch: true, killReason: 'DAILY_LOSS_LIMIT', killLatchedAtUs: tickTime(2), dailyPnl: '988' });
    expect(verdicts(out[3])).toEqual([['MM PLACE SELL 1', 'DENIED', 'KILL_SWITCH']]);
    expect(await metricValue(metrics, 'fleet_kill_switch', { instrument: ETH })).toBe(1);
    expect(await metricValue(metrics, 'fleet_risk_regime', { instrument: ETH })).toBe(2);
    expect(await metricValue(metrics, 'fleet_risk_decisions_total', { decision: 'denied', reason: 'KILL_SWITCH' })).toBe(4);
    expect(await metricValue(metrics, 'fleet_risk_decisions_total', { decision: 'approved', reason: 'none' })).toBe(1);
  });

  it('keeps the first reason when a second breach follows', () => {
    const out = run(handler(), lossTicks());
    // 20 long at 3,100 is 62,000 USD, beyond the 50,000 delta limit: the latch keeps the daily loss.
    expect(states(out[4])[0]).toMatchObject({ killReason: 'DAILY_LOSS_LIMIT', killLatchedAtUs: tickTime(2), netDelta: '20' });
    expect(states(out[4])[0].limits[1]).toMatchObject({ limit: 'DELTA', value: '62000', usageRatio: 1.24 });

    const deltaFirst = run(handler(), [
      laneTick(0, { fv: [fvState(ETH, 0, 3000)] }),
      laneTick(1, { fv: [fvState(ETH, 1, 3000)], orders: [fillEvent(ETH, 0, 1, { venue: 'venue-a', side: 'BUY', quantity: '17', price: '3000' })] }),
      laneTick(2, { fv: [fvState(ETH, 2, 2800)] }),
    ]);
    expect(states(deltaFirst[1])[0]).toMatchObject({ killReason: 'DELTA_LIMIT', killLatchedAtUs: tickTime(1) });
    expect(states(deltaFirst[2])[0]).toMatchObject({ killReason: 'DELTA_LIMIT', killLatchedAtUs: tickTime(1), dailyPnl: '-3400' });
  });

  it('denies the hedge superseded by an approved exit of the same instrument only', () => {
    const h = handler();
    h.onTick(laneTick(0, { fv: [fvState(ETH, 0, 3000), fvState(BTC, 0, 60_000)] }));
    const out = h.onTick(
      laneTick(1, {
        fv: [fvState(ETH, 1, 3000), fvState(BTC, 1, 60_000)],
        orders: [fillEvent(ETH, 0, 1, { venue: 'venue-a', side: 'BUY', quantity: '8', price: '2990' })],
        intents: [
          intent(ETH, 1, 1, { kind: 'MM', side: 'BUY', size: '1', price: '2999' }),
          intent(ETH, 1, 1, { kind: 'HEDGE', side: 'SELL', size: '2', venue: 'venue-b' }),
          intent(ETH, 1, 1, { kind: 'EXIT', side: 'SELL', size: '3' }),
          intent(BTC, 1, 2, { kind: 'HEDGE', side: 'BUY', size: '0.1', price: '60000' }),
        ],
      }),
    );
    expect(outputsByInstrument(out)).toEqual([
      ['state', BTC],
      ['decision', BTC],
      ['state', ETH],
      ['decision', ETH],
      ['decision', ETH],
      ['decision', ETH],
    ]);
    expect(verdicts(out)).toEqual([
      ['HEDGE PLACE BUY 0.1', 'APPROVED', null],
      ['EXIT PLACE SELL 3', 'APPROVED', null],
      ['HEDGE PLACE SELL 2', 'DENIED', 'SUPERSEDED'],
      ['MM PLACE BUY 1', 'APPROVED', null],
    ]);
  });

  it('emits a risk.state for every instrument of the lane on every tick, with or without events', () => {
    const h = handler();
    const btcFv = fvState(BTC, 0, 60_000);
    h.onTick(laneTick(0, { fv: [fvState(ETH, 0, 3000), btcFv] }));
    const quiet = h.onTick(laneTick(1, { fv: [fvState(ETH, 1, 3001)] }));
    expect(states(quiet).map((s) => [s.instrument, s.envelope.sequence, s.envelope.causation])).toEqual([
      [BTC, 2, [btcFv.envelope.eventId]],
      [ETH, 2, [fvState(ETH, 1, 3001).envelope.eventId]],
    ]);
    const empty = h.onTick(laneTick(2, {}));
    expect(states(empty).map((s) => [s.instrument, s.envelope.sequence, s.envelope.eventTimeUs])).toEqual([
      [BTC, 3, tickTime(2)],
      [ETH, 3, tickTime(2)],
    ]);
  });

  it('gives the same outputs, ids and digests for the same ticks', () => {
    const a = run(handler(), lossTicks());
    const b = run(handler(), lossTicks());
    expect(digestOf(a.flat().map((o) => o.value))).toBe(digestOf(b.flat().map((o) => o.value)));
    expect(a.flat().map((o) => (o.value as RiskState).envelope.eventId)).toEqual(b.flat().map((o) => (o.value as RiskState).envelope.eventId));
  });

  it('continues identically from an exported and imported lane, and keeps lanes apart', () => {
    const ticks = lossTicks();
    const whole = run(handler(), ticks);
    const first = handler();
    run(first, ticks.slice(0, 2));
    const snapshot = JSON.parse(JSON.stringify(first.exportLane(0)));
    expect(snapshot).toEqual(first.exportLane(0));
    expect(Object.keys(snapshot.instruments)).toEqual([ETH]);
    expect(snapshot.instruments[ETH].positions).toEqual([{ venue: 'venue-a', netQuantity: '10', costBasis: '30000', realisedPnl: '0', fees: '12', funding: '0', updatedAtUs: tickTime(0) - 10 }]);

    const resumed = handler();
    resumed.importLane(0, snapshot);
    expect(resumed.exportLane(0)).toEqual(snapshot);
    expect(digestOf(run(resumed, ticks.slice(2)).flat().map((o) => o.value))).toBe(digestOf(whole.slice(2).flat().map((o) => o.value)));

    // Another lane of the same handler is untouched, and a reset lane starts over.
    const other = ticks.map((t) => ({ ...t, partition: 3, events: t.events.map((e) => ({ ...e, partition: 3 })) }));
    run(resumed, other.slice(0, 1));
    expect(resumed.exportLane(0)).not.toEqual(resumed.exportLane(3));
    resumed.resetLane(0);
    expect(resumed.exportLane(0)).toEqual({ instruments: {} });
    expect(states(resumed.onTick(ticks[0]))[0].envelope.sequence).toBe(1);
  });
});

function outputsByInstrument(outputs: readonly LaneOutput[]): [string, string][] {
  return outputs.map((o) => [o.spec === Topics.riskState ? 'state' : 'decision', o.key]);
}
