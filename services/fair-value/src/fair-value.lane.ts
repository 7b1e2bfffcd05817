import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, type BookSnapshot, type CatalogueTopic, Topics } from '@fleet/contracts';
import { type FairValueConfig, type StrategyConfig, validateStrategyConfig } from '@fleet/core';
import { MARKET_GATEWAY } from '@fleet/events';
import {
  type Environment,
  EnvReader,
  type LaneHandler,
  type LaneHandlerContext,
  type LaneInput,
  type LaneOutput,
  type LaneSessionConfig,
  type LaneTick,
  laneRunnerConfig,
  readLaneSessionConfig,
  readServiceConfig,
  type ServiceConfig,
} from '@fleet/service';
import { type Gauge } from 'prom-client';
import { FAIR_VALUE_SERVICE } from './fair-value.constants';
import { FairValueTracker, type InstrumentFairValue, type PartitionFairValues } from './fair-value-tracker';

/** The fair-value settings the environment may override on every instrument's strategy. */
export type FairValueOverrides = Partial<Pick<FairValueConfig, 'minHealthyVenues' | 'staleBookMaxAgeUs'>>;

/** The configuration of the fair-value lane service. */
export interface FairValueLaneConfig {
  readonly service: ServiceConfig;
  readonly session: LaneSessionConfig;
  /** FLEET_FV_MIN_HEALTHY_VENUES and FLEET_FV_STALE_BOOK_MAX_AGE_US, when set. */
  readonly overrides: FairValueOverrides;
  /** The strategy configuration of each session instrument: the session's runner strategy with the overrides. */
  readonly strategies: Readonly<Record<string, StrategyConfig>>;
}

/** Returns the strategy fair-value runs for `instrument`: the session's runner strategy (its venues) with `overrides`. */
export function laneFairValueStrategy(session: LaneSessionConfig, instrument: string, overrides: FairValueOverrides): StrategyConfig {
  const strategy = laneRunnerConfig(session, instrument).strategy;
  return { ...strategy, fairValue: { ...strategy.fairValue, ...overrides } };
}

const OVERRIDE_ENV: Readonly<Record<string, string>> = {
  'fairValue.minHealthyVenues': 'FLEET_FV_MIN_HEALTHY_VENUES',
  'fairValue.staleBookMaxAgeUs': 'FLEET_FV_STALE_BOOK_MAX_AGE_US',
  'hedge.bandBase': 'FLEET_HEDGE_BAND_BASE',
  'exit.edgeMinUsd': 'FLEET_EXIT_EDGE_MIN_USD',
  'exit.volBufferMult': 'FLEET_EXIT_VOL_BUFFER_MULT',
};

/**
 * Reads the configuration: the common and session settings, then FLEET_FV_MIN_HEALTHY_VENUES
 * and FLEET_FV_STALE_BOOK_MAX_AGE_US (the session strategy's values unless set). Each session
 * instrument's strategy is checked with the core's validator; a problem is named by the variable
 * behind it (FLEET_VENUE_COUNT for the venues). Throws a ConfigurationError naming every bad setting.
 */
export function readFairValueLaneConfig(env: Environment): FairValueLaneConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(FAIR_VALUE_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  const has = (name: string): boolean => reader.raw(name) !== undefined;
  const before = reader.problems().length;
  const overrides: FairValueOverrides = {
    ...(has('FLEET_FV_MIN_HEALTHY_VENUES') && { minHealthyVenues: reader.integer('FLEET_FV_MIN_HEALTHY_VENUES', { min: 1, max: 31 }) }),
    ...(has('FLEET_FV_STALE_BOOK_MAX_AGE_US') && { staleBookMaxAgeUs: reader.integer('FLEET_FV_STALE_BOOK_MAX_AGE_US', { min: 1 }) }),
  };
  const strategies: Record<string, StrategyConfig> = {};
  // The session and the overrides must parse before their strategies can be built and checked.
  if (reader.problems().length === before) {
    const reported = new Set<string>();
    for (const instrument of session.instruments) {
      const strategy = laneFairValueStrategy(session, instrument, overrides);
      strategies[instrument] = strategy;
      for (const issue of validateStrategyConfig(strategy)) {
        const name = OVERRIDE_ENV[issue.setting] ?? (issue.setting.startsWith('venues') ? 'FLEET_VENUE_COUNT' : 'FLEET_SCENARIO');
        const message = `${name} is invalid: ${issue.message}`;
        if (reported.has(message)) continue;
        reported.add(message);
        reader.report(name, reader.raw(name), message);
      }
    }
  }
  reader.done();
  return { service, session, overrides, strategies };
}

/** The inputs of fair-value: the books of market-gateway. */
export const FAIR_VALUE_INPUTS: readonly LaneInput[] = [{ spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: [MARKET_GATEWAY] }];

/** The outputs of fair-value. */
export const FAIR_VALUE_OUTPUTS: readonly CatalogueTopic[] = [Topics.fvState];

/** The snapshot of one lane: the fair-value state of each of its instruments, by name (sorted). */
export type FairValueLaneState = PartitionFairValues;

/**
 * fair-value on lanes: every md.book of a tick, in the tick's order, steps its instrument's
 * Kalman filter (FairValueTracker, one per instrument with that instrument's session strategy)
 * and yields one fv.state caused by the book. Reports fleet_fair_value, fleet_sigma_eff and
 * fleet_fv_gated per instrument.
 */
export class FairValueHandler implements LaneHandler<FairValueLaneState> {
  private readonly trackers = new Map<string, FairValueTracker>();
  private readonly fairValue: Gauge<'instrument'>;
  private readonly sigmaEff: Gauge<'instrument'>;
  private readonly gated: Gauge<'instrument'>;

  /** Returns the handler of `ctx`, registering its gauges on `ctx.metrics`. */
  constructor(private readonly ctx: LaneHandlerContext<FairValueLaneConfig>) {
    this.fairValue = ctx.metrics.gauge('fleet_fair_value', 'Current fair value, in quote currency.', ['instrument']);
    this.sigmaEff = ctx.metrics.gauge('fleet_sigma_eff', 'Effective volatility used by the quoting model (per √second).', ['instrument']);
    this.gated = ctx.metrics.gauge('fleet_fv_gated', '1 while fair value is gated (too few fresh venues), else 0.', ['instrument']);
  }

  /** Returns one fv.state per md.book of the tick, in order. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    const outputs: LaneOutput[] = [];
    for (const input of tick.events) {
      if (input.topic !== Topics.mdBook.name) continue;
      const book = input.value as BookSnapshot;
      const { event } = this.tracker(book.instrument).onBook(book, tick.partition);
      if (event.fairValue !== null) this.fairValue.set({ instrument: event.instrument }, event.fairValue);
      this.sigmaEff.set({ instrument: event.instrument }, event.sigmaEff);
      this.gated.set({ instrument: event.instrument }, event.fvAvailable ? 0 : 1);
      outputs.push({ spec: Topics.fvState, key: event.instrument, value: event });
    }
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name. */
  exportLane(partition: number): FairValueLaneState {
    const instruments: Record<string, InstrumentFairValue> = {};
    for (const name of [...this.trackers.keys()].sort()) {
      const state = this.trackers.get(name)!.exportPartition(partition).instruments[name];
      if (state !== undefined) instruments[name] = state;
    }
    return { instruments };
  }

  /** Replaces the lane's instruments with `state`. */
  importLane(partition: number, state: FairValueLaneState): void {
    this.resetLane(partition);
    for (const [name, instrument] of Object.entries(state.instruments)) this.tracker(name).importPartition(partition, { instruments: { [name]: instrument } });
  }

  /** Forgets every instrument of the lane. */
  resetLane(partition: number): void {
    for (const tracker of this.trackers.values()) tracker.resetPartition(partition);
  }

  private tracker(instrument: string): FairValueTracker {
    let tracker = this.trackers.get(instrument);
    if (tracker === undefined) {
      const { session, config } = this.ctx;
      tracker = new FairValueTracker(config.strategies[instrument] ?? laneFairValueStrategy(session, instrument, config.overrides));
      this.trackers.set(instrument, tracker);
    }
    return tracker;
  }
}
