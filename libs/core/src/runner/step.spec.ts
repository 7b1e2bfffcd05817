import { canonicalJson } from '../canonical';
import { bookEvent, booksAround, commandEvent, fillEvent, fixtureRunnerConfig, T0, timerEvent } from '../testing';
import { type Action, type PlaceOrderAction } from './actions';
import { type RunnerEvent } from './runner-events';
import { initialRunnerState, type RunnerState } from './runner-state';
import { modelContextOf, step } from './step';
import { fleetModels } from './strategy-models';

function run(state: RunnerState, events: readonly RunnerEvent[]): { state: RunnerState; actions: Action[] } {
  const actions: Action[] = [];
  for (const e of events) {
    const r = step(state, e);
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

const places = (actions: readonly Action[]): PlaceOrderAction[] => actions.filter((a): a is PlaceOrderAction => a.type === 'PlaceOrder');

describe('step', () => {
  const config = fixtureRunnerConfig();

  it('quotes both sides on every venue once the fair value is available, post-only and passive', () => {
    const { state, actions } = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000));
    expect(state.fv.fvAvailable).toBe(true);
    const p = places(actions);
    expect(p.map((a) => `${a.venue}:${a.side}`).sort()).toEqual(['venue-a:buy', 'venue-a:sell', 'venue-b:buy', 'venue-b:sell', 'venue-c:buy', 'venue-c:sell']);
    for (const a of p) {
      expect(a.timeInForce).toBe('post-only');
      expect(a.purpose).toBe('mm');
      if (a.side === 'buy') expect(Number(a.price)).toBeLessThan(2999.85);
      else expect(Number(a.price)).toBeGreaterThan(3000.15);
      expect(a.clientOrderId).toMatch(/^[0-9a-f]{32}$/);
      expect(a.why.fairValue).toBeCloseTo(3000, 6);
      expect(a.why.model).toHaveProperty('r');
    }
    expect(state.orders.filter((o) => o.status === 'pending')).toHaveLength(6);
  });

  it('places exactly the quotes the quoting model computes for the same state (intents match actions)', () => {
    const { state, actions } = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000));
    const expected = fleetModels.quotes(modelContextOf(state)).flatMap((q) => [q.bid, q.ask].filter((l) => l !== null).map((l) => `${q.venueId}:${l.side}:${l.priceText}:${l.sizeText}`));
    expect(places(actions).map((a) => `${a.venue}:${a.side}:${a.price}:${a.size}`).sort()).toEqual(expected.sort());
  });

  it('never changes the state it is given', () => {
    const { state } = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000));
    const before = canonicalJson(state);
    step(state, bookEvent('venue-a', 3001, 3001.3, T0 + 200_000));
    step(state, fillEvent('venue-a', state.orders[0]!.clientOrderId, 'buy', '2999', '1', T0 + 200_000));
    expect(canonicalJson(state)).toBe(before);
  });

  it('books fills exactly into the portfolio and updates the model position', () => {
    const s1 = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).state;
    const bid = s1.orders.find((o) => o.venueIndex === 0 && o.side === 'buy')!;
    const { state } = run(s1, [fillEvent('venue-a', bid.clientOrderId, 'buy', '2999.1', '0.7', T0 + 50_000, { fee: '0.20993700', remainingSize: '0.3' })]);
    expect(state.venues[0]!.positionQty).toBe(0.7);
    expect(state.venues[0]!.avgEntryPrice).toBe(2999.1);
    expect(state.portfolio.positions[0]!.fees.amountText()).toBe('0.209937');
    expect(state.orders.find((o) => o.clientOrderId === bid.clientOrderId)!.remaining).toBe(0.3);
    expect(state.stats.fills).toBe(1);
  });

  it('latches the kill switch on a loss breach: SetKillSwitch, CancelAll, then nothing new', () => {
    const tight = fixtureRunnerConfig({ strategy: { risk: { dailyLossLimitUsd: 100 } } });
    const s1 = run(initialRunnerState(tight, T0), booksAround(3000, T0 + 1000)).state;
    const bid = s1.orders.find((o) => o.venueIndex === 0 && o.side === 'buy')!;
    const s2 = run(s1, [fillEvent('venue-a', bid.clientOrderId, 'buy', '2999', '2', T0 + 50_000, { remainingSize: '0' })]).state;
    const crash = run(s2, booksAround(2940, T0 + 100_000));
    const types = crash.actions.map((a) => a.type);
    expect(types).toContain('SetKillSwitch');
    expect(types.indexOf('CancelAll')).toBeGreaterThan(types.indexOf('SetKillSwitch'));
    expect(crash.state.risk).toMatchObject({ killSwitch: true, regime: 'HardLimit', killReason: 'DailyLossBreach' });
    expect(crash.state.orders.every((o) => o.status === 'cancelling')).toBe(true);
    const after = run(crash.state, [...booksAround(3000, T0 + 200_000), timerEvent(T0 + 1_000_000), ...booksAround(3000, T0 + 1_100_000)]);
    expect(places(after.actions)).toEqual([]);
    expect(after.state.risk.killReason).toBe('DailyLossBreach');
  });

  it('obeys operator commands: kill, cancel-all, pause and reset', () => {
    const s1 = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).state;
    const killed = run(s1, [commandEvent({ kind: 'kill', operatorId: 'ops', reason: 'drill' }, T0 + 10_000), ...booksAround(3000, T0 + 700_000)]);
    expect(killed.actions.slice(0, 2).map((a) => a.type)).toEqual(['SetKillSwitch', 'CancelAll']);
    expect(places(killed.actions)).toEqual([]);
    const reset = run(killed.state, [commandEvent({ kind: 'operator-reset', operatorId: 'ops', reason: 'drill over' }, T0 + 800_000)]);
    expect(reset.actions).toMatchObject([{ type: 'SetKillSwitch', on: false, reason: 'OperatorReset' }]);
    const paused = run(reset.state, [commandEvent({ kind: 'pause-quoting', operatorId: 'ops' }, T0 + 900_000), ...booksAround(3000, T0 + 1_000_000)]);
    expect(places(paused.actions)).toEqual([]);
  });

  it('derives the same action ids from the same inputs and different ids at another step', () => {
    const a = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).actions;
    const b = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).actions;
    expect(a.map((x) => x.actionId)).toEqual(b.map((x) => x.actionId));
    const c = run(initialRunnerState(config, T0), booksAround(3000, T0 + 2000)).actions;
    expect(new Set([...a.map((x) => x.actionId), ...c.map((x) => x.actionId)]).size).toBe(a.length + c.length);
    expect(new Set(a.map((x) => x.actionId)).size).toBe(a.length);
  });

  it('stops quoting a venue whose book goes stale or which goes down', () => {
    const s1 = run(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).state;
    const accepted = run(
      s1,
      s1.orders.map((o) => ({ type: 'order-accepted' as const, venue: s1.venues[o.venueIndex]!.venue, instrument: config.instrument, eventTimeUs: T0 + 20_000, clientOrderId: o.clientOrderId })),
    ).state;
    // venue-c's last book is from T0 + 1 ms; at T0 + 1.2 s it is older than the 1 s staleness limit.
    const later = run(accepted, [bookEvent('venue-a', 2999.85, 3000.15, T0 + 900_000), bookEvent('venue-b', 2999.85, 3000.15, T0 + 900_000), bookEvent('venue-a', 2999.85, 3000.15, T0 + 1_200_000)]);
    const cancels = later.actions.filter((a) => a.type === 'CancelOrder');
    expect(cancels.map((a) => (a.type === 'CancelOrder' ? `${a.venue}:${a.reason}` : '')).sort()).toEqual(['venue-c:venue-unhealthy', 'venue-c:venue-unhealthy']);
    expect(places(later.actions)).toEqual([]);
    const down = run(later.state, [{ type: 'venue-status', venue: 'venue-b', instrument: config.instrument, eventTimeUs: T0 + 1_300_000, sequence: 9, up: false }]);
    // The venue cancels on disconnect; the runner sends nothing to a venue that is down.
    expect(down.actions.filter((a) => 'venue' in a && a.venue === 'venue-b')).toEqual([]);
    expect(down.state.books[1]).toBeNull();
  });
});
