import { canonicalBytes, canonicalJson, chainDigest, type Digest, sha256Hex } from '../canonical';
import { type Action } from '../runner/actions';
import { type RunnerConfig } from '../runner/runner-config';
import { type RunnerEvent } from '../runner/runner-events';
import { type RunnerState } from '../runner/runner-state';
import { runSession, type SessionOptions, type SessionResult } from '../runner/session';
import { type StepResult } from '../runner/step';
import { type Scenario } from '../sim/scenario';
import { type TimeUs } from '../types';
import { buildObservation, OBS_VERSION, type Observation } from './observation';
import { type Policy } from './policy';

/** One step on which the policy and the baseline disagreed. */
export interface DivergenceRecord {
  readonly step: number;
  readonly eventType: string;
  readonly eventTimeUs: TimeUs;
  /** Baseline actions the policy did not propose (canonical JSON). */
  readonly onlyBaseline: readonly string[];
  /** Proposed actions the baseline did not take (canonical JSON). */
  readonly onlyProposed: readonly string[];
}

/** What shadow mode recorded over a session. */
export interface ShadowReport {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly obsVersion: number;
  readonly steps: number;
  readonly baselineActions: number;
  readonly proposedActions: number;
  /** Steps on which the two action lists differ as multisets. */
  readonly divergentSteps: number;
  readonly onlyBaseline: number;
  readonly onlyProposed: number;
  /** Hash chain over every step's observation. */
  readonly observationDigest: Digest;
  /** Hash chain over every step's baseline actions. */
  readonly baselineDigest: Digest;
  /** Hash chain over every step's proposed actions. */
  readonly proposalDigest: Digest;
  /** The first divergent steps (at most `maxRecords`). */
  readonly records: readonly DivergenceRecord[];
}

const SHADOW_GENESIS = sha256Hex('fleet/shadow/v1');

function multisetDiff(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/**
 * Shadow mode: after every baseline step the policy proposes actions from the observation of
 * the new state; both are recorded and compared, and only the baseline's are executed.
 */
export class ShadowRecorder {
  private steps = 0;
  private baselineActions = 0;
  private proposedActions = 0;
  private divergentSteps = 0;
  private onlyBaseline = 0;
  private onlyProposed = 0;
  private obsChain: Digest = SHADOW_GENESIS;
  private baseChain: Digest = SHADOW_GENESIS;
  private propChain: Digest = SHADOW_GENESIS;
  private readonly records: DivergenceRecord[] = [];

  /** Returns a recorder for `policy`; throws when the policy was built for another observation version. */
  constructor(
    readonly policy: Policy,
    private readonly maxRecords = 100,
  ) {
    if (policy.obsVersion !== OBS_VERSION) {
      throw new RangeError(`policy ${policy.id} expects observation version ${policy.obsVersion}, the runner builds version ${OBS_VERSION}`);
    }
  }

  /** Records one step: builds the observation, asks the policy, compares. Returns the proposal. */
  record(_before: RunnerState, event: RunnerEvent, result: StepResult): readonly Action[] {
    const obs: Observation = buildObservation(result.state);
    const proposed = this.policy.propose(obs, result.actions);
    this.steps += 1;
    this.obsChain = chainDigest(this.obsChain, canonicalBytes(obs));
    this.baseChain = chainDigest(this.baseChain, canonicalBytes(result.actions));
    this.propChain = chainDigest(this.propChain, canonicalBytes(proposed));
    this.baselineActions += result.actions.length;
    this.proposedActions += proposed.length;
    if (proposed.length > 0 || result.actions.length > 0) {
      const base = result.actions.map((a) => canonicalJson(a));
      const prop = proposed.map((a) => canonicalJson(a));
      const onlyB = multisetDiff(base, prop);
      const onlyP = multisetDiff(prop, base);
      if (onlyB.length > 0 || onlyP.length > 0) {
        this.divergentSteps += 1;
        this.onlyBaseline += onlyB.length;
        this.onlyProposed += onlyP.length;
        if (this.records.length < this.maxRecords) this.records.push({ step: result.state.steps, eventType: event.type, eventTimeUs: event.eventTimeUs, onlyBaseline: onlyB, onlyProposed: onlyP });
      }
    }
    return proposed;
  }

  /** Returns what has been recorded so far. */
  report(): ShadowReport {
    return {
      policyId: this.policy.id,
      policyVersion: this.policy.version,
      obsVersion: OBS_VERSION,
      steps: this.steps,
      baselineActions: this.baselineActions,
      proposedActions: this.proposedActions,
      divergentSteps: this.divergentSteps,
      onlyBaseline: this.onlyBaseline,
      onlyProposed: this.onlyProposed,
      observationDigest: this.obsChain,
      baselineDigest: this.baseChain,
      proposalDigest: this.propChain,
      records: [...this.records],
    };
  }
}

/** A shadow session: the baseline session (which executed) and the shadow report. */
export interface ShadowSessionResult {
  readonly baseline: SessionResult;
  readonly shadow: ShadowReport;
}

/**
 * Runs a session in shadow mode: resets the policy's episode with `seed`, runs the baseline
 * session, and records the policy's proposals beside it. The policy cannot change what is
 * executed, so the session digest equals the plain session's.
 */
export function runShadowSession(config: RunnerConfig, scenario: Scenario, seed: number | string, policy: Policy, options: Omit<SessionOptions, 'onStep'> & { readonly maxRecords?: number } = {}): ShadowSessionResult {
  policy.reset(seed);
  const recorder = new ShadowRecorder(policy, options.maxRecords);
  const baseline = runSession(config, scenario, seed, { ...options, onStep: (before, event, result) => void recorder.record(before, event, result) });
  return { baseline, shadow: recorder.report() };
}
