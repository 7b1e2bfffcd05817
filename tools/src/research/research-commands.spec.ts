import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adversarialName, ScenarioIntegrityError, type EpisodeOutcome } from '@fleet/research';
import { adversarialSearch, main as adversarialMain } from './adversarial';
import { parseFlags, UsageError } from './cli';
import { runGate } from './gate';
import { monteCarlo } from './monte-carlo';
import { main as scenariosMain } from './scenarios';
import { loadSuite, REGRESSION_DIR, SCENARIOS_DIR } from './scenario-store';
import { main as verifyMain } from './verify-evidence';

jest.setTimeout(180_000);

const tmp = mkdtempSync(join(tmpdir(), 'research-spec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const silence = () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
};
afterEach(() => jest.restoreAllMocks());

describe('command-line flags', () => {
  const specs = { episodes: { kind: 'int' as const, help: 'n', min: 1 }, seed: { kind: 'string' as const, help: 's', required: true } };

  it('name the flag and the value received', () => {
    expect(() => parseFlags(['--episodes', 'ten', '--seed', '1'], specs)).toThrow(new UsageError('--episodes must be an integer, received "ten"'));
    expect(() => parseFlags(['--episodes', '0', '--seed', '1'], specs)).toThrow('--episodes must be at least 1, received 0');
    expect(() => parseFlags(['--episodes=3'], specs)).toThrow('--seed is required');
    expect(() => parseFlags(['--sed', '1'], specs)).toThrow('unknown option --sed');
    expect(parseFlags(['--episodes=3', '--seed', 'x'], specs).flags).toEqual({ episodes: 3, seed: 'x' });
  });
});

describe('Monte Carlo', () => {
  it('gives identical results for 1 and 2 workers', async () => {
    const base = { seed: 'det', episodes: 6, suite: 'smoke', scenariosDir: SCENARIOS_DIR, durationSec: 3, knobs: { profile: 'balanced' as const }, progress: false };
    const one = await monteCarlo({ ...base, workers: 1 });
    const two = await monteCarlo({ ...base, workers: 2 });
    expect(two.result).toEqual(one.result);
    expect(two.episodes).toEqual(one.episodes);
    expect(one.result.episodes).toBe(6);
    expect(one.episodes.map((e) => e.scenario).slice(0, 5)).toEqual(['vol-medium', 'liquidity-spread-widening', 'venue-outage', 'funding-sign-flip', 'basis-spike-positive']);
  });

  it('refuses to run when a scenario file does not match the manifest', async () => {
    const dir = join(tmp, 'tampered-scenarios');
    cpSync(SCENARIOS_DIR, dir, { recursive: true });
    const file = join(dir, 'vol-medium.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"volMultiplier": 1', '"volMultiplier": 1.5'));
    await expect(monteCarlo({ seed: 'x', episodes: 1, suite: 'smoke', scenariosDir: dir, workers: 1, knobs: { profile: 'balanced' }, progress: false })).rejects.toThrow(ScenarioIntegrityError);
    silence();
    expect(await scenariosMain(['--action', 'check', '--dir', dir])).toBe(1);
    expect(await scenariosMain(['--action', 'check', '--dir', SCENARIOS_DIR])).toBe(0);
    expect(await scenariosMain(['--action', 'check', '--dir', REGRESSION_DIR])).toBe(0);
  });
});

describe('adversarial search', () => {
  const options = { seed: 'adv-spec', iterations: 2, population: 4, eliteFraction: 0.5, episodes: 1, topK: 2, durationSec: 4, knobs: { profile: 'balanced' as const }, workers: 2, progress: false };

  it('promotes the same scenarios, with the same names and content, on a rerun with the same seed', async () => {
    const a = await adversarialSearch(options);
    const b = await adversarialSearch({ ...options, workers: 1 });
    expect(b.promoted).toEqual(a.promoted);
    expect(b.scenarios).toEqual(a.scenarios);
    expect(a.promoted.map((p) => p.name).every((n) => /^adv-[0-9a-f]{12}$/.test(n))).toBe(true);
    const c = await adversarialSearch({ ...options, seed: 'other' });
    expect(c.promoted.map((p) => p.name)).not.toEqual(a.promoted.map((p) => p.name));
  });

  it('keeps the committed regression suite intact, named by content, and runnable', async () => {
    const suite = loadSuite(REGRESSION_DIR, 'regression');
    expect(suite.length).toBeGreaterThan(0);
    for (const s of suite) expect(s.name).toBe(adversarialName(s.params));
    const run = await monteCarlo({ seed: 'ci', episodes: suite.length, suite: 'regression', scenariosDir: REGRESSION_DIR, workers: 2, durationSec: 5, knobs: { profile: 'balanced' }, progress: false });
    expect(run.result.scenarios).toEqual(suite.map((s) => s.name));
  });

  it('writes byte-identical regression suites on reruns', async () => {
    silence();
    const argv = (dir: string) => ['--seed', 'adv-files', '--iterations', '1', '--population', '3', '--episodes', '1', '--top-k', '2', '--duration-sec', '3', '--quiet', '--regression-dir', dir, '--out', join(dir, 'log')];
    const d1 = join(tmp, 'reg-1');
    const d2 = join(tmp, 'reg-2');
    expect(await adversarialMain(argv(d1))).toBe(0);
    expect(await adversarialMain(argv(d2))).toBe(0);
    const files = readdirSync(d1).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(3);
    for (const f of files) expect(readFileSync(join(d2, f), 'utf8')).toBe(readFileSync(join(d1, f), 'utf8'));
    expect(await scenariosMain(['--action', 'check', '--dir', d1])).toBe(0);
  });
});

describe('the promotion gate exit codes', () => {
  const writeRun = (name: string, profile: string, episodes: EpisodeOutcome[]): string => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mc_summary.json'), JSON.stringify({ candidate: { profile } }));
    writeFileSync(join(dir, 'episodes.jsonl'), episodes.map((e, i) => JSON.stringify({ index: i, ...e })).join('\n') + '\n');
    return dir;
  };
  const eps = (n: number, pnl: (i: number) => number, dd: (i: number) => number): EpisodeOutcome[] => Array.from({ length: n }, (_, i) => ({ pnl: pnl(i), maxDrawdown: dd(i), killed: false }));
  const baselineRun = () => writeRun('baseline-run', 'balanced', eps(40, (i) => (i % 10) - 5, (i) => 10 + (i % 7)));
  const common = (out: string) => ['--suite', 'smoke', '--scenario-episodes', '1', '--duration-sec', '1', '--resamples', '300', '--min-episodes', '30', '--workers', '2', '--quiet', '--out-dir', join(tmp, out)];

  beforeEach(silence);

  it('PASS = 0 for a provably better candidate, and the evidence pack verifies', async () => {
    const cand = writeRun('pass-run', 'conservative', eps(40, (i) => (i % 10) + 5, (i) => 10 + (i % 7)));
    expect(await runGate(['--seed', '1', '--candidate-run', cand, '--baseline-run', baselineRun(), ...common('gate-pass')])).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp, 'gate-pass', 'confidence_report.json'), 'utf8'));
    expect(report.verdict).toBe('PASS');
    expect(report.scenarios.length).toBeGreaterThanOrEqual(5);
    expect(await verifyMain(['--dir', join(tmp, 'gate-pass')])).toBe(0);
    writeFileSync(join(tmp, 'gate-pass', 'gate_summary.json'), '{"verdict":"PASS","forged":true}\n');
    expect(await verifyMain(['--dir', join(tmp, 'gate-pass')])).toBe(1);
  });

  it('FAIL = 1 for a provably worse candidate', async () => {
    const cand = writeRun('fail-run', 'conservative', eps(40, (i) => (i % 10) - 15, (i) => 40 + (i % 7)));
    expect(await runGate(['--seed', '1', '--candidate-run', cand, '--baseline-run', baselineRun(), ...common('gate-fail')])).toBe(1);
  });

  it('HOLD = 2 with too little evidence, or when nothing is provable', async () => {
    const few = writeRun('few-run', 'balanced', eps(10, (i) => i, () => 1));
    expect(await runGate(['--seed', '1', '--candidate-run', few, '--baseline-run', baselineRun(), ...common('gate-hold')])).toBe(2);
    const same = writeRun('same-run', 'balanced', eps(40, (i) => (i % 10) - 5, (i) => 10 + (i % 7)));
    expect(await runGate(['--seed', '1', '--candidate-run', same, '--baseline-run', baselineRun(), ...common('gate-hold-2')])).toBe(2);
  });

  it('ERROR = 3 without a seed, on bad arguments, and on a manifest mismatch (with an evidence pack saying why)', async () => {
    expect(await runGate(['--candidate', '{"profile":"balanced"}', ...common('gate-noseed')])).toBe(3);
    expect(await runGate(['--seed', '1', '--candidate', '{"profile":"bold"}', ...common('gate-badknobs')])).toBe(3);
    const dir = join(tmp, 'tampered-regression');
    cpSync(REGRESSION_DIR, dir, { recursive: true });
    const victim = readdirSync(dir).find((f) => f.startsWith('adv-'))!;
    writeFileSync(join(dir, victim), readFileSync(join(dir, victim), 'utf8').replace('"venueCount": 2', '"venueCount": 3'));
    const code = await runGate(['--seed', '1', '--candidate', '{"profile":"balanced"}', '--regression-dir', dir, ...common('gate-tampered')]);
    expect(code).toBe(3);
    const report = JSON.parse(readFileSync(join(tmp, 'gate-tampered', 'confidence_report.json'), 'utf8'));
    expect(report.reasons[0]).toContain(`${victim} digest mismatch`);
    expect(await verifyMain(['--dir', join(tmp, 'gate-tampered')])).toBe(0);
  });
});
