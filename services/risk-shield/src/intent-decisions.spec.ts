import { ExactDecimal, initialRiskState, type RiskState } from '@fleet/core';
import { laneRunnerConfig } from '@fleet/service';
import { CANCEL_WITHOUT_TARGET, decideIntents, type RiskPosture, SUPERSEDED_BY_EXIT } from './intent-decisions';
import { intent, SPEC_SESSION, type SpecIntent } from './testing/lane-events';

// The calm session's limits: delta 50,000 USD (reduce-only from 80 %: 40,000), maxOrderSize 10 on venue-a and venue-b.
const strategy = laneRunnerConfig(SPEC_SESSION, 'ETH-PERP').strategy;

function posture(q: string, overrides: Partial<RiskPosture> = {}): RiskPosture {
  return { strategy, risk: initialRiskState(), netQuantity: new ExactDecimal(q), fairValue: 3000, fairValueAvailable: true, ...overrides };
}

function decide(p: RiskPosture, specs: readonly SpecIntent[]): [string, string, string | null][] {
  const intents = specs.map((s, i) => intent('ETH-PERP', 1, i + 1, s));
  return decideIntents(p, intents).map((v) => [`${v.intent.kind} ${v.intent.action} ${v.intent.side} ${v.intent.size}`, v.outcome, v.reason]);
}

const killed: RiskState = { regime: 'HardLimit', killSwitch: true, killReason: 'DailyLossBreach', killedAtUs: 1 };

describe('decideIntents', () => {
  it('checks the strategy limits the specs rely on', () => {
    expect(strategy.venues.map((v) => [v.venueId, v.maxOrderSize])).toEqual([
      ['venue-a', 10],
      ['venue-b', 10],
    ]);
    expect([strategy.risk.deltaLimitUsd, strategy.quoting.riskReducingOnlyDeltaFraction]).toEqual([50_000, 0.8]);
  });

  it('approves orders inside the delta limit and denies the one that would reach it, counting the buys approved before it', () => {
    // 12 long at 3,000 is 36,000 USD: below the reduce-only zone.
    expect(
      decide(posture('12'), [
        { kind: 'MM', side: 'BUY', size: '1' },
        { kind: 'MM', side: 'BUY', size: '4' },
        { kind: 'MM', side: 'BUY', size: '3.66' },
        { kind: 'MM', side: 'BUY', size: '0.01' },
        { kind: 'MM', side: 'SELL', size: '5' },
      ]),
    ).toEqual([
      ['MM PLACE BUY 1', 'APPROVED', null], // 13 × 3,000 = 39,000
      ['MM PLACE BUY 4', 'DENIED', 'DELTA_LIMIT'], // 17 × 3,000 = 51,000
      ['MM PLACE BUY 3.66', 'APPROVED', null], // 16.66 × 3,000 = 49,980
      ['MM PLACE BUY 0.01', 'DENIED', 'DELTA_LIMIT'], // 16.67 × 3,000 = 50,010
      ['MM PLACE SELL 5', 'APPROVED', null], // reduces 12 to 7
    ]);
  });

  it('passes only risk-reducing orders in the reduce-only zone, long or short', () => {
    // 14 × 3,000 = 42,000 ≥ 40,000.
    expect(
      decide(posture('14'), [
        { kind: 'MM', side: 'BUY', size: '0.1' },
        { kind: 'MM', side: 'SELL', size: '2' },
        { kind: 'MM', side: 'SELL', size: '10' },
        { kind: 'MM', side: 'SELL', size: '10' },
      ]),
    ).toEqual([
      ['MM PLACE BUY 0.1', 'DENIED', 'NOT_RISK_REDUCING'],
      ['MM PLACE SELL 2', 'APPROVED', null], // 14 → 12
      ['MM PLACE SELL 10', 'APPROVED', null], // 12 → 2
      ['MM PLACE SELL 10', 'DENIED', 'NOT_RISK_REDUCING'], // 2 → −8 would grow |q|
    ]);
    expect(
      decide(posture('-14'), [
        { kind: 'MM', side: 'SELL', size: '0.1' },
        { kind: 'MM', side: 'BUY', size: '2' },
      ]),
    ).toEqual([
      ['MM PLACE SELL 0.1', 'DENIED', 'NOT_RISK_REDUCING'],
      ['MM PLACE BUY 2', 'APPROVED', null],
    ]);
  });

  it('denies risk-increasing orders without an available fair value and lets reducing ones through', () => {
    expect(
      decide(posture('2', { fairValueAvailable: false }), [
        { kind: 'MM', side: 'BUY', size: '1' },
        { kind: 'EXIT', side: 'SELL', size: '2' },
        { kind: 'MM', side: 'SELL', size: '3' },
      ]),
    ).toEqual([
      ['EXIT PLACE SELL 2', 'APPROVED', null],
      ['MM PLACE BUY 1', 'DENIED', 'FAIR_VALUE_UNAVAILABLE'],
      ['MM PLACE SELL 3', 'DENIED', 'FAIR_VALUE_UNAVAILABLE'], // after the exit's 2 the sell side stands at 0: −3 grows |q|
    ]);
    expect(decide(posture('0', { fairValue: null, fairValueAvailable: false }), [{ kind: 'MM', side: 'BUY', size: '1' }])).toEqual([['MM PLACE BUY 1', 'DENIED', 'FAIR_VALUE_UNAVAILABLE']]);
  });

  it('denies unknown venues, non-positive or oversized sizes and non-positive prices', () => {
    expect(
      decide(posture('0'), [
        { kind: 'MM', side: 'BUY', size: '1', venue: 'venue-z' },
        { kind: 'MM', side: 'BUY', size: '0' },
        { kind: 'MM', side: 'BUY', size: '-1' },
        { kind: 'MM', side: 'BUY', size: '10.01' },
        { kind: 'MM', side: 'BUY', size: '1', price: '0' },
        { kind: 'HEDGE', side: 'BUY', size: '1', guardPrice: '-5' },
        { kind: 'MM', side: 'BUY', size: '10' },
      ]),
    ).toEqual([
      ['HEDGE PLACE BUY 1', 'DENIED', 'PRICE_BAND'],
      ['MM PLACE BUY 1', 'DENIED', 'UNKNOWN_VENUE'],
      ['MM PLACE BUY 0', 'DENIED', 'ORDER_SIZE_LIMIT'],
      ['MM PLACE BUY -1', 'DENIED', 'ORDER_SIZE_LIMIT'],
      ['MM PLACE BUY 10.01', 'DENIED', 'ORDER_SIZE_LIMIT'],
      ['MM PLACE BUY 1', 'DENIED', 'PRICE_BAND'],
      ['MM PLACE BUY 10', 'APPROVED', null],
    ]);
  });

  it('approves cancels of our orders in every regime but a latched kill switch', () => {
    const cancel: SpecIntent = { kind: 'MM', action: 'CANCEL', side: 'BUY', size: '1' };
    const hardLimit: RiskState = { regime: 'HardLimit', killSwitch: false, killReason: 'None', killedAtUs: null };
    expect(decide(posture('0', { risk: hardLimit }), [cancel, { kind: 'MM', side: 'SELL', size: '1' }])).toEqual([
      ['MM CANCEL BUY 1', 'APPROVED', null],
      ['MM PLACE SELL 1', 'DENIED', 'HARD_LIMIT'],
    ]);
    expect(decide(posture('0'), [{ ...cancel, venue: 'venue-z' }, { ...cancel, target: null }])).toEqual([
      ['MM CANCEL BUY 1', 'DENIED', 'UNKNOWN_VENUE'],
      ['MM CANCEL BUY 1', 'DENIED', CANCEL_WITHOUT_TARGET],
    ]);
  });

  it('denies everything, cancels and risk-reducing exits included, while the kill switch is latched', () => {
    expect(
      decide(posture('5', { risk: killed }), [
        { kind: 'MM', action: 'CANCEL', side: 'BUY', size: '1' },
        { kind: 'EXIT', side: 'SELL', size: '5' },
        { kind: 'HEDGE', side: 'SELL', size: '2' },
      ]),
    ).toEqual([
      ['EXIT PLACE SELL 5', 'DENIED', 'KILL_SWITCH'],
      ['HEDGE PLACE SELL 2', 'DENIED', 'KILL_SWITCH'],
      ['MM CANCEL BUY 1', 'DENIED', 'KILL_SWITCH'],
    ]);
  });

  it('denies a hedge once an exit of the instrument is approved, and only then', () => {
    const hedge: SpecIntent = { kind: 'HEDGE', side: 'SELL', size: '2', venue: 'venue-b' };
    expect(decide(posture('8'), [hedge, { kind: 'EXIT', side: 'SELL', size: '3' }])).toEqual([
      ['EXIT PLACE SELL 3', 'APPROVED', null],
      ['HEDGE PLACE SELL 2', 'DENIED', SUPERSEDED_BY_EXIT],
    ]);
    expect(decide(posture('8'), [hedge, { kind: 'EXIT', side: 'SELL', size: '3', venue: 'venue-z' }])).toEqual([
      ['EXIT PLACE SELL 3', 'DENIED', 'UNKNOWN_VENUE'],
      ['HEDGE PLACE SELL 2', 'APPROVED', null],
    ]);
  });

  it('decides exits, then hedges, then quotes, each kind in the order given', () => {
    const specs: SpecIntent[] = [
      { kind: 'MM', side: 'BUY', size: '0.1' },
      { kind: 'HEDGE', side: 'SELL', size: '0.2' },
      { kind: 'MM', side: 'SELL', size: '0.3' },
      { kind: 'EXIT', side: 'SELL', size: '0.4' },
      { kind: 'MM', side: 'BUY', size: '0.5' },
      { kind: 'EXIT', side: 'SELL', size: '0.6' },
    ];
    const intents = specs.map((s, i) => intent('ETH-PERP', 1, i + 1, s));
    const order = (list: typeof intents) => decideIntents(posture('1'), list).map((v) => v.intent.size);
    expect(order(intents)).toEqual(['0.4', '0.6', '0.2', '0.1', '0.3', '0.5']);
    // Moving the producers' groups around changes nothing; the order inside a producer is kept.
    const regrouped = [intents[3], intents[5], intents[0], intents[2], intents[4], intents[1]];
    expect(order(regrouped)).toEqual(order(intents));
    expect(order([intents[5], intents[3], intents[1], intents[0], intents[2], intents[4]])).toEqual(['0.6', '0.4', '0.2', '0.1', '0.3', '0.5']);
  });
});
