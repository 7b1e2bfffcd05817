import { mkdirSync, writeFileSync } from 'node:fs';
import { Prng } from '@fleet/core';
import { join } from 'node:path';
import {
  DEFAULT_BUDGET_TIERS,
  NUMERIC_KNOBS,
  nextGeneration,
  paretoFrontier,
  planEpisodes,
  RISK_PROFILE_NAMES_FOR_SWEEP,
  selectWinners,
  summariseMonteCarlo,
  toCsv,
  type SweepSpace,
  type Trial,
} from '@fleet/research';
import { parseFlags, runMain, usage, UsageError, type FlagSpec } from './cli';
import { defaultWorkers, EpisodePool, scenariosFor } from './episode-pool';
import { ProgressBar } from './progress';
import { loadSuite, OUT_DIR, SCENARIOS_DIR } from './scenario-store';
import { parseRanges } from './sweep';

const SPECS: Record<string, FlagSpec> = {
  seed: { kind: 'string', help: 'Seed of candidate generation and of the episodes', required: true },
  budget: { kind: 'string', help: 'Budget tier of the run: smoke (2 generations × 6, 10 episodes), standard (4 × 12, 40), deep (8 × 16, 100)', default: 'smoke', choices: ['smoke', 'standard', 'deep'] },
  generations: { kind: 'int', help: 'Overrides the budget: generations', min: 1 },
  population: { kind: 'int', help: 'Overrides the budget: candidates per generation', min: 2 },
  episodes: { kind: 'int', help: 'Overrides the budget: Monte Carlo episodes per candidate', min: 1 },
  profiles: { kind: 'string', help: 'Comma-separated risk profiles to search', default: 'conservative,balanced,aggressive' },
  ranges: { kind: 'string', help: 'Knob ranges knob=min:max[:log];…', default: 'gamma=0.02:2:log;hedgeBand=0.5:20:log;hedgeMaxStep=0.5:20:log;sizeEta=0.05:2:log' },
  suite: { kind: 'string', help: 'The scenario suite', default: 'smoke' },
  'scenarios-dir': { kind: 'string', help: 'The scenario directory (checked against its manifest first)', default: SCENARIOS_DIR },
  'duration-sec': { kind: 'number', help: "Overrides every scenario's session length, in seconds", min: 0.001 },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  out: { kind: 'string', help: 'Output directory (default out/research/tune/<seed>)' },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY =
  'Multi-objective tuning: seeded candidates with evolutionary mutation of the Pareto frontier; objectives mean PnL (max), kill-probability Wilson upper bound (min) and drawdown CVaR95 (min); deterministic winner per budget tier. Writes trials.jsonl, pareto.json and pareto.csv.';

const BUDGETS = { smoke: { generations: 2, population: 6, episodes: 10 }, standard: { generations: 4, population: 12, episodes: 40 }, deep: { generations: 8, population: 16, episodes: 100 } } as const;

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('tune', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const budget = BUDGETS[flags.budget as keyof typeof BUDGETS];
  const generations = (flags.generations as number | undefined) ?? budget.generations;
  const population = (flags.population as number | undefined) ?? budget.population;
  const episodes = (flags.episodes as number | undefined) ?? budget.episodes;
  const profiles = String(flags.profiles).split(',').map((p) => p.trim());
  for (const p of profiles) if (!RISK_PROFILE_NAMES_FOR_SWEEP.includes(p as never)) throw new UsageError(`--profiles must list risk profiles (${RISK_PROFILE_NAMES_FOR_SWEEP.join(', ')}), received ${JSON.stringify(p)}`);
  const space: SweepSpace = parseRanges(profiles as SweepSpace['profile'], String(flags.ranges));
  const seed = String(flags.seed);
  const suite = loadSuite(String(flags['scenarios-dir']), String(flags.suite));
  const tasks = planEpisodes(seed, suite.map((s) => s.name), episodes);
  const prng = Prng.seeded(`tune:${seed}`);
  const trials: Trial[] = [];
  const pool = new EpisodePool(Math.min(flags.workers as number, tasks.length), { scenarios: scenariosFor(tasks, suite), durationSec: flags['duration-sec'] as number | undefined });
  const bar = new ProgressBar('tune', generations * population * tasks.length, flags.quiet !== true);
  let done = 0;
  try {
    for (let g = 0; g < generations; g += 1) {
      const candidates = nextGeneration(paretoFrontier(trials), space, population, prng);
      for (const [c, knobs] of candidates.entries()) {
        const results = await pool.run(knobs, tasks, (d) => bar.update(done + d));
        done += tasks.length;
        const t = summariseMonteCarlo({ seed, candidate: knobs, suite: String(flags.suite), scenarios: suite.map((s) => s.name) }, results).tailRisk;
        trials.push({ id: `g${String(g).padStart(2, '0')}-c${String(c).padStart(3, '0')}`, knobs, meanPnl: t.pnl.mean, killProbUpper: t.killProbability.upper, drawdownCvar: t.drawdown.cvar });
      }
    }
  } finally {
    await pool.close();
  }
  const frontier = paretoFrontier(trials);
  const winners = selectWinners(trials, DEFAULT_BUDGET_TIERS);
  const dir = flags.out === undefined ? join(OUT_DIR, 'tune', seed) : String(flags.out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trials.jsonl'), trials.map((t) => JSON.stringify(t)).join('\n') + '\n');
  writeFileSync(join(dir, 'pareto.json'), `${JSON.stringify({ seed, budget: { generations, population, episodes }, tiers: DEFAULT_BUDGET_TIERS, frontier, winners }, (k, v: unknown) => (v === -Infinity ? null : v), 2)}\n`);
  const rows = frontier.map((t) => {
    const knobs: Record<string, number | null> = {};
    for (const k of NUMERIC_KNOBS) knobs[k] = t.knobs[k] ?? null;
    return { id: t.id, profile: t.knobs.profile, ...knobs, mean_pnl: t.meanPnl, kill_prob_ci_upper: t.killProbUpper, drawdown_cvar: t.drawdownCvar };
  });
  writeFileSync(join(dir, 'pareto.csv'), toCsv(rows, ['id', 'profile', ...NUMERIC_KNOBS, 'mean_pnl', 'kill_prob_ci_upper', 'drawdown_cvar']));
  process.stdout.write(`${trials.length} trials, ${frontier.length} on the Pareto frontier\n`);
  for (const [tier, w] of Object.entries(winners)) process.stdout.write(`winner ${tier}: ${w === null ? 'none within budget' : `${w.id} mean PnL ${w.meanPnl.toFixed(4)} kill upper ${w.killProbUpper.toFixed(4)} drawdown CVaR ${w.drawdownCvar.toFixed(4)} ${JSON.stringify(w.knobs)}`}\n`);
  process.stdout.write(`wrote ${join(dir, 'trials.jsonl')}, pareto.json and pareto.csv\n`);
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
