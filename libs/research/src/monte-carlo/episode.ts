import { runnerConfigForScenario, runSession } from '@fleet/core';
import { buildScenario, type ScenarioFile } from '../scenarios';
import { formatSessionSummary, summaryRecordOf } from '../summary';
import { initialPositionsFor, runnerOverridesFor, type StrategyKnobs } from '../sweep/knobs';

/** One episode's outcome: the session summary in numbers, plus its digest. */
export interface EpisodeResult {
  readonly index: number;
  readonly scenario: string;
  readonly seed: string;
  readonly pnl: number;
  readonly maxDrawdown: number;
  readonly killed: boolean;
  readonly killReason: string | null;
  readonly fills: number;
  readonly quotes: number;
  readonly hedges: number;
  readonly exits: number;
  /** Simulated venue-ticks (book steps × venues), for the speed benchmark. */
  readonly venueTicks: number;
  /** The session digest (hash chain over every action and fill). */
  readonly digest: string;
  /** The session summary block (`formatSessionSummary`), the text the sweep's tidy rows are parsed from. */
  readonly summary: string;
}

/** Options of an episode. */
export interface EpisodeOptions {
  /** Overrides the scenario's session length, in seconds (for smoke runs and benchmarks). */
  readonly durationSec?: number;
}

/**
 * Returns one episode: the core's `runSession` (the decision code the services run, on the
 * seeded simulator and paper exchange) for `knobs` on `scenario` under `seed`, starting with the
 * knobs' initialInventory on the scenario's first venue (`initialPositionsFor`). This is the
 * only place the research harness touches the runner.
 */
export function runEpisode(knobs: StrategyKnobs, scenario: ScenarioFile, seed: string, index = 0, options: EpisodeOptions = {}): EpisodeResult {
  const params = options.durationSec === undefined ? scenario.params : { ...scenario.params, durationSec: options.durationSec };
  const sc = buildScenario(scenario.name, scenario.description, params);
  const config = runnerConfigForScenario(sc, runnerOverridesFor(knobs));
  const initialPositions = initialPositionsFor(knobs, sc.sim.venues);
  const { summary, digest } = runSession(config, sc, seed, initialPositions === undefined ? { recordActions: false } : { recordActions: false, initialPositions });
  const steps = Math.ceil(sc.sim.durationUs / sc.sim.stepUs);
  const record = { ...summaryRecordOf(summary, digest), scenario: scenario.name, seed };
  const killReason = record.killReason;
  const text = formatSessionSummary(record);
  return {
    index,
    scenario: scenario.name,
    seed,
    pnl: Number(summary.pnl.total),
    maxDrawdown: Number(summary.maxDrawdown),
    killed: summary.killSwitch,
    killReason,
    fills: summary.fills,
    quotes: summary.quotes,
    hedges: summary.hedges,
    exits: summary.exits,
    venueTicks: steps * sc.sim.venues.length,
    digest,
    summary: text,
  };
}
