import { Money } from '../money';
import {
  allocateBucket,
  type AllocationPolicy,
  type BucketIntent,
  type CapitalBucket,
  createCapitalBucket,
  DEFAULT_ALLOCATION_POLICY,
  type PortfolioIntent,
  shouldRebalance,
} from './index';

const bucket = (capital = '100000', maxFractionPerStrategy = '0.5', maxConcurrentStrategies = 5): CapitalBucket =>
  createCapitalBucket({ bucketId: 'crypto-main', venue: 'binance-perp', capital: Money.create(capital, 'USDT'), riskClass: 'moderate', constraints: { maxConcurrentStrategies, maxFractionPerStrategy } });

const intentOf = (scores: readonly string[]): PortfolioIntent => {
  const b: BucketIntent = { bucketId: 'crypto-main', strategies: scores.map((alphaScore, i) => ({ strategyId: `s${i + 1}`, priority: i + 1, eligibilityDigest: 'e'.repeat(64), metricsDigest: 'm'.repeat(64), alphaScore })) };
  return { intentId: 'intent-1', snapshotId: 'snap-1', snapshotDigest: 'd'.repeat(64), policyDigest: 'p'.repeat(64), buckets: [b], rejections: [], digest: `i${scores.join(',')}` };
};
const policy = (p: Partial<AllocationPolicy>): AllocationPolicy => ({ ...DEFAULT_ALLOCATION_POLICY, ...p });
const amounts = (plan: ReturnType<typeof allocateBucket>): string[] => plan.allocations.map((a) => a.amount.amountText());

describe('Phase 13.3 capital allocation', () => {
  it('EqualSplit: the reserve ratio is held back and the rest split equally', () => {
    const plan = allocateBucket(bucket(), intentOf(['1', '1', '1']), policy({ mode: 'equal_split', reserveRatio: '0.1' }));
    expect(plan.reserve.amountText()).toBe('10000');
    expect(plan.allocatable.amountText()).toBe('90000');
    expect(amounts(plan)).toEqual(['30000', '30000', '30000']);
    expect(plan.unallocated.amountText()).toBe('0');
  });

  it('EqualSplit remainder: leftover quanta go one at a time in priority order', () => {
    const plan = allocateBucket(bucket('100', '0.5'), intentOf(['1', '1', '1']), policy({ reserveRatio: '0' }));
    expect(amounts(plan)).toEqual(['33.34', '33.33', '33.33']);
    expect(plan.allocated.amountText()).toBe('100');
  });

  it('Reserve ratio semantics: the reserve is rounded up to the quantum, never down', () => {
    const plan = allocateBucket(bucket('100.01'), intentOf(['1']), policy({ reserveRatio: '0.1', maxPerStrategy: '1000' }));
    expect(plan.reserve.amountText()).toBe('10.01');
  });

  it('PriorityFill: fills in priority order up to the cap; below the minimum stops (no skip)', () => {
    const plan = allocateBucket(bucket(), intentOf(['1', '1', '1', '1']), policy({ mode: 'priority_fill', maxPerStrategy: '40000', minAllocation: '20000' }));
    expect(amounts(plan)).toEqual(['40000', '40000', '0', '0']);
    expect(plan.allocations.map((a) => a.reasons)).toEqual([['Allocated', 'CappedAtMaximum'], ['Allocated', 'CappedAtMaximum'], ['BelowMinimumSkipped'], ['OrderingStop']]);
    expect(plan.unallocated.amountText()).toBe('10000');
  });

  it('ScoreProportional: shares follow alpha scores, the bucket cap redistributes the excess', () => {
    const plan = allocateBucket(bucket(), intentOf(['3', '1']), policy({ mode: 'score_proportional' }));
    expect(amounts(plan)).toEqual(['50000', '40000']);
    const uncapped = allocateBucket(bucket('100000', '1'), intentOf(['2', '1']), policy({ mode: 'score_proportional', reserveRatio: '0' }));
    expect(amounts(uncapped)).toEqual(['66666.67', '33333.33']);
  });

  it('Min allocation: a strategy that would get less gets nothing, and the others share its part', () => {
    const plan = allocateBucket(bucket(), intentOf(['1', '1', '1', '1']), policy({ minAllocation: '25000' }));
    expect(amounts(plan)).toEqual(['30000', '30000', '30000', '0']);
    expect(plan.allocations[3]).toMatchObject({ skipped: true, reasons: ['BelowMinimumSkipped'] });
  });

  it('4. Ordering respected: no skip unless policy allows', () => {
    const noSkip = allocateBucket(bucket(), intentOf(['1', '0.1', '1']), policy({ mode: 'score_proportional', minAllocation: '10000' }));
    expect(amounts(noSkip)).toEqual(['50000', '40000', '0']);
    expect(noSkip.allocations[2].reasons).toEqual(['OrderingStop']);
    const skip = allocateBucket(bucket(), intentOf(['1', '0.1', '1']), policy({ mode: 'score_proportional', minAllocation: '10000', allowSkip: true }));
    expect(amounts(skip)).toEqual(['45000', '0', '45000']);
    expect(skip.allocations[1].reasons).toEqual(['BelowMinimumSkipped']);
  });

  it('3. Bucket constraints absolute: per-strategy cap and max concurrent strategies', () => {
    const plan = allocateBucket(bucket('100000', '0.2', 2), intentOf(['1', '1', '1']), policy({ reserveRatio: '0' }));
    expect(amounts(plan)).toEqual(['20000', '20000', '0']);
    expect(plan.allocations[2].reasons).toEqual(['BucketCapacity']);
    expect(plan.checks.every((c) => c.passed)).toBe(true);
  });

  it('2. No re-evaluation of eligibility: the intent’s order is trusted and its digest bound', () => {
    const plan = allocateBucket(bucket(), intentOf(['0.1', '5']), policy({ mode: 'priority_fill' }));
    expect(amounts(plan)).toEqual(['50000', '40000']);
    expect(plan.intentDigest).toBe(intentOf(['0.1', '5']).digest);
  });

  it('1 & 6. Pure and deterministic: same inputs → same plan and digest; any parameter change → a new fingerprint', () => {
    const a = allocateBucket(bucket(), intentOf(['1', '2']), policy({ mode: 'score_proportional' }));
    const b = allocateBucket(bucket(), intentOf(['1', '2']), policy({ mode: 'score_proportional' }));
    expect(a).toEqual(b);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    const c = allocateBucket(bucket(), intentOf(['1', '2']), policy({ mode: 'score_proportional', quantum: '1' }));
    expect(c.policyFingerprint).not.toBe(a.policyFingerprint);
    expect(c.planId).not.toBe(a.planId);
  });

  it('5. No hidden state: invalid policy parameters are refused, not defaulted', () => {
    expect(() => allocateBucket(bucket(), intentOf(['1']), policy({ reserveRatio: '1' }))).toThrow('reserveRatio must be in [0, 1), received 1');
    expect(() => allocateBucket(bucket(), intentOf(['1']), policy({ quantum: '0' }))).toThrow('quantum must be positive, received 0');
  });

  it('RebalancePolicy is scheduling only', () => {
    const last = { atUs: 1_000_000, snapshotId: 's1', intentId: 'i1' };
    expect(shouldRebalance({ kind: 'fixed_interval', intervalUs: 1_000_000 }, last, { ...last, atUs: 1_999_999 })).toBe(false);
    expect(shouldRebalance({ kind: 'fixed_interval', intervalUs: 1_000_000 }, last, { ...last, atUs: 2_000_000 })).toBe(true);
    expect(shouldRebalance({ kind: 'on_new_snapshot' }, last, { ...last, snapshotId: 's2' })).toBe(true);
    expect(shouldRebalance({ kind: 'on_new_intent' }, last, { ...last, snapshotId: 's2' })).toBe(false);
  });
});
