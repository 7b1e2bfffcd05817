import { createStrategyConfig, type StrategyConfig, type VenueConfig } from '../config';
import { scaleOf } from '../sim/decimal-grid';
import { type SimVenueSpec } from '../sim/scenario';
import { type InstrumentId, type TimeUs } from '../types';

/** The runner's configuration: the strategy and the few settings of the loop itself. */
export interface RunnerConfig {
  /** The strategy models' configuration (owner: strategy models). */
  readonly strategy: StrategyConfig;
  /** The one instrument this runner quotes and hedges. */
  readonly instrument: InstrumentId;
  /** Goes into every derived id, so two strategies never share ids. */
  readonly strategyId: string;
  /** The settlement currency of PnL. */
  readonly currency: string;
  /** The timer interval the session driver ticks at (hedge, exit, drawdown sampling), in microseconds. */
  readonly timerIntervalUs: TimeUs;
  /** The margin assumed available on each venue, in USD (no margin model yet). */
  readonly marginPerVenueUsd: number;
  /** When false, the runner makes no quotes (hedge and exit only). */
  readonly quotingEnabled: boolean;
}

/** Returns the strategy's venue description for a simulated venue (tick, step and fees from the spec). */
export function venueConfigFromSim(spec: SimVenueSpec, maxOrderSize = 10): VenueConfig {
  const tick = 1 / scaleOf(spec.priceDecimals);
  const step = 1 / scaleOf(spec.sizeDecimals);
  return { venueId: spec.venue, tickSize: tick, lotSize: step, sizeStep: step, minNotionalUsd: 5, makerFee: spec.makerFeeBps / 1e4, takerFee: spec.takerFeeBps / 1e4, maxOrderSize };
}

/** Overrides of a runner configuration for simulated venues. */
export interface RunnerConfigOverrides {
  readonly strategy?: Omit<Parameters<typeof createStrategyConfig>[1], 'venues'>;
  readonly profile?: Parameters<typeof createStrategyConfig>[0];
  readonly strategyId?: string;
  readonly timerIntervalUs?: TimeUs;
  readonly marginPerVenueUsd?: number;
  readonly quotingEnabled?: boolean;
}

/** Returns a runner configuration for the venues of a simulated market (balanced profile unless overridden). */
export function runnerConfigForSim(instrument: InstrumentId, venues: readonly SimVenueSpec[], overrides: RunnerConfigOverrides = {}): RunnerConfig {
  return {
    strategy: createStrategyConfig(overrides.profile ?? 'balanced', { ...overrides.strategy, venues: venues.map((v) => venueConfigFromSim(v)) }),
    instrument,
    strategyId: overrides.strategyId ?? 'mm-1',
    currency: 'USDT',
    timerIntervalUs: overrides.timerIntervalUs ?? 1_000_000,
    marginPerVenueUsd: overrides.marginPerVenueUsd ?? 100_000,
    quotingEnabled: overrides.quotingEnabled ?? true,
  };
}
