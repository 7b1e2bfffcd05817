import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gridCandidates,
  groupSummary,
  isSignedKnob,
  knobsLabel,
  parseSessionSummary,
  planEpisodes,
  randomCandidates,
  RISK_PROFILE_NAMES_FOR_SWEEP,
  SWEEP_KNOBS,
  toCsv,
  type StrategyKnobs,
  type SweepGrid,
  type SweepKnob,
  type SweepSpace,
  type TidyRow,
} from '@fleet/research';
import { parseFlags, runMain, usage, UsageError, type FlagSpec } from './cli';
import { defaultWorkers, EpisodePool, scenariosFor } from './episode-pool';
import { ProgressBar } from './progress';
import { loadSuite, OUT_DIR, SCENARIOS_DIR } from './scenario-store';

const SPECS: Record<string, FlagSpec> = {
  mode: { kind: 'string', help: 'grid: the Cartesian product of --grid; random: --samples draws from --ranges', default: 'grid', choices: ['grid', 'random'] },
  profiles: { kind: 'string', help: 'Comma-separated risk profiles', default: 'balanced' },
  grid: { kind: 'string', help: 'Grid values: knob=v1,v2;knob=v1 (knobs: gamma, hedgeBand, hedgeMaxStep, sizeEta, volRef, dailyLossLimit, initialInventory — signed base units on the first venue)', default: '' },
  ranges: { kind: 'string', help: 'Random ranges: knob=min:max[:log];… (same knobs; initialInventory may be negative)', default: '' },
  samples: { kind: 'int', help: 'Random sweep: number of candidates', default: 8, min: 1 },
  seed: { kind: 'string', help: 'Seed of the candidate draw and of the episodes', required: true },
  'episodes-per-scenario': { kind: 'int', help: 'Episodes of each candidate on each scenario', default: 2, min: 1 },
  suite: { kind: 'string', help: 'The scenario suite', default: 'smoke' },
  'scenarios-dir': { kind: 'string', help: 'The scenario directory (checked against its manifest first)', default: SCENARIOS_DIR },
  'duration-sec': { kind: 'number', help: "Overrides every scenario's session length, in seconds", min: 0.001 },
  workers: { kind: 'int', help: 'Worker threads', default: defaultWorkers(), min: 1 },
  out: { kind: 'string', help: 'Output directory (default out/research/sweep/<seed>)' },
  quiet: { kind: 'bool', help: 'No progress bar' },
};
const SUMMARY = 'A grid or seeded random sweep over the strategy knobs: runs every candidate on every scenario of a suite and writes sweep_runs.csv (one tidy row per run, parsed from the session summary) and sweep_summary.csv (grouped by candidate and by candidate × scenario).';

function knobName(name: string, flag: string): SweepKnob {
  if (!(SWEEP_KNOBS as readonly string[]).includes(name)) throw new UsageError(`--${flag} names an unknown knob: received ${JSON.stringify(name)}, expected one of ${SWEEP_KNOBS.join(', ')}`);
  return name as SweepKnob;
}

function number(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} values must be numbers, received ${JSON.stringify(raw)}`);
  return n;
}

/** Returns the grid of a --grid value. */
export function parseGrid(profiles: SweepGrid['profile'], raw: string): SweepGrid {
  const values: Partial<Record<SweepKnob, number[]>> = {};
  for (const part of raw.split(';').filter((p) => p.trim() !== '')) {
    const [k, v] = part.split('=');
    if (v === undefined) throw new UsageError(`--grid parts must look like knob=v1,v2, received ${JSON.stringify(part)}`);
    values[knobName(k!.trim(), 'grid')] = v.split(',').map((x) => number('grid', x));
  }
  return { profile: profiles, values };
}

/** Returns the space of a --ranges value. */
export function parseRanges(profiles: SweepSpace['profile'], raw: string): SweepSpace {
  const ranges: Partial<Record<SweepKnob, { min: number; max: number; log?: boolean }>> = {};
  for (const part of raw.split(';').filter((p) => p.trim() !== '')) {
    const [k, v] = part.split('=');
    const bits = v?.split(':') ?? [];
    if (bits.length < 2 || bits.length > 3 || (bits[2] !== undefined && bits[2] !== 'log')) throw new UsageError(`--ranges parts must look like knob=min:max or knob=min:max:log, received ${JSON.stringify(part)}`);
    const min = number('ranges', bits[0]!);
    const max = number('ranges', bits[1]!);
    const knob = knobName(k!.trim(), 'ranges');
    if (isSignedKnob(knob)) {
      if (!(max >= min && (bits[2] !== 'log' || min > 0))) throw new UsageError(`--ranges needs min ≤ max for ${knob} (and 0 < min with log), received ${JSON.stringify(part)}`);
    } else if (!(min > 0 && max >= min)) throw new UsageError(`--ranges needs 0 < min ≤ max, received ${JSON.stringify(part)}`);
    ranges[knob] = { min, max, log: bits[2] === 'log' };
  }
  return { profile: profiles, ranges };
}

/** Returns the tidy row of one run: candidate labels and knobs, then the parsed session summary. */
export function tidyRow(candidate: string, knobs: StrategyKnobs, summaryText: string): TidyRow {
  const s = parseSessionSummary(summaryText);
  const row: Record<string, string | number | boolean | null> = { candidate, profile: knobs.profile };
  for (const k of SWEEP_KNOBS) row[k] = knobs[k] ?? null;
  return {
    ...row,
    scenario: s.scenario,
    seed: s.seed,
    pnl_realised: s.pnlRealised,
    pnl_unrealised: s.pnlUnrealised,
    pnl_total: s.pnlTotal,
    fees: s.fees,
    funding: s.funding,
    max_drawdown: s.maxDrawdown,
    quotes: s.quotes,
    fills: s.fills,
    hedges: s.hedges,
    exits: s.exits,
    kill_switch: s.killSwitch,
    kill_reason: s.killReason,
    session_digest: s.sessionDigest,
  };
}

/** The columns of sweep_runs.csv. */
export const RUN_COLUMNS = ['candidate', 'profile', ...SWEEP_KNOBS, 'scenario', 'seed', 'pnl_realised', 'pnl_unrealised', 'pnl_total', 'fees', 'funding', 'max_drawdown', 'quotes', 'fills', 'hedges', 'exits', 'kill_switch', 'kill_reason', 'session_digest'];
/** The columns of sweep_summary.csv. */
export const SUMMARY_COLUMNS = ['candidate', 'scenario', 'profile', ...SWEEP_KNOBS, 'runs', 'pnl_mean', 'pnl_std', 'kill_rate', 'max_drawdown_mean', 'max_drawdown_max'];

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('sweep', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const profiles = String(flags.profiles).split(',').map((p) => p.trim());
  for (const p of profiles) if (!RISK_PROFILE_NAMES_FOR_SWEEP.includes(p as never)) throw new UsageError(`--profiles must list risk profiles (${RISK_PROFILE_NAMES_FOR_SWEEP.join(', ')}), received ${JSON.stringify(p)}`);
  const seed = String(flags.seed);
  const candidates =
    flags.mode === 'grid'
      ? gridCandidates(parseGrid(profiles as SweepGrid['profile'], String(flags.grid)))
      : randomCandidates(parseRanges(profiles as SweepSpace['profile'], String(flags.ranges)), flags.samples as number, seed);
  const suite = loadSuite(String(flags['scenarios-dir']), String(flags.suite));
  const perScenario = flags['episodes-per-scenario'] as number;
  const tasks = planEpisodes(seed, suite.map((s) => s.name), perScenario * suite.length);
  const pool = new EpisodePool(Math.min(flags.workers as number, tasks.length), { scenarios: scenariosFor(tasks, suite), durationSec: flags['duration-sec'] as number | undefined });
  const rows: TidyRow[] = [];
  const bar = new ProgressBar('sweep', candidates.length * tasks.length, flags.quiet !== true);
  try {
    for (const [i, knobs] of candidates.entries()) {
      const label = `c${String(i).padStart(3, '0')} ${knobsLabel(knobs)}`;
      // Every candidate sees the same episode seeds (common random numbers).
      const results = await pool.run(knobs, tasks, (d) => bar.update(i * tasks.length + d));
      for (const r of results) rows.push(tidyRow(label, knobs, r.summary));
    }
  } finally {
    await pool.close();
  }
  const dir = flags.out === undefined ? join(OUT_DIR, 'sweep', seed) : String(flags.out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep_runs.csv'), toCsv(rows, RUN_COLUMNS));
  const knobCols = ['profile', ...SWEEP_KNOBS];
  const summary = [...groupSummary(rows, ['candidate', ...knobCols]).map((r) => ({ ...r, scenario: 'ALL' })), ...groupSummary(rows, ['candidate', 'scenario', ...knobCols])];
  writeFileSync(join(dir, 'sweep_summary.csv'), toCsv(summary, SUMMARY_COLUMNS));
  process.stdout.write(`${candidates.length} candidates × ${tasks.length} runs = ${rows.length} rows\nwrote ${join(dir, 'sweep_runs.csv')} and sweep_summary.csv\n`);
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
