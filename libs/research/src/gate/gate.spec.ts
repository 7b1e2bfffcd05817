import { confidenceReportMarkdown, decideGate, DEFAULT_GATE_POLICY, GATE_EXIT_CODES, type GateEvidence } from './gate';

const episodes = (n: number, pnl: (i: number) => number, dd: (i: number) => number, killed: (i: number) => boolean = () => false) =>
  Array.from({ length: n }, (_, i) => ({ pnl: pnl(i), maxDrawdown: dd(i), killed: killed(i) }));

const baseline = episodes(60, (i) => (i % 10) - 5, (i) => 10 + (i % 7));
const evidence = (over: Partial<GateEvidence>): GateEvidence => ({ seed: '42', errors: [], candidateMc: baseline, baselineMc: baseline, scenarios: [], ...over });
const policy = { ...DEFAULT_GATE_POLICY, bootstrapResamples: 400 };

describe('the promotion gate decision', () => {
  it('has distinct exit codes PASS=0, FAIL=1, HOLD=2, ERROR=3', () => {
    expect(GATE_EXIT_CODES).toEqual({ PASS: 0, FAIL: 1, HOLD: 2, ERROR: 3 });
  });

  it('PASSes a candidate that is provably better and breaches nothing', () => {
    const r = decideGate(evidence({ candidateMc: episodes(60, (i) => (i % 10) + 5, (i) => 10 + (i % 7)) }), policy);
    expect(r.verdict).toBe('PASS');
    expect(r.exitCode).toBe(0);
    expect(r.pnlMeanDiff!.lower).toBeGreaterThan(0);
  });

  it('FAILs a candidate that is provably worse', () => {
    const r = decideGate(evidence({ candidateMc: episodes(60, (i) => (i % 10) - 5, (i) => 30 + (i % 7)) }), policy);
    expect(r.verdict).toBe('FAIL');
    expect(r.exitCode).toBe(1);
    expect(r.reasons.join(' ')).toContain('drawdown CVaR is higher');
  });

  it('FAILs on a guardrail even when PnL is better: kill upper bound, or more kills on a regression scenario', () => {
    const killy = episodes(60, (i) => (i % 10) + 5, (i) => 10 + (i % 7), (i) => i % 4 === 0);
    expect(decideGate(evidence({ candidateMc: killy, baselineMc: episodes(60, (i) => (i % 10) - 5, (i) => 10 + (i % 7), (i) => i % 4 === 0) }), policy).reasons[0]).toContain('kill probability upper bound');
    const better = episodes(60, (i) => (i % 10) + 5, (i) => 10 + (i % 7));
    const r = decideGate(evidence({ candidateMc: better, scenarios: [{ suite: 'regression', scenario: 'adv-x', candidate: episodes(3, () => 0, () => 1, () => true), baseline: episodes(3, () => 0, () => 1) }] }), policy);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons[0]).toBe("guardrail: regression scenario adv-x killed the candidate 3 times against the baseline's 0");
  });

  it('HOLDs with too few episodes, and when every interval contains zero', () => {
    const few = decideGate(evidence({ candidateMc: baseline.slice(0, 10) }), policy);
    expect([few.verdict, few.exitCode]).toEqual(['HOLD', 2]);
    expect(few.reasons[0]).toContain('10 candidate and 60 baseline episodes');
    const same = decideGate(evidence({}), policy);
    expect([same.verdict, same.exitCode]).toEqual(['HOLD', 2]);
  });

  it('gives ERROR for runtime problems and a missing seed, before anything else', () => {
    const r = decideGate(evidence({ errors: ['scenario manifest: vol-low.json digest mismatch'], candidateMc: [] }), policy);
    expect([r.verdict, r.exitCode]).toEqual(['ERROR', 3]);
    expect(decideGate(evidence({ seed: ' ' }), policy).verdict).toBe('ERROR');
  });

  it('is reproducible for a seed and renders Markdown', () => {
    const c = episodes(60, (i) => (i % 9) - 3, (i) => 10 + (i % 5));
    expect(decideGate(evidence({ candidateMc: c }), policy)).toEqual(decideGate(evidence({ candidateMc: c }), policy));
    expect(confidenceReportMarkdown(decideGate(evidence({}), policy))).toContain('# Promotion gate: HOLD (exit 2)');
  });
});
