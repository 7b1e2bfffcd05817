import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planEpisodes, summariseMonteCarlo, type EpisodeResult, type MonteCarloResult, type ScenarioFile, type StrategyKnobs } from '@fleet/research';
import { parseFlags, runMain, usage, type FlagSpec, type Flags } from './cli';
import { defaultWorkers, runEpisodes, scenariosFor } from './episode-pool';
import { parseKnobsFlag } from './knobs-flag';
import { ProgressBar } from './progress';
import { loadSuite, OUT_DIR, SCENARIOS_DIR } from './scenario-store';

const SPECS: Record<string, FlagSpec> = {
  seed: { kind: 'string', help: 'The master seed; episode i uses seed <seed>:<i>', required: true },
  episodes: { kind: 'int', help: 'Number of episodes (spread round-robin over the suite)', default: 100, min: 1 },
  suite: { kind: 'string', help: 'The scenario suite of the manifest', default: 'smoke' },
  'scenarios-dir': { kind: 'string', help: 'The scenario directory (checked against its manifest first)', default: SCENARIOS_DIR },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  'duration-sec': { kind: 'number', help: "Overrides every scenario's session length, in seconds (default: the scenario's own)", min: 0.001 },
  knobs: { kind: 'string', help: 'Strategy knobs: inline JSON or a JSON file, e.g. {"profile":"balanced","gamma":0.5}', default: '{"profile":"balanced"}' },
  out: { kind: 'string', help: 'Output directory (default out/research/monte-carlo/<seed>)' },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY = 'Runs N seeded episodes of the pure core (runSession on the seeded simulator) over a scenario suite, on worker threads, and writes mc_summary.json (tail-risk metrics) and episodes.jsonl. The result for a seed does not depend on --workers.';

/** The options of a Monte Carlo run. */
export interface MonteCarloOptions {
  readonly seed: string;
  readonly episodes: number;
  readonly suite: string;
  readonly scenariosDir: string;
  readonly workers: number;
  readonly durationSec?: number;
  readonly knobs: StrategyKnobs;
  readonly progress: boolean;
  readonly label?: string;
}

/** Returns the Monte Carlo result and the per-episode results (the manifest is checked before anything runs). */
export async function monteCarlo(o: MonteCarloOptions, scenarios?: readonly ScenarioFile[]): Promise<{ result: MonteCarloResult; episodes: EpisodeResult[] }> {
  const suite = scenarios ?? loadSuite(o.scenariosDir, o.suite);
  const tasks = planEpisodes(o.seed, suite.map((s) => s.name), o.episodes);
  const bar = new ProgressBar(o.label ?? 'monte-carlo', tasks.length, o.progress);
  const episodes = await runEpisodes(o.knobs, tasks, { scenarios: scenariosFor(tasks, suite), durationSec: o.durationSec }, o.workers, (d) => bar.update(d));
  const result = summariseMonteCarlo({ seed: o.seed, candidate: o.knobs, suite: o.suite, scenarios: suite.map((s) => s.name), durationSec: o.durationSec }, episodes);
  return { result, episodes };
}

/** Returns the options of the command's flags. */
export function monteCarloOptions(flags: Flags): MonteCarloOptions {
  return {
    seed: String(flags.seed),
    episodes: flags.episodes as number,
    suite: String(flags.suite),
    scenariosDir: String(flags['scenarios-dir']),
    workers: flags.workers as number,
    durationSec: flags['duration-sec'] as number | undefined,
    knobs: parseKnobsFlag('knobs', String(flags.knobs)),
    progress: flags.quiet !== true,
  };
}

/** Writes mc_summary.json and episodes.jsonl into `dir`. */
export function writeMonteCarlo(dir: string, result: MonteCarloResult, episodes: readonly EpisodeResult[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mc_summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'episodes.jsonl'), episodes.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('monte-carlo', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const options = monteCarloOptions(flags);
  const started = performance.now();
  const { result, episodes } = await monteCarlo(options);
  const dir = flags.out === undefined ? join(OUT_DIR, 'monte-carlo', options.seed) : String(flags.out);
  writeMonteCarlo(dir, result, episodes);
  const t = result.tailRisk;
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(
    [
      `episodes ${t.episodes} (${options.suite}, ${options.workers} workers, ${secs.toFixed(1)} s, ${((t.episodes / secs) * 60).toFixed(1)} episodes/min)`,
      `pnl mean ${t.pnl.mean.toFixed(4)} p01 ${t.pnl.quantiles.p01.toFixed(4)} p05 ${t.pnl.quantiles.p05.toFixed(4)} p50 ${t.pnl.quantiles.p50.toFixed(4)} p95 ${t.pnl.quantiles.p95.toFixed(4)} p99 ${t.pnl.quantiles.p99.toFixed(4)}`,
      `VaR95 ${t.pnl.var.toFixed(4)} CVaR95 ${t.pnl.cvar.toFixed(4)} | drawdown p50 ${t.drawdown.quantiles.p50.toFixed(4)} p95 ${t.drawdown.quantiles.p95.toFixed(4)} p99 ${t.drawdown.quantiles.p99.toFixed(4)} CVaR95 ${t.drawdown.cvar.toFixed(4)}`,
      `kill probability ${t.killProbability.point.toFixed(4)} (Wilson 95% [${t.killProbability.lower.toFixed(4)}, ${t.killProbability.upper.toFixed(4)}], ${t.killProbability.kills} kills)`,
      `results digest ${result.resultsDigest}`,
      `wrote ${join(dir, 'mc_summary.json')} and episodes.jsonl`,
    ].join('\n') + '\n',
  );
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
