import { decideEligibility, ELIGIBILITY_PRESETS, type EligibilityRequest } from './index';

const good: EligibilityRequest = {
  strategyId: 'funding_bias',
  gate: 'G3',
  promotion: { accepted: true, decisionDigest: 'a'.repeat(64) },
  paperEvidence: { trades: 150, winRate: '0.55', maxDrawdown: '0.05', alphaScore: '1.2', sessionDigest: 'b'.repeat(64) },
  venues: ['binance-perp'],
};

describe('Phase 13.1 capital eligibility: mandatory invariants', () => {
  it('passes a G3 strategy with accepted promotion and good paper evidence', () => {
    const d = decideEligibility(good);
    expect(d.status).toBe('eligible');
    expect(d.reasons).toEqual([]);
  });

  it.each([
    ['1. No G3 → no eligibility', { gate: 'G2' }, 'GateBelowG3'],
    ['2. No paper evidence → no eligibility', { paperEvidence: undefined }, 'NoPaperEvidence'],
    ['3. Promotion rejected → no eligibility', { promotion: { accepted: false, decisionDigest: 'c'.repeat(64) } }, 'PromotionRejected'],
    ['4. Drawdown breach → ineligible', { paperEvidence: { ...good.paperEvidence!, maxDrawdown: '0.16' } }, 'DrawdownBreach'],
    ['5. Alpha below threshold → ineligible', { paperEvidence: { ...good.paperEvidence!, alphaScore: '0.49' } }, 'AlphaBelowThreshold'],
    ['6. Insufficient paper trades → ineligible', { paperEvidence: { ...good.paperEvidence!, trades: 49 } }, 'InsufficientPaperTrades'],
    ['7. Win rate below threshold → ineligible', { paperEvidence: { ...good.paperEvidence!, winRate: '0.44' } }, 'WinRateBelowThreshold'],
  ] as const)('%s', (_name, change, reason) => {
    const d = decideEligibility({ ...good, ...change } as EligibilityRequest);
    expect(d.status).toBe('ineligible');
    expect(d.reasons).toContain(reason);
  });

  it('a failed soft check only makes the strategy conditional (hard vs conditional distinction)', () => {
    const d = decideEligibility({ ...good, paperEvidence: { ...good.paperEvidence!, trades: 60 } });
    expect(d.status).toBe('conditional');
    expect(d.reasons).toEqual(['SoftPaperTradesShortfall']);
  });

  it('presets differ in strictness', () => {
    const borderline: EligibilityRequest = { ...good, paperEvidence: { ...good.paperEvidence!, trades: 30, maxDrawdown: '0.2' } };
    expect(decideEligibility(borderline, ELIGIBILITY_PRESETS.lenient).status).toBe('eligible');
    expect(decideEligibility(borderline, ELIGIBILITY_PRESETS.default).status).toBe('ineligible');
    expect(decideEligibility(good, ELIGIBILITY_PRESETS.strict).status).toBe('ineligible');
  });

  it('EligibilityDecision digest is deterministic and input-sensitive', () => {
    expect(decideEligibility(good).digest).toBe(decideEligibility({ ...good, venues: [...good.venues] }).digest);
    expect(decideEligibility({ ...good, paperEvidence: { ...good.paperEvidence!, winRate: '0.550' } }).digest).toBe(decideEligibility(good).digest);
    expect(decideEligibility({ ...good, strategyId: 'other' }).digest).not.toBe(decideEligibility(good).digest);
  });
});
