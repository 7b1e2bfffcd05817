import { type Observation } from '../policy/observation';
import { type Policy } from '../policy/policy';
import { type Action } from '../runner/actions';

/** A policy that drops every PlaceOrder of the baseline (proposes only cancels and risk actions). */
export class NoNewOrdersPolicy implements Policy {
  readonly id = 'stub-no-new-orders';
  readonly version = '1';
  readonly obsVersion = 1;
  reset(): void {}
  propose(_obs: Observation, baseline: readonly Action[]): readonly Action[] {
    return baseline.filter((a) => a.type !== 'PlaceOrder');
  }
}

/** A policy that proposes nothing at all. */
export class SilentPolicy implements Policy {
  readonly id = 'stub-silent';
  readonly version = '1';
  readonly obsVersion = 1;
  reset(): void {}
  propose(): readonly Action[] {
    return [];
  }
}

/**
 * A stateful policy that passes the baseline through but remembers how many steps it has seen
 * in the episode and the observations' times; `reset` forgets both. For episode-reset tests.
 */
export class CountingPolicy implements Policy {
  readonly id = 'stub-counting';
  readonly version = '1';
  readonly obsVersion = 1;
  seen = 0;
  episodeSeed: number | string | undefined;
  readonly times: number[] = [];
  reset(seed: number | string): void {
    this.seen = 0;
    this.episodeSeed = seed;
    this.times.length = 0;
  }
  propose(obs: Observation, baseline: readonly Action[]): readonly Action[] {
    this.seen += 1;
    this.times.push(obs.timeUs);
    return baseline;
  }
}

/** A policy that records every observation and proposes the baseline (identity with a tape). */
export class RecordingPolicy implements Policy {
  readonly id = 'stub-recording';
  readonly version = '1';
  readonly obsVersion = 1;
  readonly observations: Observation[] = [];
  reset(): void {
    this.observations.length = 0;
  }
  propose(obs: Observation, baseline: readonly Action[]): readonly Action[] {
    this.observations.push(obs);
    return baseline;
  }
}

/** A policy built for another observation version (the shadow runner must refuse it). */
export class WrongVersionPolicy implements Policy {
  readonly id = 'stub-wrong-version';
  readonly version = '1';
  readonly obsVersion = 999;
  reset(): void {}
  propose(_obs: Observation, baseline: readonly Action[]): readonly Action[] {
    return baseline;
  }
}
