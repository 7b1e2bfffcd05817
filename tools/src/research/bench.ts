import { buildScenario, NEUTRAL_PARAMS, planEpisodes, SCENARIO_FILE_SCHEMA, type ScenarioFile } from '@fleet/research';
import { parseFlags, runMain, usage, type FlagSpec } from './cli';
import { defaultWorkers, EpisodePool } from './episode-pool';
import { parseKnobsFlag } from './knobs-flag';
import { ProgressBar } from './progress';

const SPECS: Record<string, FlagSpec> = {
  episodes: { kind: 'int', help: 'Episodes to run (spread over the workers)', default: 8, min: 1 },
  'duration-sec': { kind: 'number', help: 'Episode length, in seconds', default: 3600, min: 1 },
  venues: { kind: 'int', help: 'Venues in the simulated market (2 or 3)', default: 2, min: 2 },
  'step-ms': { kind: 'int', help: 'The simulation step (book tick), in milliseconds', default: 100, min: 1 },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  seed: { kind: 'string', help: 'Seed', default: 'bench' },
  knobs: { kind: 'string', help: 'Strategy knobs (inline JSON or a file)', default: '{"profile":"balanced"}' },
  target: { kind: 'int', help: 'The target workload for the projection, in episodes', default: 10000, min: 1 },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY = 'Benchmarks the Monte Carlo engine on the pure core: simulated venue-ticks per second per core and episodes per minute, and projects the time of the target workload (10,000 one-hour two-venue episodes at 100 ms ticks by default).';

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('bench', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const workers = flags.workers as number;
  const durationSec = flags['duration-sec'] as number;
  const scenario: ScenarioFile = {
    schema: SCENARIO_FILE_SCHEMA,
    name: 'bench',
    family: 'benchmark',
    description: 'The medium-volatility market, no stress.',
    params: { ...NEUTRAL_PARAMS, durationSec, venueCount: flags.venues as number, stepMs: flags['step-ms'] as number },
  };
  buildScenario(scenario.name, scenario.description, scenario.params);
  const tasks = planEpisodes(String(flags.seed), ['bench'], flags.episodes as number);
  const knobs = parseKnobsFlag('knobs', String(flags.knobs));
  const warm: ScenarioFile = { ...scenario, name: 'bench-warm-up', params: { ...scenario.params, durationSec: Math.min(60, durationSec) } };
  const pool = new EpisodePool(Math.min(workers, tasks.length), { scenarios: [scenario, warm] });
  let results;
  let secs;
  try {
    // Warm-up (not timed): loads TypeScript and lets the JIT settle in every worker.
    await pool.run(knobs, planEpisodes('warm-up', [warm.name], 2 * Math.min(workers, tasks.length)));
    const bar = new ProgressBar('bench', tasks.length, flags.quiet !== true);
    const started = performance.now();
    results = await pool.run(knobs, tasks, (d) => bar.update(d));
    secs = (performance.now() - started) / 1000;
  } finally {
    await pool.close();
  }
  const venueTicks = results.reduce((s, r) => s + r.venueTicks, 0);
  const used = Math.min(workers, tasks.length);
  const perMin = (results.length / secs) * 60;
  const target = flags.target as number;
  process.stdout.write(
    [
      `episodes ${results.length} × ${durationSec} s, ${flags.venues} venues, ${flags['step-ms']} ms ticks, ${used} workers: ${secs.toFixed(2)} s wall`,
      `venue-ticks ${venueTicks} → ${(venueTicks / secs).toFixed(0)} venue-ticks/s total, ${(venueTicks / secs / used).toFixed(0)} venue-ticks/s per core`,
      `episodes/min ${perMin.toFixed(2)}`,
      `projection: ${target} such episodes on ${used} workers ≈ ${(target / perMin).toFixed(1)} min (aim: 10 min)`,
    ].join('\n') + '\n',
  );
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
