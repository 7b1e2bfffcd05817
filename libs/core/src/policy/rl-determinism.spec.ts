/**
 * The seed's rl_determinism_tests, ported: the observation is versioned and byte-stable, the
 * heuristic policy is the identity, and shadow mode never changes what is executed.
 */
import { canonicalJson } from '../canonical';
import { initialRunnerState } from '../runner/runner-state';
import { runnerConfigForScenario, runSession } from '../runner/session';
import { step } from '../runner/step';
import { calmScenario } from '../sim/scenario';
import { booksAround, CountingPolicy, fixtureRunnerConfig, NoNewOrdersPolicy, RecordingPolicy, T0, WrongVersionPolicy } from '../testing';
import { buildObservation, OBS_VERSION, observationDigest, serializeObservation } from './observation';
import { HeuristicPolicy } from './policy';
import { runShadowSession, ShadowRecorder } from './shadow-runner';

const scenario = calmScenario({ durationUs: 20_000_000 });
const config = runnerConfigForScenario(scenario);

function warmState() {
  let state = initialRunnerState(fixtureRunnerConfig(), T0);
  for (const e of booksAround(3000, T0 + 1000)) state = step(state, e).state;
  return state;
}

describe('rl_determinism_tests', () => {
  describe('test_observation_deterministic', () => {
    it('the same state gives the same bytes, with sorted keys and finite numbers', () => {
      const state = warmState();
      const a = serializeObservation(buildObservation(state));
      const b = serializeObservation(buildObservation(state));
      expect(b).toBe(a);
      expect(canonicalJson(JSON.parse(a))).toBe(a);
      expect(a.startsWith('{"dailyPnlUsd":')).toBe(true);
      const obs = buildObservation(state);
      expect(obs.venues.map((v) => v.venue)).toEqual(['venue-a', 'venue-b', 'venue-c']);
      expect(obs.venues[0]).toMatchObject({ bestBid: 2999.85, bestAsk: 3000.15, openOrders: 2, up: true });
      expect(obs.fvAvailable).toBe(true);
    });
  });

  describe('test_observation_version', () => {
    it('observations carry OBS_VERSION and a policy for another version is refused', () => {
      expect(OBS_VERSION).toBe(1);
      expect(buildObservation(warmState()).version).toBe(OBS_VERSION);
      expect(() => new ShadowRecorder(new WrongVersionPolicy())).toThrow('observation version 999');
    });
  });

  describe('test_policy_action_deterministic', () => {
    it('a policy proposes the same actions for the same observation', () => {
      const state = warmState();
      const baseline = step(state, booksAround(3000.5, T0 + 800_000)[0]!).actions;
      const obs = buildObservation(state);
      for (const policy of [new HeuristicPolicy(), new NoNewOrdersPolicy()]) {
        expect(canonicalJson(policy.propose(obs, baseline))).toBe(canonicalJson(policy.propose(obs, baseline)));
      }
    });
  });

  describe('test_episode_determinism', () => {
    it('the same seed gives the same observations, proposals and session digest', () => {
      const a = runShadowSession(config, scenario, 21, new HeuristicPolicy());
      const b = runShadowSession(config, scenario, 21, new HeuristicPolicy());
      expect(b.shadow).toEqual(a.shadow);
      expect(b.baseline.digest).toBe(a.baseline.digest);
    });
  });

  describe('test_different_seeds_produce_different_results', () => {
    it('another seed gives other observations and another digest', () => {
      const a = runShadowSession(config, scenario, 21, new HeuristicPolicy());
      const b = runShadowSession(config, scenario, 22, new HeuristicPolicy());
      expect(b.shadow.observationDigest).not.toBe(a.shadow.observationDigest);
      expect(b.baseline.digest).not.toBe(a.baseline.digest);
    });
  });

  describe('test_shadow_mode_no_execution_impact', () => {
    it('a policy that disagrees changes nothing executed', () => {
      const plain = runSession(config, scenario, 23);
      const shadow = runShadowSession(config, scenario, 23, new NoNewOrdersPolicy());
      expect(shadow.baseline.digest).toBe(plain.digest);
      expect(shadow.baseline.summary).toEqual(plain.summary);
      expect(shadow.shadow.divergentSteps).toBeGreaterThan(0);
      expect(shadow.shadow.onlyBaseline).toBe(plain.actions.filter((a) => a.type === 'PlaceOrder').length);
      expect(shadow.shadow.onlyProposed).toBe(0);
      expect(shadow.shadow.records[0]!.onlyBaseline[0]).toContain('"type":"PlaceOrder"');
    });
  });

  describe('test_heuristic_policy_is_identity', () => {
    it('zero divergence and the baseline digest in shadow mode', () => {
      const plain = runSession(config, scenario, 24);
      const shadow = runShadowSession(config, scenario, 24, new HeuristicPolicy());
      expect(shadow.shadow.baselineActions).toBe(plain.actions.length);
      expect(shadow.shadow.proposedActions).toBe(plain.actions.length);
      expect(shadow.shadow.divergentSteps).toBe(0);
      expect(shadow.shadow.proposalDigest).toBe(shadow.shadow.baselineDigest);
      expect(shadow.baseline.digest).toBe(plain.digest);
      const obs = buildObservation(warmState());
      const baseline = step(warmState(), booksAround(3001, T0 + 900_000)[0]!).actions;
      expect(new HeuristicPolicy().propose(obs, baseline)).toBe(baseline);
    });
  });

  describe('test_policy_reset_episode', () => {
    it('reset clears a stateful policy and records the episode seed', () => {
      const policy = new CountingPolicy();
      const first = runShadowSession(config, scenario, 25, policy);
      expect(policy.seen).toBe(first.shadow.steps);
      expect(policy.episodeSeed).toBe(25);
      policy.reset(26);
      expect(policy.seen).toBe(0);
      expect(policy.times).toEqual([]);
    });
  });

  describe('test_multiple_episodes_with_reset', () => {
    it('episodes run back to back on one policy are independent', () => {
      const policy = new RecordingPolicy();
      const e1 = runShadowSession(config, scenario, 27, policy);
      const obs1 = policy.observations.map(observationDigest);
      runShadowSession(config, scenario, 28, policy);
      const e3 = runShadowSession(config, scenario, 27, policy);
      expect(policy.observations.map(observationDigest)).toEqual(obs1);
      expect(e3.shadow).toEqual(e1.shadow);
      expect(e3.baseline.digest).toBe(e1.baseline.digest);
    });
  });
});
