/**
 * The seed's replay_determinism_tests, ported: the same (initial state, event stream, config,
 * seed) gives the identical action stream and session digest; a different seed does not.
 */
import { canonicalJson } from '../canonical';
import { calmScenario, volatileScenario } from '../sim/scenario';
import { booksAround, fillEvent, fixtureRunnerConfig, T0, timerEvent } from '../testing';
import { type Action } from './actions';
import { type RunnerEvent } from './runner-events';
import { initialRunnerState, type RunnerState } from './runner-state';
import { runnerConfigForScenario, runSession } from './session';
import { modelContextOf, step } from './step';
import { fleetModels } from './strategy-models';

function replay(state: RunnerState, events: readonly RunnerEvent[]): { state: RunnerState; actions: Action[] } {
  const actions: Action[] = [];
  for (const e of events) {
    const r = step(state, e);
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

const calm = calmScenario({ durationUs: 60_000_000 });
const calmConfig = runnerConfigForScenario(calm);

describe('replay_determinism_tests', () => {
  describe('test_replay_determinism_single_tick', () => {
    it('one step from the same state and event gives identical actions and state', () => {
      const config = fixtureRunnerConfig();
      const [first, second] = booksAround(3000, T0 + 1000);
      const warm = replay(initialRunnerState(config, T0), [first!]).state;
      const tick = second!;
      const a = step(warm, tick);
      const b = step(warm, tick);
      expect(a.actions.length).toBeGreaterThan(0);
      expect(canonicalJson(a.actions)).toBe(canonicalJson(b.actions));
      expect(canonicalJson(a.state)).toBe(canonicalJson(b.state));
    });
  });

  describe('test_replay_determinism_multi_tick', () => {
    it('a seeded session run twice gives the same digest and the same action list', () => {
      const a = runSession(calmConfig, calm, 11);
      const b = runSession(calmConfig, calm, 11);
      expect(a.actions.length).toBeGreaterThan(100);
      expect(b.digest).toBe(a.digest);
      expect(canonicalJson(b.actions)).toBe(canonicalJson(a.actions));
      expect(canonicalJson(b.fills)).toBe(canonicalJson(a.fills));
      expect(b.summary).toEqual(a.summary);
    });
  });

  describe('test_replay_determinism_with_inventory', () => {
    it('a runner starting with inventory replays identically', () => {
      // A hedge band below the 2-unit fill, so the inventory also produces hedge (taker) orders.
      const config = fixtureRunnerConfig({ strategy: { hedge: { bandBase: 1 } } });
      const warm = replay(initialRunnerState(config, T0), booksAround(3000, T0 + 1000)).state;
      const bid = warm.orders.find((o) => o.side === 'buy')!;
      const stream: RunnerEvent[] = [fillEvent('venue-a', bid.clientOrderId, 'buy', bid.price.toFixed(2), '2', T0 + 10_000, { fee: '0.6' })];
      for (let k = 1; k <= 20; k++) stream.push(...booksAround(3000 + Math.sin(k) * 2, T0 + k * 250_000), timerEvent(T0 + k * 250_000 + 1));
      const a = replay(warm, stream);
      const b = replay(warm, stream);
      expect(a.state.venues[0]!.positionQty).not.toBe(0);
      expect(a.actions.some((x) => x.type === 'PlaceOrder' && x.purpose !== 'mm')).toBe(true);
      expect(canonicalJson(b.actions)).toBe(canonicalJson(a.actions));
      expect(canonicalJson(b.state)).toBe(canonicalJson(a.state));
    });
  });

  describe('test_action_ids_deterministic', () => {
    it('action and client order ids are derived, unique and equal across replays', () => {
      const a = runSession(calmConfig, calm, 3);
      const b = runSession(calmConfig, calm, 3);
      const ids = a.actions.map((x) => x.actionId);
      expect(ids).toEqual(b.actions.map((x) => x.actionId));
      expect(new Set(ids).size).toBe(ids.length);
      const orderIds = a.actions.flatMap((x) => (x.type === 'PlaceOrder' ? [x.clientOrderId] : []));
      expect(new Set(orderIds).size).toBe(orderIds.length);
    });
  });

  describe('test_different_seeds_produce_different_batches', () => {
    it('another seed gives another digest and other actions', () => {
      const a = runSession(calmConfig, calm, 1);
      const b = runSession(calmConfig, calm, 2);
      expect(b.digest).not.toBe(a.digest);
      expect(canonicalJson(b.actions)).not.toBe(canonicalJson(a.actions));
    });
  });

  describe('test_kill_switch_determinism', () => {
    it('the kill switch trips at the same time, for the same reason, on every run', () => {
      const volatile = volatileScenario({ durationUs: 120_000_000 });
      const tight = runnerConfigForScenario(volatile, { strategy: { risk: { dailyLossLimitUsd: 60 } } });
      const a = runSession(tight, volatile, 5);
      const b = runSession(tight, volatile, 5);
      expect(a.summary.killSwitch).toBe(true);
      expect(b.summary.killedAtUs).toBe(a.summary.killedAtUs);
      expect(b.summary.killReason).toBe(a.summary.killReason);
      expect(b.digest).toBe(a.digest);
    });
  });

  describe('test_strategy_output_intents_match_actions', () => {
    it('every mm PlaceOrder is a quote the model wanted in that state', () => {
      let state = initialRunnerState(calmConfig, calm.sim.startTimeUs);
      let checked = 0;
      runSession(calmConfig, calm, 8, {
        onStep: (_before, _event, result) => {
          state = result.state;
          const wanted = new Set(fleetModels.quotes(modelContextOf(state)).flatMap((q) => [q.bid, q.ask].filter((l) => l !== null).map((l) => `${q.venueId}:${l.side}:${l.priceText}:${l.sizeText}`)));
          for (const a of result.actions) {
            if (a.type !== 'PlaceOrder' || a.purpose !== 'mm') continue;
            expect(wanted).toContain(`${a.venue}:${a.side}:${a.price}:${a.size}`);
            checked += 1;
          }
        },
      });
      expect(checked).toBeGreaterThan(100);
    });
  });
});
