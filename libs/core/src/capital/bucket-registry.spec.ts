import { ValidationError } from '../errors';
import { Money } from '../money';
import {
  bindStrategy,
  createBucketRegistry,
  createCapitalBucket,
  decideEligibility,
  type EligibilityDecision,
  registerBucket,
  snapshotBuckets,
  type BucketRegistry,
} from './index';

const eligible = (strategyId: string, venues: readonly string[] = ['binance-perp'], trades = 150): EligibilityDecision =>
  decideEligibility({
    strategyId,
    gate: 'G3',
    promotion: { accepted: true, decisionDigest: 'a'.repeat(64) },
    paperEvidence: { trades, winRate: '0.55', maxDrawdown: '0.05', alphaScore: '1.2', sessionDigest: 'b'.repeat(64) },
    venues,
  });

const crypto = createCapitalBucket({ bucketId: 'crypto-main', venue: 'binance-perp', capital: Money.create('100000', 'USDT'), riskClass: 'moderate', constraints: { maxConcurrentStrategies: 2 } });
const india = createCapitalBucket({ bucketId: 'india-fno', venue: 'nse-f', capital: Money.create('5000000', 'INR'), riskClass: 'conservative' });

function registry(): BucketRegistry {
  let r = createBucketRegistry();
  for (const b of [crypto, india]) {
    const out = registerBucket(r, b);
    if (!out.ok) throw new Error('setup');
    r = out.registry;
  }
  return r;
}

describe('Phase 13.2a capital buckets: core invariants', () => {
  it('1. Buckets are venue-isolated (Crypto ≠ India): a crypto strategy cannot bind to an India bucket', () => {
    const { decision, registry: after } = bindStrategy(registry(), { strategyId: 'funding_bias', bucketId: 'india-fno', eligibility: eligible('funding_bias'), atUs: 1 });
    expect(decision.accepted).toBe(false);
    expect(decision.reasons).toEqual(['VenueMismatch']);
    expect(after.bindings).toHaveLength(0);
  });

  it('2. Strategies do not own capital: access is an explicit binding, capital stays on the bucket', () => {
    const { registry: r, decision } = bindStrategy(registry(), { strategyId: 'funding_bias', bucketId: 'crypto-main', eligibility: eligible('funding_bias'), atUs: 1 });
    expect(decision.accepted).toBe(true);
    expect(r.bindings).toEqual([
      { strategyId: 'funding_bias', bucketId: 'crypto-main', eligibilityStatus: 'eligible', eligibilityDigest: eligible('funding_bias').digest, boundAtUs: 1, decisionDigest: decision.digest },
    ]);
    expect(Object.keys(r.bindings[0])).not.toContain('capital');
  });

  it('3. Ineligible strategies are rejected at binding time (conditional only where allowed)', () => {
    const bad = decideEligibility({ strategyId: 'x', gate: 'G2', venues: ['binance-perp'] });
    expect(bindStrategy(registry(), { strategyId: 'x', bucketId: 'crypto-main', eligibility: bad, atUs: 1 }).decision.reasons).toContain('StrategyIneligible');
    const conditional = eligible('c', ['binance-perp'], 60);
    expect(conditional.status).toBe('conditional');
    expect(bindStrategy(registry(), { strategyId: 'c', bucketId: 'crypto-main', eligibility: conditional, atUs: 1 }).decision.reasons).toEqual(['ConditionalNotAllowed']);
    expect(bindStrategy(registry(), { strategyId: 'y', bucketId: 'crypto-main', eligibility: eligible('x'), atUs: 1 }).decision.reasons).toEqual(['EligibilityForAnotherStrategy']);
  });

  it('4. Venue mismatch is rejected, and an unknown bucket too', () => {
    expect(bindStrategy(registry(), { strategyId: 's', bucketId: 'crypto-main', eligibility: eligible('s', ['okx-perp']), atUs: 1 }).decision.reasons).toEqual(['VenueMismatch']);
    expect(bindStrategy(registry(), { strategyId: 's', bucketId: 'nope', eligibility: eligible('s'), atUs: 1 }).decision.reasons).toEqual(['UnknownBucket']);
  });

  it('5. Max concurrent strategies is enforced', () => {
    let r = registry();
    for (const s of ['a', 'b']) r = bindStrategy(r, { strategyId: s, bucketId: 'crypto-main', eligibility: eligible(s), atUs: 1 }).registry;
    const third = bindStrategy(r, { strategyId: 'c', bucketId: 'crypto-main', eligibility: eligible('c'), atUs: 2 });
    expect(third.decision.reasons).toEqual(['MaxConcurrentStrategies']);
    expect(third.registry).toBe(r);
  });

  it('6. Duplicate bindings are rejected (and duplicate buckets)', () => {
    const once = bindStrategy(registry(), { strategyId: 'a', bucketId: 'crypto-main', eligibility: eligible('a'), atUs: 1 }).registry;
    expect(bindStrategy(once, { strategyId: 'a', bucketId: 'crypto-main', eligibility: eligible('a'), atUs: 2 }).decision.reasons).toEqual(['DuplicateBinding']);
    expect(registerBucket(registry(), crypto)).toMatchObject({ ok: false, reason: 'DuplicateBucket' });
  });

  it('7. All decisions produce deterministic digests (BucketBindingDecision, BucketSnapshot)', () => {
    const req = { strategyId: 'a', bucketId: 'crypto-main', eligibility: eligible('a'), atUs: 1 };
    const one = bindStrategy(registry(), req);
    const two = bindStrategy(registry(), req);
    expect(one.decision.digest).toBe(two.decision.digest);
    expect(one.decision.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshotBuckets(one.registry, 5)).toEqual(snapshotBuckets(two.registry, 5));
    expect(snapshotBuckets(one.registry, 5).digest).not.toBe(snapshotBuckets(registry(), 5).digest);
  });

  it('validates buckets with messages naming what was received', () => {
    expect(() => createCapitalBucket({ bucketId: 'b', venue: 'v', capital: Money.create('0', 'USDT'), riskClass: 'moderate' })).toThrow('capital of bucket b must be positive, received 0 USDT');
    expect(() => createCapitalBucket({ bucketId: 'b', venue: 'v', capital: Money.create('1', 'USDT'), riskClass: 'moderate', constraints: { maxConcurrentStrategies: 0 } })).toThrow(ValidationError);
  });
});
