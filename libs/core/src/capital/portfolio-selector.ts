import { deriveId, digestOf, type Digest } from '../canonical';
import { type DecimalInput, decimalText, toDecimal } from '../money';
import type { BucketSnapshot } from './bucket-registry';
import type { EligibilityStatus } from './eligibility';

/** A rule for ordering strategies within a bucket; rules apply in order, strategy id breaks ties. */
export type OrderingRule = 'eligibility_tier' | 'alpha_score_descending' | 'drawdown_ascending' | 'paper_trades_descending' | 'strategy_id_ascending';

/** The metrics a selector orders strategies by. */
export interface StrategyOrderingMetrics {
  readonly strategyId: string;
  readonly eligibilityStatus: EligibilityStatus;
  readonly alphaScore: DecimalInput;
  readonly maxDrawdown: DecimalInput;
  readonly paperTrades: number;
}

/** How to build a portfolio: ordering rules and limits, no capital quantities. */
export interface PortfolioPolicy {
  readonly orderingRules: readonly OrderingRule[];
  /** At most this many strategies per bucket (the bucket's own limit always applies too). */
  readonly maxStrategiesPerBucket?: number;
  /** Strategies whose alpha score is below this are rejected. */
  readonly minAlphaScore?: string;
  /** Whether conditionally eligible strategies are left out. */
  readonly excludeConditional: boolean;
}

/** The default portfolio policy: tier, then alpha descending, then drawdown ascending. */
export const DEFAULT_PORTFOLIO_POLICY: PortfolioPolicy = {
  orderingRules: ['eligibility_tier', 'alpha_score_descending', 'drawdown_ascending'],
  excludeConditional: false,
};

/** One strategy's place in a bucket: 1 is the highest priority. */
export interface RankedStrategy {
  readonly strategyId: string;
  readonly priority: number;
  readonly eligibilityDigest: Digest;
  readonly metricsDigest: Digest;
  readonly alphaScore: string;
}

/** The ordered strategies of one bucket. */
export interface BucketIntent {
  readonly bucketId: string;
  readonly strategies: readonly RankedStrategy[];
}

/** Why a bound strategy was left out of the portfolio. */
export type PortfolioRejectReason = 'MissingMetrics' | 'Ineligible' | 'ConditionalExcluded' | 'AlphaBelowMinimum' | 'BucketCapacity';

/** The audit record of a strategy left out. */
export interface PortfolioRejection {
  readonly bucketId: string;
  readonly strategyId: string;
  readonly reason: PortfolioRejectReason;
}

/** The admissible portfolio structure: per bucket, an ordering of strategies, with its digest. */
export interface PortfolioIntent {
  readonly intentId: string;
  readonly snapshotId: string;
  readonly snapshotDigest: Digest;
  readonly policyDigest: Digest;
  readonly buckets: readonly BucketIntent[];
  readonly rejections: readonly PortfolioRejection[];
  readonly digest: Digest;
}

const TIER: Readonly<Record<EligibilityStatus, number>> = { eligible: 0, conditional: 1, ineligible: 2 };

interface Normalised {
  readonly strategyId: string;
  readonly eligibilityStatus: EligibilityStatus;
  readonly alphaScore: string;
  readonly maxDrawdown: string;
  readonly paperTrades: number;
}

function normalise(m: StrategyOrderingMetrics): Normalised {
  return {
    strategyId: m.strategyId,
    eligibilityStatus: m.eligibilityStatus,
    alphaScore: decimalText(toDecimal(m.alphaScore, 'alphaScore')),
    maxDrawdown: decimalText(toDecimal(m.maxDrawdown, 'maxDrawdown')),
    paperTrades: m.paperTrades,
  };
}

function compareBy(rule: OrderingRule, a: Normalised, b: Normalised): number {
  switch (rule) {
    case 'eligibility_tier':
      return TIER[a.eligibilityStatus] - TIER[b.eligibilityStatus];
    case 'alpha_score_descending':
      return toDecimal(b.alphaScore).cmp(toDecimal(a.alphaScore));
    case 'drawdown_ascending':
      return toDecimal(a.maxDrawdown).cmp(toDecimal(b.maxDrawdown));
    case 'paper_trades_descending':
      return b.paperTrades - a.paperTrades;
    case 'strategy_id_ascending':
      return a.strategyId < b.strategyId ? -1 : a.strategyId > b.strategyId ? 1 : 0;
  }
}

/**
 * Returns the portfolio intent for a bucket snapshot: for each bucket, its bound strategies
 * that pass the policy, ordered by the policy's rules (strategy id last), cut to the bucket's
 * and the policy's limits. Reads the snapshot only; assigns no capital.
 */
export function selectPortfolio(snapshot: BucketSnapshot, metrics: readonly StrategyOrderingMetrics[], policy: PortfolioPolicy = DEFAULT_PORTFOLIO_POLICY): PortfolioIntent {
  const byId = new Map(metrics.map((m) => [m.strategyId, normalise(m)]));
  const rejections: PortfolioRejection[] = [];
  const buckets: BucketIntent[] = snapshot.buckets.map(({ bucket, bindings }) => {
    const candidates: { m: Normalised; eligibilityDigest: Digest }[] = [];
    for (const binding of bindings) {
      const m = byId.get(binding.strategyId);
      const reject = (reason: PortfolioRejectReason): void => {
        rejections.push({ bucketId: bucket.bucketId, strategyId: binding.strategyId, reason });
      };
      if (m === undefined) reject('MissingMetrics');
      else if (m.eligibilityStatus === 'ineligible') reject('Ineligible');
      else if (m.eligibilityStatus === 'conditional' && policy.excludeConditional) reject('ConditionalExcluded');
      else if (policy.minAlphaScore !== undefined && toDecimal(m.alphaScore).lt(policy.minAlphaScore)) reject('AlphaBelowMinimum');
      else candidates.push({ m, eligibilityDigest: binding.eligibilityDigest });
    }
    const rules: readonly OrderingRule[] = [...policy.orderingRules, 'strategy_id_ascending'];
    candidates.sort((a, b) => {
      for (const rule of rules) {
        const c = compareBy(rule, a.m, b.m);
        if (c !== 0) return c;
      }
      return 0;
    });
    const limit = Math.min(bucket.constraints.maxConcurrentStrategies, policy.maxStrategiesPerBucket ?? Number.MAX_SAFE_INTEGER);
    for (const dropped of candidates.slice(limit)) rejections.push({ bucketId: bucket.bucketId, strategyId: dropped.m.strategyId, reason: 'BucketCapacity' });
    const strategies = candidates.slice(0, limit).map((c, i) => ({
      strategyId: c.m.strategyId,
      priority: i + 1,
      eligibilityDigest: c.eligibilityDigest,
      metricsDigest: digestOf(c.m),
      alphaScore: c.m.alphaScore,
    }));
    return { bucketId: bucket.bucketId, strategies };
  });
  const policyDigest = digestOf(policy);
  const body = { snapshotId: snapshot.snapshotId, snapshotDigest: snapshot.digest, policyDigest, buckets, rejections };
  const withId = { intentId: deriveId('portfolio-intent', [digestOf(body)], 32), ...body };
  return { ...withId, digest: digestOf(withId) };
}
