import { bootstrapDifference, mean, tailCount, wilsonInterval, type BootstrapInterval, type EpisodeOutcome, type WilsonInterval } from '../metrics';

/** The gate's verdicts. */
export type GateVerdict = 'PASS' | 'FAIL' | 'HOLD' | 'ERROR';

/** The process exit code of each verdict: PASS=0, FAIL=1, HOLD=2 (not enough evidence), ERROR=3. */
export const GATE_EXIT_CODES: Readonly<Record<GateVerdict, number>> = { PASS: 0, FAIL: 1, HOLD: 2, ERROR: 3 };

/** The thresholds of the gate. */
export interface GatePolicy {
  /** Fewer Monte Carlo episodes than this (candidate or baseline) is not enough evidence: HOLD. */
  readonly minEpisodes: number;
  /** The candidate's kill probability Wilson upper bound may not exceed this: FAIL. */
  readonly maxKillProbUpper: number;
  /** Extra kills the candidate may have over the baseline on a suite or regression scenario: more is FAIL. */
  readonly scenarioKillTolerance: number;
  /** Bootstrap resamples and two-sided confidence. */
  readonly bootstrapResamples: number;
  readonly confidence: number;
}

/** The default policy. */
export const DEFAULT_GATE_POLICY: GatePolicy = { minEpisodes: 30, maxKillProbUpper: 0.2, scenarioKillTolerance: 0, bootstrapResamples: 2000, confidence: 0.95 };

/** The outcome of one scenario (suite or adversarial regression) for candidate and baseline, over the same seeds. */
export interface ScenarioComparison {
  readonly suite: 'scenario' | 'regression';
  readonly scenario: string;
  readonly candidate: readonly EpisodeOutcome[];
  readonly baseline: readonly EpisodeOutcome[];
}

/** Everything the gate decides on. */
export interface GateEvidence {
  readonly seed: string;
  /** Problems found before or while running (manifest mismatches, runtime errors): any is ERROR. */
  readonly errors: readonly string[];
  readonly candidateMc: readonly EpisodeOutcome[];
  readonly baselineMc: readonly EpisodeOutcome[];
  readonly scenarios: readonly ScenarioComparison[];
}

/** The confidence report: the statistics behind the verdict. */
export interface ConfidenceReport {
  readonly schema: 'fleet.research.confidence-report/v1';
  readonly verdict: GateVerdict;
  readonly exitCode: number;
  readonly reasons: readonly string[];
  readonly seed: string;
  readonly policy: GatePolicy;
  readonly episodes: { readonly candidate: number; readonly baseline: number };
  /** Candidate − baseline: mean PnL (higher is better). */
  readonly pnlMeanDiff: BootstrapInterval | null;
  /** Candidate − baseline: drawdown CVaR95 (lower is better). */
  readonly drawdownCvarDiff: BootstrapInterval | null;
  /** Candidate − baseline: kill rate (lower is better). */
  readonly killRateDiff: BootstrapInterval | null;
  readonly candidateKill: WilsonInterval | null;
  readonly baselineKill: WilsonInterval | null;
  readonly scenarios: readonly { readonly suite: string; readonly scenario: string; readonly candidateKills: number; readonly baselineKills: number; readonly candidatePnlMean: number; readonly baselinePnlMean: number; readonly pass: boolean }[];
}

/** Returns the CVaR at 95% of drawdowns: the mean of the largest ⌈5%·n⌉. */
export function drawdownCvar(dd: readonly number[]): number {
  const sorted = [...dd].sort((a, b) => a - b);
  return mean(sorted.slice(sorted.length - tailCount(sorted.length, 0.95)));
}

/**
 * Returns the gate's decision and confidence report. Order of precedence: ERROR (any error)
 * → HOLD for too few episodes → FAIL (a guardrail breached or the candidate provably worse) →
 * PASS (provably better in at least one objective, provably worse in none) → HOLD (the
 * intervals straddle zero: not enough evidence either way). "Provably" means the bootstrap
 * interval of the difference excludes zero.
 */
export function decideGate(e: GateEvidence, policy: GatePolicy = DEFAULT_GATE_POLICY): ConfidenceReport {
  const reasons: string[] = [];
  const base = { schema: 'fleet.research.confidence-report/v1' as const, seed: e.seed, policy, episodes: { candidate: e.candidateMc.length, baseline: e.baselineMc.length } };
  const empty = { pnlMeanDiff: null, drawdownCvarDiff: null, killRateDiff: null, candidateKill: null, baselineKill: null, scenarios: [] };
  const verdictOf = (v: GateVerdict): { verdict: GateVerdict; exitCode: number } => ({ verdict: v, exitCode: GATE_EXIT_CODES[v] });
  if (e.seed.trim() === '') return { ...base, ...empty, ...verdictOf('ERROR'), reasons: ['no seed: the gate requires an explicit seed'] };
  if (e.errors.length > 0) return { ...base, ...empty, ...verdictOf('ERROR'), reasons: e.errors.map((x) => `error: ${x}`) };
  if (e.candidateMc.length < policy.minEpisodes || e.baselineMc.length < policy.minEpisodes) {
    return { ...base, ...empty, ...verdictOf('HOLD'), reasons: [`not enough evidence: ${e.candidateMc.length} candidate and ${e.baselineMc.length} baseline episodes, at least ${policy.minEpisodes} each needed`] };
  }
  const opts = { resamples: policy.bootstrapResamples, confidence: policy.confidence };
  const pnlMeanDiff = bootstrapDifference(e.candidateMc.map((x) => x.pnl), e.baselineMc.map((x) => x.pnl), { ...opts, seed: `${e.seed}:pnl` });
  const drawdownCvarDiff = bootstrapDifference(e.candidateMc.map((x) => x.maxDrawdown), e.baselineMc.map((x) => x.maxDrawdown), { ...opts, seed: `${e.seed}:dd`, statistic: drawdownCvar });
  const killRateDiff = bootstrapDifference(e.candidateMc.map((x) => (x.killed ? 1 : 0)), e.baselineMc.map((x) => (x.killed ? 1 : 0)), { ...opts, seed: `${e.seed}:kill` });
  const kills = (xs: readonly EpisodeOutcome[]): number => xs.filter((x) => x.killed).length;
  const candidateKill = wilsonInterval(kills(e.candidateMc), e.candidateMc.length);
  const baselineKill = wilsonInterval(kills(e.baselineMc), e.baselineMc.length);
  const scenarios = e.scenarios.map((s) => {
    const ck = kills(s.candidate);
    const bk = kills(s.baseline);
    const pass = ck <= bk + policy.scenarioKillTolerance;
    if (!pass) reasons.push(`guardrail: ${s.suite} scenario ${s.scenario} killed the candidate ${ck} times against the baseline's ${bk}`);
    return { suite: s.suite, scenario: s.scenario, candidateKills: ck, baselineKills: bk, candidatePnlMean: s.candidate.length ? mean(s.candidate.map((x) => x.pnl)) : 0, baselinePnlMean: s.baseline.length ? mean(s.baseline.map((x) => x.pnl)) : 0, pass };
  });
  if (candidateKill.upper > policy.maxKillProbUpper) reasons.push(`guardrail: kill probability upper bound ${candidateKill.upper.toFixed(4)} exceeds ${policy.maxKillProbUpper}`);
  const worse: string[] = [];
  const better: string[] = [];
  if (pnlMeanDiff.upper < 0) worse.push(`mean PnL is lower (difference CI [${pnlMeanDiff.lower.toFixed(4)}, ${pnlMeanDiff.upper.toFixed(4)}])`);
  if (pnlMeanDiff.lower > 0) better.push(`mean PnL is higher (difference CI [${pnlMeanDiff.lower.toFixed(4)}, ${pnlMeanDiff.upper.toFixed(4)}])`);
  if (drawdownCvarDiff.lower > 0) worse.push(`drawdown CVaR is higher (difference CI [${drawdownCvarDiff.lower.toFixed(4)}, ${drawdownCvarDiff.upper.toFixed(4)}])`);
  if (drawdownCvarDiff.upper < 0) better.push(`drawdown CVaR is lower (difference CI [${drawdownCvarDiff.lower.toFixed(4)}, ${drawdownCvarDiff.upper.toFixed(4)}])`);
  if (killRateDiff.lower > 0) worse.push(`kill rate is higher (difference CI [${killRateDiff.lower.toFixed(4)}, ${killRateDiff.upper.toFixed(4)}])`);
  if (killRateDiff.upper < 0) better.push(`kill rate is lower (difference CI [${killRateDiff.lower.toFixed(4)}, ${killRateDiff.upper.toFixed(4)}])`);
  const stats = { pnlMeanDiff, drawdownCvarDiff, killRateDiff, candidateKill, baselineKill, scenarios };
  if (reasons.length > 0 || worse.length > 0) return { ...base, ...stats, ...verdictOf('FAIL'), reasons: [...reasons, ...worse.map((w) => `provably worse: ${w}`)] };
  if (better.length > 0) return { ...base, ...stats, ...verdictOf('PASS'), reasons: better.map((b) => `provably better: ${b}`) };
  return { ...base, ...stats, ...verdictOf('HOLD'), reasons: ['not enough evidence: every difference interval contains zero'] };
}

/** Returns the confidence report as Markdown. */
export function confidenceReportMarkdown(r: ConfidenceReport): string {
  const ci = (b: BootstrapInterval | null): string => (b === null ? 'n/a' : `${b.estimate.toFixed(4)} [${b.lower.toFixed(4)}, ${b.upper.toFixed(4)}]`);
  const lines = [
    `# Promotion gate: ${r.verdict} (exit ${r.exitCode})`,
    '',
    `Seed: \`${r.seed}\` · episodes: candidate ${r.episodes.candidate}, baseline ${r.episodes.baseline} · bootstrap: ${r.policy.bootstrapResamples} resamples, ${r.policy.confidence * 100}% percentile intervals`,
    '',
    '## Reasons',
    ...r.reasons.map((x) => `- ${x}`),
    '',
    '## Candidate − baseline',
    '| metric | estimate [CI] | better when |',
    '|---|---|---|',
    `| mean PnL | ${ci(r.pnlMeanDiff)} | higher |`,
    `| drawdown CVaR95 | ${ci(r.drawdownCvarDiff)} | lower |`,
    `| kill rate | ${ci(r.killRateDiff)} | lower |`,
    '',
    `Kill probability (Wilson 95%): candidate ${r.candidateKill ? `${r.candidateKill.point.toFixed(4)} [${r.candidateKill.lower.toFixed(4)}, ${r.candidateKill.upper.toFixed(4)}]` : 'n/a'}, baseline ${r.baselineKill ? `${r.baselineKill.point.toFixed(4)} [${r.baselineKill.lower.toFixed(4)}, ${r.baselineKill.upper.toFixed(4)}]` : 'n/a'}`,
  ];
  if (r.scenarios.length > 0) {
    lines.push('', '## Scenarios', '| suite | scenario | kills (cand/base) | mean PnL (cand/base) | pass |', '|---|---|---|---|---|');
    for (const s of r.scenarios) lines.push(`| ${s.suite} | ${s.scenario} | ${s.candidateKills}/${s.baselineKills} | ${s.candidatePnlMean.toFixed(2)}/${s.baselinePnlMean.toFixed(2)} | ${s.pass ? 'yes' : 'NO'} |`);
  }
  return `${lines.join('\n')}\n`;
}
