import { canonicalJson } from '../canonical';
import { Money } from '../money';
import {
  bindStrategy,
  type BucketSnapshot,
  createBucketRegistry,
  createCapitalBucket,
  decideEligibility,
  registerBucket,
  selectPortfolio,
  snapshotBuckets,
  type StrategyOrderingMetrics,
} from './index';

function snapshotWith(strategies: readonly string[], maxConcurrentStrategies = 5): BucketSnapshot {
  const bucket = createCapitalBucket({ bucketId: 'crypto-main', venue: 'binance-perp', capital: Money.create('100000', 'USDT'), riskClass: 'moderate', constraints: { maxConcurrentStrategies, allowConditional: true } });
  const reg = registerBucket(createBucketRegistry(), bucket);
  if (!reg.ok) throw new Error('setup');
  let r = reg.registry;
  for (const s of strategies) {
    const e = decideEligibility({
      strategyId: s,
      gate: 'G3',
      promotion: { accepted: true, decisionDigest: 'a'.repeat(64) },
      paperEvidence: { trades: 150, winRate: '0.55', maxDrawdown: '0.05', alphaScore: '1', sessionDigest: 'b'.repeat(64) },
      venues: ['binance-perp'],
    });
    r = bindStrategy(r, { strategyId: s, bucketId: 'crypto-main', eligibility: e, atUs: 1 }).registry;
  }
  return snapshotBuckets(r, 10);
}

const metrics: readonly StrategyOrderingMetrics[] = [
  { strategyId: 'funding_bias', eligibilityStatus: 'eligible', alphaScore: '1.2', maxDrawdown: '0.05', paperTrades: 200 },
  { strategyId: 'micro_breakout', eligibilityStatus: 'conditional', alphaScore: '2.0', maxDrawdown: '0.04', paperTrades: 80 },
  { strategyId: 'spread_mean_revert', eligibilityStatus: 'eligible', alphaScore: '1.2', maxDrawdown: '0.03', paperTrades: 150 },
];
const names = metrics.map((m) => m.strategyId);
const order = (snapshot: BucketSnapshot, rules: Parameters<typeof selectPortfolio>[2]): string[] => selectPortfolio(snapshot, metrics, rules).buckets[0].strategies.map((s) => s.strategyId);

describe('Phase 13.2b portfolio selector', () => {
  it('orders by eligibility tier, then alpha descending, then drawdown ascending (default policy)', () => {
    const intent = selectPortfolio(snapshotWith(names), metrics);
    expect(intent.buckets[0].strategies.map((s) => [s.strategyId, s.priority])).toEqual([
      ['spread_mean_revert', 1],
      ['funding_bias', 2],
      ['micro_breakout', 3],
    ]);
  });

  it('OrderingRule semantics: each rule reorders, strategy id breaks ties', () => {
    const snap = snapshotWith(names);
    expect(order(snap, { orderingRules: ['alpha_score_descending'], excludeConditional: false })).toEqual(['micro_breakout', 'funding_bias', 'spread_mean_revert']);
    expect(order(snap, { orderingRules: ['paper_trades_descending'], excludeConditional: false })).toEqual(['funding_bias', 'spread_mean_revert', 'micro_breakout']);
    expect(order(snap, { orderingRules: [], excludeConditional: false })).toEqual(['funding_bias', 'micro_breakout', 'spread_mean_revert']);
  });

  it('rejections are audit artifacts: excluded conditional, low alpha, missing metrics', () => {
    const intent = selectPortfolio(snapshotWith([...names, 'no_metrics']), metrics, { orderingRules: [], excludeConditional: true, minAlphaScore: '1.1' });
    expect(intent.rejections).toEqual([
      { bucketId: 'crypto-main', strategyId: 'micro_breakout', reason: 'ConditionalExcluded' },
      { bucketId: 'crypto-main', strategyId: 'no_metrics', reason: 'MissingMetrics' },
    ]);
    const low = selectPortfolio(snapshotWith(names), metrics, { orderingRules: [], excludeConditional: false, minAlphaScore: '1.5' });
    expect(low.rejections.map((r) => [r.strategyId, r.reason])).toEqual([
      ['funding_bias', 'AlphaBelowMinimum'],
      ['spread_mean_revert', 'AlphaBelowMinimum'],
    ]);
  });

  it('1. Read-only from bucket snapshots (no mutations)', () => {
    const snap = snapshotWith(names);
    const before = canonicalJson(snap);
    const deepFreeze = (o: object): void => {
      Object.freeze(o);
      for (const v of Object.values(o)) if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v as object);
    };
    deepFreeze(snap);
    expect(() => selectPortfolio(snap, metrics)).not.toThrow();
    expect(canonicalJson(snap)).toBe(before);
  });

  it('2. No capital quantities (policy-only priority ordering)', () => {
    const json = canonicalJson(selectPortfolio(snapshotWith(names), metrics));
    expect(json).not.toMatch(/amount|capital|USDT/);
  });

  it('3. Bucket constraints are absolute (max_concurrent_strategies and the policy limit)', () => {
    const intent = selectPortfolio(snapshotWith(names, 3), metrics, { orderingRules: ['alpha_score_descending'], excludeConditional: false, maxStrategiesPerBucket: 2 });
    expect(intent.buckets[0].strategies.map((s) => s.strategyId)).toEqual(['micro_breakout', 'funding_bias']);
    expect(intent.rejections).toEqual([{ bucketId: 'crypto-main', strategyId: 'spread_mean_revert', reason: 'BucketCapacity' }]);
  });

  it('4–5. Same inputs → identical PortfolioIntent digest; any change → a different one', () => {
    const a = selectPortfolio(snapshotWith(names), metrics);
    const b = selectPortfolio(snapshotWith(names), [...metrics].reverse());
    expect(a.digest).toBe(b.digest);
    expect(a.intentId).toBe(b.intentId);
    expect(selectPortfolio(snapshotWith(names), metrics, { orderingRules: ['drawdown_ascending'], excludeConditional: false }).digest).not.toBe(a.digest);
  });
});
