import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@fleet/core';
import {
  confidenceReportMarkdown,
  decideGate,
  DEFAULT_GATE_POLICY,
  GATE_EXIT_CODES,
  planEpisodes,
  summariseMonteCarlo,
  validateKnobs,
  type ConfidenceReport,
  type EpisodeOutcome,
  type EpisodeResult,
  type GatePolicy,
  type ScenarioComparison,
  type ScenarioFile,
  type StrategyKnobs,
} from '@fleet/research';
import { parseFlags, usage, UsageError, type FlagSpec, type Flags } from './cli';
import { defaultWorkers, EpisodePool } from './episode-pool';
import { verifyEvidenceDir, writeEvidenceManifest } from './evidence-io';
import { parseKnobsFlag } from './knobs-flag';
import { ProgressBar } from './progress';
import { loadSuite, MANIFEST_FILE, OUT_DIR, REGRESSION_DIR, SCENARIOS_DIR } from './scenario-store';

const SPECS: Record<string, FlagSpec> = {
  seed: { kind: 'string', help: 'The seed of every episode and of the bootstrap (required: no seed, no decision)', required: true },
  candidate: { kind: 'string', help: 'Candidate knobs: inline JSON or a JSON file' },
  'candidate-run': { kind: 'string', help: 'Instead of running the candidate Monte Carlo: a monte-carlo output directory (mc_summary.json + episodes.jsonl)' },
  baseline: { kind: 'string', help: 'Baseline knobs: inline JSON or a JSON file', default: '{"profile":"balanced"}' },
  'baseline-run': { kind: 'string', help: 'Instead of running the baseline Monte Carlo: a monte-carlo output directory' },
  episodes: { kind: 'int', help: 'Monte Carlo episodes per side', default: 60, min: 1 },
  suite: { kind: 'string', help: 'The scenario-library suite (full is promotion-critical; smoke for CI)', default: 'full' },
  'scenario-episodes': { kind: 'int', help: 'Episodes per scenario of the suite and of the regression suite, per side', default: 2, min: 1 },
  'scenarios-dir': { kind: 'string', help: 'The scenario library directory', default: SCENARIOS_DIR },
  'regression-dir': { kind: 'string', help: 'The adversarial regression suite directory', default: REGRESSION_DIR },
  'duration-sec': { kind: 'number', help: "Overrides every scenario's session length, in seconds (smoke runs)", min: 0.001 },
  'min-episodes': { kind: 'int', help: 'Fewer Monte Carlo episodes than this is HOLD', default: DEFAULT_GATE_POLICY.minEpisodes, min: 1 },
  'max-kill-upper': { kind: 'number', help: 'The largest allowed kill-probability Wilson upper bound', default: DEFAULT_GATE_POLICY.maxKillProbUpper, min: 0 },
  resamples: { kind: 'int', help: 'Bootstrap resamples', default: DEFAULT_GATE_POLICY.bootstrapResamples, min: 10 },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  'out-dir': { kind: 'string', help: 'The evidence pack directory (default out/research/gate/<seed>); replaced if it exists' },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY =
  'The promotion gate: runs a candidate through the scenario suite, the adversarial regression suite and Monte Carlo, compares it with the baseline using seeded bootstrap confidence, writes an evidence pack (gate_manifest.json, confidence_report.json/.md, gate_summary.json, evidence_pack/manifest.json) and verifies it (always). Exit codes: PASS=0, FAIL=1, HOLD=2 (not enough evidence), ERROR=3.';

/** Returns the episodes of a monte-carlo output directory, checking every row. */
export function readRun(flag: string, dir: string): { knobs: StrategyKnobs; episodes: EpisodeOutcome[] } {
  const summaryPath = join(dir, 'mc_summary.json');
  const episodesPath = join(dir, 'episodes.jsonl');
  if (!existsSync(summaryPath) || !existsSync(episodesPath)) throw new UsageError(`--${flag} must be a monte-carlo output directory with mc_summary.json and episodes.jsonl, received ${JSON.stringify(dir)}`);
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { candidate?: StrategyKnobs };
  const knobs = { profile: 'balanced', ...summary.candidate } as StrategyKnobs;
  const issues = validateKnobs(knobs);
  if (issues.length > 0) throw new Error(`${summaryPath}: invalid candidate knobs: ${issues.join('; ')}`);
  const episodes = readFileSync(episodesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const e = JSON.parse(line) as Partial<EpisodeResult>;
      if (typeof e.pnl !== 'number' || !Number.isFinite(e.pnl) || typeof e.maxDrawdown !== 'number' || !(e.maxDrawdown >= 0) || typeof e.killed !== 'boolean') {
        throw new Error(`${episodesPath} line ${i + 1}: expected pnl (finite), maxDrawdown (≥ 0) and killed (boolean), received ${line.slice(0, 200)}`);
      }
      return { pnl: e.pnl, maxDrawdown: e.maxDrawdown, killed: e.killed };
    });
  return { knobs, episodes };
}

const outcome = (r: EpisodeResult): EpisodeOutcome => ({ pnl: r.pnl, maxDrawdown: r.maxDrawdown, killed: r.killed });

interface GateRun {
  readonly errors: string[];
  candidateKnobs?: StrategyKnobs;
  baselineKnobs?: StrategyKnobs;
  candidateMc: EpisodeOutcome[];
  baselineMc: EpisodeOutcome[];
  scenarios: ScenarioComparison[];
  mcCandidate?: unknown;
  mcBaseline?: unknown;
  scenarioManifestSha256?: string;
  regressionManifestSha256?: string;
}

async function collect(flags: Flags, run: GateRun): Promise<void> {
  const seed = String(flags.seed);
  const candidateRun = flags['candidate-run'] === undefined ? undefined : readRun('candidate-run', String(flags['candidate-run']));
  const baselineRun = flags['baseline-run'] === undefined ? undefined : readRun('baseline-run', String(flags['baseline-run']));
  if (flags.candidate === undefined && candidateRun === undefined) throw new UsageError('one of --candidate or --candidate-run is required');
  if (flags.candidate !== undefined && candidateRun !== undefined) throw new UsageError('give --candidate or --candidate-run, not both');
  run.candidateKnobs = candidateRun?.knobs ?? parseKnobsFlag('candidate', String(flags.candidate));
  run.baselineKnobs = baselineRun?.knobs ?? parseKnobsFlag('baseline', String(flags.baseline));
  // Integrity first: a manifest mismatch stops the run before any episode.
  const scenariosDir = String(flags['scenarios-dir']);
  const regressionDir = String(flags['regression-dir']);
  let suite: ScenarioFile[] = [];
  let regression: ScenarioFile[] = [];
  try {
    suite = loadSuite(scenariosDir, String(flags.suite));
    run.scenarioManifestSha256 = sha256Hex(readFileSync(join(scenariosDir, MANIFEST_FILE)));
  } catch (e) {
    run.errors.push(`scenario library: ${(e as Error).message}`);
  }
  try {
    regression = loadSuite(regressionDir, 'regression');
    run.regressionManifestSha256 = sha256Hex(readFileSync(join(regressionDir, MANIFEST_FILE)));
  } catch (e) {
    run.errors.push(`adversarial regression suite: ${(e as Error).message}`);
  }
  if (run.errors.length > 0) return;
  const all = [...suite, ...regression];
  const perScenario = flags['scenario-episodes'] as number;
  const episodes = flags.episodes as number;
  const mcTasks = planEpisodes(`${seed}:mc`, suite.map((s) => s.name), episodes);
  const suiteTasks = all.flatMap((s, c) => planEpisodes(`${seed}:suite:${s.name}`, [s.name], perScenario).map((t) => ({ ...t, index: c * perScenario + t.index })));
  const total = suiteTasks.length * 2 + (candidateRun ? 0 : mcTasks.length) + (baselineRun ? 0 : mcTasks.length);
  const bar = new ProgressBar('gate', total, flags.quiet !== true);
  let done = 0;
  const pool = new EpisodePool(Math.min(flags.workers as number, Math.max(1, total)), { scenarios: all, durationSec: flags['duration-sec'] as number | undefined });
  const step = async (knobs: StrategyKnobs, tasks: typeof mcTasks): Promise<EpisodeResult[]> => {
    const r = await pool.run(knobs, tasks, (d) => bar.update(done + d));
    done += tasks.length;
    return r;
  };
  try {
    const meta = (knobs: StrategyKnobs) => ({ seed: `${seed}:mc`, candidate: knobs, suite: String(flags.suite), scenarios: suite.map((s) => s.name), durationSec: flags['duration-sec'] as number | undefined });
    if (candidateRun) run.candidateMc = candidateRun.episodes;
    else {
      const r = await step(run.candidateKnobs, mcTasks);
      run.candidateMc = r.map(outcome);
      run.mcCandidate = summariseMonteCarlo(meta(run.candidateKnobs), r);
    }
    if (baselineRun) run.baselineMc = baselineRun.episodes;
    else {
      const r = await step(run.baselineKnobs, mcTasks);
      run.baselineMc = r.map(outcome);
      run.mcBaseline = summariseMonteCarlo(meta(run.baselineKnobs), r);
    }
    const cand = await step(run.candidateKnobs, suiteTasks);
    const base = await step(run.baselineKnobs, suiteTasks);
    all.forEach((s, c) => {
      const slice = (xs: EpisodeResult[]) => xs.slice(c * perScenario, (c + 1) * perScenario).map(outcome);
      run.scenarios.push({ suite: c < suite.length ? 'scenario' : 'regression', scenario: s.name, candidate: slice(cand), baseline: slice(base) });
    });
  } finally {
    await pool.close();
  }
}

function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
}

/** Runs the gate and returns its exit code; it never throws (every failure is ERROR = 3). */
export async function runGate(argv: readonly string[]): Promise<number> {
  let flags: Flags;
  try {
    const parsed = parseFlags(argv, SPECS);
    if (parsed.help) {
      process.stdout.write(`${usage('gate', SUMMARY, SPECS)}\n`);
      return 0;
    }
    flags = parsed.flags;
  } catch (e) {
    process.stderr.write(`ERROR: ${(e as Error).message}\n`);
    return GATE_EXIT_CODES.ERROR;
  }
  const seed = String(flags.seed);
  const outDir = flags['out-dir'] === undefined ? join(OUT_DIR, 'gate', seed) : String(flags['out-dir']);
  const policy: GatePolicy = { ...DEFAULT_GATE_POLICY, minEpisodes: flags['min-episodes'] as number, maxKillProbUpper: flags['max-kill-upper'] as number, bootstrapResamples: flags.resamples as number };
  const run: GateRun = { errors: [], candidateMc: [], baselineMc: [], scenarios: [] };
  try {
    await collect(flags, run);
  } catch (e) {
    run.errors.push((e as Error).message);
  }
  let report: ConfidenceReport;
  try {
    report = decideGate({ seed, errors: run.errors, candidateMc: run.candidateMc, baselineMc: run.baselineMc, scenarios: run.scenarios }, policy);
  } catch (e) {
    report = decideGate({ seed, errors: [`decision failed: ${(e as Error).message}`], candidateMc: [], baselineMc: [], scenarios: [] }, policy);
  }
  try {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    writeJson(outDir, 'gate_manifest.json', {
      schema: 'fleet.research.gate-manifest/v1',
      seed,
      argv,
      policy,
      candidate: run.candidateKnobs ?? null,
      baseline: run.baselineKnobs ?? null,
      candidateRun: flags['candidate-run'] ?? null,
      baselineRun: flags['baseline-run'] ?? null,
      suite: flags.suite,
      scenarioManifestSha256: run.scenarioManifestSha256 ?? null,
      regressionManifestSha256: run.regressionManifestSha256 ?? null,
      episodes: { candidate: run.candidateMc.length, baseline: run.baselineMc.length },
      durationSec: flags['duration-sec'] ?? null,
    });
    writeJson(outDir, 'confidence_report.json', report);
    writeFileSync(join(outDir, 'confidence_report.md'), confidenceReportMarkdown(report));
    if (run.mcCandidate !== undefined) writeJson(outDir, 'mc_candidate.json', run.mcCandidate);
    if (run.mcBaseline !== undefined) writeJson(outDir, 'mc_baseline.json', run.mcBaseline);
    writeJson(outDir, 'gate_summary.json', {
      schema: 'fleet.research.gate-summary/v1',
      verdict: report.verdict,
      exitCode: report.exitCode,
      reasons: report.reasons,
      seed,
      pnlMeanDiff: report.pnlMeanDiff,
      drawdownCvarDiff: report.drawdownCvarDiff,
      killRateDiff: report.killRateDiff,
      scenarios: report.scenarios.map((s) => ({ suite: s.suite, scenario: s.scenario, pass: s.pass })),
    });
    writeEvidenceManifest(outDir);
  } catch (e) {
    process.stderr.write(`ERROR: could not write the evidence pack in ${outDir}: ${(e as Error).message}\n`);
    return GATE_EXIT_CODES.ERROR;
  }
  // Verification is part of the gate, not an option: a pack that does not verify is an ERROR.
  const problems = verifyEvidenceDir(outDir);
  if (problems.length > 0) {
    process.stderr.write(`ERROR: the evidence pack did not verify: ${problems.join('; ')}\n`);
    return GATE_EXIT_CODES.ERROR;
  }
  process.stdout.write(`${report.verdict} (exit ${report.exitCode})\n${report.reasons.map((r) => `  - ${r}`).join('\n')}\nevidence pack: ${outDir} (verified)\n`);
  return report.exitCode;
}

if (require.main === module) {
  void runGate(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
