import { presetScenario, runnerConfigForScenario, type RunnerConfig, type Scenario } from '@fleet/core';
import { type EnvReader } from '../service-config';

/** The scenarios a simulated fleet session can run. */
export const FLEET_SCENARIOS = ['calm-then-volatile', 'calm', 'volatile', 'venue-outage', 'funding-flip', 'basis-spike', 'loss-limit'] as const;

/** A fleet scenario name. */
export type FleetScenarioName = (typeof FLEET_SCENARIOS)[number];

/**
 * The session every service of one fleet run agrees on: the scenario, seed, duration, tick and
 * instruments. Every service derives its per-instrument runner configuration from it, so the
 * nine processes share one configuration without sharing memory.
 */
export interface LaneSessionConfig {
  /** FLEET_SCENARIO: calm-then-volatile unless set. */
  readonly scenario: FleetScenarioName;
  /** FLEET_SEED: the simulator seed; 1 unless set. */
  readonly seed: number;
  /** FLEET_DURATION_S: simulated seconds; 60 unless set. */
  readonly durationUs: number;
  /** FLEET_TICK_MS: the lock-step tick in simulated milliseconds; 250 unless set. */
  readonly tickUs: number;
  /** FLEET_VENUE_COUNT: venues per instrument (2 or 3); 2 unless set. */
  readonly venueCount: number;
  /** FLEET_INSTRUMENTS: the instruments, each its own simulated market and lane key; ETH-PERP unless set. */
  readonly instruments: readonly string[];
  /**
   * The venue ids of a live session (FLEET_MD_SOURCE=live: FLEET_LIVE_VENUES, binanceusdm,bybit
   * unless set): the strategy then names the venues the data comes from. Undefined for simulated
   * and recorded sessions.
   */
  readonly liveVenues?: readonly string[];
  /** FLEET_HEDGE_BAND_BASE: the hedge deadband in base units; the risk profile's unless set. */
  readonly hedgeBandBase?: number;
  /** FLEET_EXIT_EDGE_MIN_USD: the net edge an exit needs, in USD (≥ 0); the risk profile's unless set. */
  readonly exitEdgeMinUsd?: number;
  /** FLEET_EXIT_VOL_BUFFER_MULT: how many sigmas of price move an exit's edge must clear (≥ 0); the risk profile's unless set. */
  readonly exitVolBufferMult?: number;
}

function decimalSetting(reader: EnvReader, name: string, rule: string, ok: (n: number) => boolean): number | undefined {
  const raw = reader.raw(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+(\.\d+)?$/.test(raw) || !ok(n)) {
    reader.fail(name, raw, rule);
    return undefined;
  }
  return n;
}

const INSTRUMENT = /^[A-Z0-9]+-[A-Z0-9]+$/;

/** Reads the session settings through `reader` (the caller calls `reader.done()`). */
export function readLaneSessionConfig(reader: EnvReader): LaneSessionConfig {
  const scenario = reader.string('FLEET_SCENARIO', { default: 'calm-then-volatile' });
  if (!(FLEET_SCENARIOS as readonly string[]).includes(scenario)) reader.fail('FLEET_SCENARIO', scenario, `one of ${FLEET_SCENARIOS.join(', ')}`);
  const venueCount = reader.integer('FLEET_VENUE_COUNT', { default: 2, min: 2, max: 3 });
  if (scenario === 'basis-spike' && venueCount < 3) reader.report('FLEET_VENUE_COUNT', String(venueCount), `FLEET_VENUE_COUNT must be 3 for FLEET_SCENARIO=basis-spike (the spike is on the third venue), received ${venueCount}`);
  return {
    scenario: scenario as FleetScenarioName,
    seed: reader.integer('FLEET_SEED', { default: 1, min: 0, max: 2 ** 31 - 1 }),
    durationUs: reader.integer('FLEET_DURATION_S', { default: 60, min: 1, max: 86_400 }) * 1_000_000,
    tickUs: reader.integer('FLEET_TICK_MS', { default: 250, min: 10, max: 60_000 }) * 1_000,
    venueCount,
    instruments: reader.list('FLEET_INSTRUMENTS', { default: ['ETH-PERP'], item: INSTRUMENT, rule: 'a comma-separated list of instruments such as ETH-PERP,BTC-PERP' }),
    ...liveVenuesOf(reader),
    ...optional('hedgeBandBase', decimalSetting(reader, 'FLEET_HEDGE_BAND_BASE', 'a positive decimal number of base units', (n) => n > 0)),
    ...optional('exitEdgeMinUsd', decimalSetting(reader, 'FLEET_EXIT_EDGE_MIN_USD', 'a decimal number of USD, zero or more', (n) => n >= 0)),
    ...optional('exitVolBufferMult', decimalSetting(reader, 'FLEET_EXIT_VOL_BUFFER_MULT', 'a decimal number, zero or more', (n) => n >= 0)),
  };
}

/** The live venues, when the session reads live data: two or three ccxt exchange ids. */
function liveVenuesOf(reader: EnvReader): { readonly liveVenues?: readonly string[] } {
  if (reader.raw('FLEET_MD_SOURCE') !== 'live') return {};
  const before = reader.problems().length;
  const venues = reader.list('FLEET_LIVE_VENUES', { default: ['binanceusdm', 'bybit'], item: /^[a-z][a-z0-9]*$/, rule: 'a comma-separated list of ccxt exchange ids such as binanceusdm,bybit' });
  if (reader.problems().length > before) return { liveVenues: venues };
  if (venues.length < 2 || venues.length > 3 || new Set(venues).size !== venues.length) {
    reader.fail('FLEET_LIVE_VENUES', reader.raw('FLEET_LIVE_VENUES'), 'two or three distinct ccxt exchange ids (fair value needs at least two venues)');
  }
  return { liveVenues: venues };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/**
 * Returns the simulated market of `instrument` in the session: the preset (calm-then-volatile is
 * the calm preset with five times the volatility over its second half; loss-limit is the volatile
 * preset, run with a tight loss limit by {@link laneRunnerConfig}) on the session's first
 * `venueCount` venues, renamed to the instrument.
 */
export function laneScenario(session: LaneSessionConfig, instrument: string): Scenario {
  const overrides = { durationUs: session.durationUs, instrument };
  const base = presetScenario(session.scenario === 'calm-then-volatile' ? 'calm' : session.scenario === 'loss-limit' ? 'volatile' : session.scenario, overrides);
  const live = session.liveVenues;
  const venues = live === undefined ? base.sim.venues.slice(0, session.venueCount) : base.sim.venues.slice(0, live.length).map((v, i) => ({ ...v, venue: live[i]! }));
  const sim = { ...base.sim, venues };
  const half = Math.floor(sim.durationUs / 2);
  if (session.scenario === 'calm-then-volatile') {
    return {
      name: 'calm-then-volatile',
      description: 'Calm for the first half, then five times the volatility with jumps.',
      sim: { ...sim, jumpRatePerSec: 0.05, jumpMeanBps: 0, jumpSdBps: 25 },
      knobs: { ...base.knobs, volRegimes: [{ fromUs: half, toUs: sim.durationUs, multiplier: 5 }] },
    };
  }
  return { ...base, name: session.scenario, sim };
}

/** Returns the seed of `instrument`'s market: the session seed for the first instrument, a derived one for the others. */
export function laneSeed(session: LaneSessionConfig, instrument: string): string {
  const index = session.instruments.indexOf(instrument);
  return index <= 0 ? String(session.seed) : `${session.seed}/${instrument}`;
}

/** Returns the runner configuration of `instrument` (strategy, venues, limits) for the session. */
export function laneRunnerConfig(session: LaneSessionConfig, instrument: string): RunnerConfig {
  const scenario = laneScenario(session, instrument);
  const base = runnerConfigForScenario(scenario, { timerIntervalUs: session.tickUs * Math.max(1, Math.round(1_000_000 / session.tickUs)) });
  const s = base.strategy;
  const strategy = {
    ...s,
    hedge: { ...s.hedge, ...(session.hedgeBandBase !== undefined && { bandBase: session.hedgeBandBase }) },
    exit: { ...s.exit, ...(session.exitEdgeMinUsd !== undefined && { edgeMinUsd: session.exitEdgeMinUsd }), ...(session.exitVolBufferMult !== undefined && { volBufferMult: session.exitVolBufferMult }) },
    risk: session.scenario === 'loss-limit' ? { ...s.risk, dailyLossLimitUsd: 1 } : s.risk,
  };
  return { ...base, strategy };
}
