import { type Action } from '../runner/actions';
import { type Observation } from './observation';

/**
 * A policy: given the observation and the baseline's actions for a step, it proposes the
 * actions it would take. In shadow mode its proposals are recorded, never executed.
 */
export interface Policy {
  /** A stable name, recorded with every proposal. */
  readonly id: string;
  /** The policy's own version (a model checkpoint, a rule-set revision). */
  readonly version: string;
  /** The observation version the policy was built for; the shadow runner refuses a mismatch. */
  readonly obsVersion: number;
  /** Starts a new episode; a policy with internal state must reset it from `episodeSeed` alone. */
  reset(episodeSeed: number | string): void;
  /** Returns the actions this policy proposes for the step. */
  propose(observation: Observation, baseline: readonly Action[]): readonly Action[];
}

/** The heuristic policy: the identity, returning the baseline's actions unchanged. */
export class HeuristicPolicy implements Policy {
  readonly id = 'heuristic';
  readonly version = '1';
  readonly obsVersion = 1;

  /** Does nothing: the heuristic policy has no state. */
  reset(_episodeSeed: number | string): void {}

  /** Returns `baseline` itself. */
  propose(_observation: Observation, baseline: readonly Action[]): readonly Action[] {
    return baseline;
  }
}
