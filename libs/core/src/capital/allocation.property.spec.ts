import fc from 'fast-check';
import { Money, isMultipleOf, toDecimal } from '../money';
import { allocateBucket, type AllocationPolicy, createCapitalBucket, type PortfolioIntent } from './index';

const arbCase = fc.record({
  capital: fc.integer({ min: 1, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)),
  fraction: fc.integer({ min: 1, max: 100 }).map((n) => (n / 100).toString()),
  maxConcurrent: fc.integer({ min: 1, max: 6 }),
  scores: fc.array(fc.integer({ min: 0, max: 500 }).map((n) => (n / 100).toString()), { maxLength: 8 }),
  policy: fc.record({
    mode: fc.constantFrom<AllocationPolicy['mode']>('equal_split', 'priority_fill', 'score_proportional'),
    reserveRatio: fc.integer({ min: 0, max: 99 }).map((n) => (n / 100).toString()),
    minAllocation: fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 10).toString()),
    allowSkip: fc.boolean(),
    quantum: fc.constantFrom('0.01', '0.5', '1', '10'),
  }),
});

describe('Capital allocation (property): constraints hold for any inputs, and the same inputs give the same digest', () => {
  it('holds', () => {
    fc.assert(
      fc.property(arbCase, ({ capital, fraction, maxConcurrent, scores, policy }) => {
        const bucket = createCapitalBucket({ bucketId: 'b', venue: 'v', capital: Money.create(capital, 'USDT'), riskClass: 'moderate', constraints: { maxFractionPerStrategy: fraction, maxConcurrentStrategies: maxConcurrent } });
        const intent: PortfolioIntent = {
          intentId: 'i',
          snapshotId: 's',
          snapshotDigest: 'd',
          policyDigest: 'p',
          buckets: [{ bucketId: 'b', strategies: scores.map((alphaScore, i) => ({ strategyId: `s${i}`, priority: i + 1, eligibilityDigest: 'e', metricsDigest: 'm', alphaScore })) }],
          rejections: [],
          digest: scores.join(','),
        };
        const plan = allocateBucket(bucket, intent, policy);
        expect(allocateBucket(bucket, intent, policy).digest).toBe(plan.digest);
        const cap = toDecimal(capital).times(fraction);
        const min = toDecimal(policy.minAllocation);
        let total = Money.zero('USDT');
        for (const a of plan.allocations) {
          total = total.plus(a.amount);
          expect(a.amount.isNegative()).toBe(false);
          expect(a.amount.value.lte(cap)).toBe(true);
          expect(isMultipleOf(a.amount.value, policy.quantum)).toBe(true);
          if (!a.skipped) expect(a.amount.value.gte(min) && a.amount.isPositive()).toBe(true);
          else expect(a.amount.isZero()).toBe(true);
        }
        expect(total.equals(plan.allocated)).toBe(true);
        expect(plan.allocated.plus(plan.unallocated).equals(plan.allocatable)).toBe(true);
        expect(plan.allocatable.plus(plan.reserve).lte(bucket.capital)).toBe(true);
        expect(plan.reserve.value.gte(toDecimal(capital).times(policy.reserveRatio))).toBe(true);
        expect(plan.allocations.filter((a) => !a.skipped).length).toBeLessThanOrEqual(maxConcurrent);
        if (!policy.allowSkip) {
          const funded = plan.allocations.map((a) => !a.skipped);
          expect(funded.slice(funded.indexOf(false) === -1 ? funded.length : funded.indexOf(false)).every((f) => !f)).toBe(true);
        }
      }),
    );
  });
});
