import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  adversarialName,
  adversarialScore,
  cemInit,
  cemSample,
  cemUpdate,
  mean,
  NEUTRAL_PARAMS,
  planEpisodes,
  SCENARIO_FILE_SCHEMA,
  validateScenarioParams,
  type CemDimension,
  type CemOptions,
  type ScenarioFile,
  type ScenarioParams,
  type StrategyKnobs,
} from '@fleet/research';
import { parseFlags, runMain, usage, UsageError, type FlagSpec } from './cli';
import { defaultWorkers, EpisodePool } from './episode-pool';
import { parseKnobsFlag } from './knobs-flag';
import { ProgressBar } from './progress';
import { OUT_DIR, REGRESSION_DIR, writeScenarioDir } from './scenario-store';

/** The scenario parameters the search moves, with their bounds. */
export const ADVERSARIAL_DIMENSIONS: readonly CemDimension[] = [
  { name: 'volMultiplier', min: 1, max: 6 },
  { name: 'spreadMult', min: 1, max: 8 },
  { name: 'depthMult', min: 0.05, max: 1 },
  { name: 'outageVenue', min: -1, max: 1, integer: true },
  { name: 'fundingMultiplier', min: -5, max: 1 },
  { name: 'basisSpikeBps', min: -80, max: 80 },
  { name: 'jumpRatePerSec', min: 0, max: 0.05 },
  { name: 'jumpSdBps', min: 0, max: 80 },
];

const SPECS: Record<string, FlagSpec> = {
  seed: { kind: 'string', help: 'Seed of the candidate generation and of the episodes', required: true },
  iterations: { kind: 'int', help: 'CEM iterations', default: 4, min: 1 },
  population: { kind: 'int', help: 'Candidates per iteration', default: 12, min: 2 },
  'elite-frac': { kind: 'number', help: 'Elite fraction (0 < f ≤ 1)', default: 0.25, min: 0.01 },
  episodes: { kind: 'int', help: 'Episodes per candidate scenario', default: 4, min: 1 },
  'top-k': { kind: 'int', help: 'Scenarios promoted into the regression suite', default: 3, min: 1 },
  'duration-sec': { kind: 'number', help: 'Session length of the generated scenarios, in seconds', default: 3600, min: 1 },
  knobs: { kind: 'string', help: 'The strategy under attack (inline JSON or a file)', default: '{"profile":"balanced"}' },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  out: { kind: 'string', help: 'Search log directory (default out/research/adversarial/<seed>)' },
  'regression-dir': { kind: 'string', help: 'Where the regression suite is written', default: REGRESSION_DIR },
  'no-promote': { kind: 'bool', help: 'Search only; do not rewrite the regression suite' },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY =
  'Adversarial search by the cross-entropy method over scenario parameters: maximises kill probability and drawdown and minimises mean PnL of the strategy; promotes the top-K scenarios (stable names adv-<sha256 of params>) into the regression suite with a manifest. Deterministic for a seed.';

/** One evaluated adversarial candidate. */
export interface AdversarialTrial {
  readonly iteration: number;
  readonly name: string;
  readonly params: ScenarioParams;
  readonly killProb: number;
  readonly drawdownMean: number;
  readonly pnlMean: number;
  readonly score: number;
}

/** The search's options. */
export interface AdversarialOptions {
  readonly seed: string;
  readonly iterations: number;
  readonly population: number;
  readonly eliteFraction: number;
  readonly episodes: number;
  readonly topK: number;
  readonly durationSec: number;
  readonly knobs: StrategyKnobs;
  readonly workers: number;
  readonly progress: boolean;
}

/** Returns the scenario file of a CEM candidate vector. */
export function adversarialScenario(vector: readonly number[], durationSec: number): ScenarioFile {
  const params: Record<string, number> = { ...NEUTRAL_PARAMS, durationSec };
  ADVERSARIAL_DIMENSIONS.forEach((d, j) => {
    params[d.name] = vector[j]!;
  });
  const p = params as unknown as ScenarioParams;
  const issues = validateScenarioParams(p);
  if (issues.length > 0) throw new Error(`generated an invalid scenario: ${issues.join('; ')}`);
  const name = adversarialName(p);
  return { schema: SCENARIO_FILE_SCHEMA, name, family: 'adversarial', description: `Adversarial scenario found by the cross-entropy search (${ADVERSARIAL_DIMENSIONS.map((d, j) => `${d.name}=${vector[j]}`).join(', ')}).`, params: p };
}

/** Runs the search; returns every trial in evaluation order and the promoted top-K (score descending, ties by name). */
export async function adversarialSearch(o: AdversarialOptions): Promise<{ trials: AdversarialTrial[]; promoted: AdversarialTrial[]; scenarios: ScenarioFile[] }> {
  const options: CemOptions = { dimensions: ADVERSARIAL_DIMENSIONS, population: o.population, eliteFraction: o.eliteFraction, smoothing: 0.7, minStdFraction: 0.02 };
  let state = cemInit(ADVERSARIAL_DIMENSIONS);
  const trials: AdversarialTrial[] = [];
  const files = new Map<string, ScenarioFile>();
  const pool = new EpisodePool(o.workers, { scenarios: [] });
  const bar = new ProgressBar('adversarial', o.iterations * o.population, o.progress);
  try {
    for (let it = 0; it < o.iterations; it += 1) {
      const vectors = cemSample(state, options, o.seed);
      const scenarios = vectors.map((v) => adversarialScenario(v, o.durationSec));
      for (const s of scenarios) files.set(s.name, s);
      const tasks = scenarios.flatMap((s, c) => planEpisodes(`${o.seed}:${s.name}`, [s.name], o.episodes).map((t) => ({ ...t, index: c * o.episodes + t.index })));
      const results = await pool.run(o.knobs, tasks, (d) => bar.update(it * o.population + Math.floor(d / o.episodes)), 1, [...files.values()]);
      const scores: number[] = [];
      scenarios.forEach((s, c) => {
        const mine = results.slice(c * o.episodes, (c + 1) * o.episodes);
        const outcome = { killProb: mine.filter((r) => r.killed).length / mine.length, drawdownMean: mean(mine.map((r) => r.maxDrawdown)), pnlMean: mean(mine.map((r) => r.pnl)) };
        const score = adversarialScore(outcome);
        scores.push(score);
        trials.push({ iteration: it, name: s.name, params: s.params, ...outcome, score });
      });
      state = cemUpdate(state, options, vectors, scores);
    }
  } finally {
    await pool.close();
  }
  const best = new Map<string, AdversarialTrial>();
  for (const t of trials) if (!best.has(t.name) || best.get(t.name)!.score < t.score) best.set(t.name, t);
  const promoted = [...best.values()].sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1)).slice(0, o.topK);
  return { trials, promoted, scenarios: promoted.map((t) => files.get(t.name)!) };
}

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('adversarial', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const eliteFraction = flags['elite-frac'] as number;
  if (eliteFraction > 1) throw new UsageError(`--elite-frac must be at most 1, received ${eliteFraction}`);
  const o: AdversarialOptions = {
    seed: String(flags.seed),
    iterations: flags.iterations as number,
    population: flags.population as number,
    eliteFraction,
    episodes: flags.episodes as number,
    topK: flags['top-k'] as number,
    durationSec: flags['duration-sec'] as number,
    knobs: parseKnobsFlag('knobs', String(flags.knobs)),
    workers: flags.workers as number,
    progress: flags.quiet !== true,
  };
  const { trials, promoted, scenarios } = await adversarialSearch(o);
  const out = flags.out === undefined ? join(OUT_DIR, 'adversarial', o.seed) : String(flags.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'trials.jsonl'), trials.map((t) => JSON.stringify(t)).join('\n') + '\n');
  writeFileSync(join(out, 'promoted.json'), `${JSON.stringify(promoted, null, 2)}\n`);
  for (const t of promoted) process.stdout.write(`${t.name} score ${t.score.toFixed(4)} kill ${t.killProb.toFixed(3)} drawdown ${t.drawdownMean.toFixed(2)} pnl ${t.pnlMean.toFixed(2)}\n`);
  if (flags['no-promote'] !== true) {
    const dir = String(flags['regression-dir']);
    writeScenarioDir(dir, `adversarial_regression_v1 (seed ${o.seed})`, scenarios, { regression: scenarios.map((s) => s.name) });
    process.stdout.write(`promoted ${scenarios.length} scenarios into ${dir} (suite "regression")\n`);
  }
  process.stdout.write(`wrote ${join(out, 'trials.jsonl')} and promoted.json\n`);
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
