import type Decimal from 'decimal.js';
import { deriveId, digestOf, type Digest } from '../canonical';
import { InvariantViolationError, ValidationError } from '../errors';
import { decimalText, ExactDecimal, Money, roundToIncrement, toDecimal } from '../money';
import type { CapitalBucket } from './buckets';
import type { PortfolioIntent, RankedStrategy } from './portfolio-selector';

/** How a bucket's allocatable capital is divided among its ordered strategies. */
export type AllocationMode = 'equal_split' | 'priority_fill' | 'score_proportional';

/** Every parameter of an allocation; nothing else influences the result. Amounts are in the bucket's currency. */
export interface AllocationPolicy {
  readonly mode: AllocationMode;
  /** The fraction of the bucket's capital held back, in [0, 1); rounded up to the quantum. */
  readonly reserveRatio: string;
  /** A strategy that would receive less than this receives nothing (never a smaller amount). */
  readonly minAllocation: string;
  /** An absolute cap per strategy. */
  readonly maxPerStrategy?: string;
  /** A cap per strategy as a fraction of the bucket's capital (the bucket's own cap also applies). */
  readonly maxFractionPerStrategy?: string;
  /** Whether a strategy below the minimum may be skipped in favour of lower-priority ones. */
  readonly allowSkip: boolean;
  /** The smallest unit allocated, for example `0.01`; every amount is a multiple of it. */
  readonly quantum: string;
}

/** The default: equal split, 10% reserve, no minimum, no skipping, cents. */
export const DEFAULT_ALLOCATION_POLICY: AllocationPolicy = { mode: 'equal_split', reserveRatio: '0.1', minAllocation: '0', allowSkip: false, quantum: '0.01' };

/** Why a strategy received what it received. */
export type AllocationReason = 'Allocated' | 'CappedAtMaximum' | 'BelowMinimumSkipped' | 'OrderingStop' | 'BucketCapacity';

/** One strategy's share of a bucket. */
export interface StrategyAllocation {
  readonly strategyId: string;
  readonly priority: number;
  readonly amount: Money;
  readonly skipped: boolean;
  readonly reasons: readonly AllocationReason[];
}

/** One validation of a plan; a plan is only returned when every check passed. */
export interface AllocationCheck {
  readonly name: 'reserve_held' | 'caps_respected' | 'min_allocation_respected' | 'ordering_respected' | 'bucket_capacity';
  readonly passed: boolean;
  readonly detail: string;
}

/** The capital assignment of one bucket, with its id and digest. */
export interface AllocationPlan {
  readonly planId: string;
  readonly bucketId: string;
  readonly intentId: string;
  readonly intentDigest: Digest;
  readonly policyFingerprint: Digest;
  readonly mode: AllocationMode;
  readonly capital: Money;
  readonly reserve: Money;
  readonly allocatable: Money;
  readonly allocated: Money;
  /** allocatable − allocated: what no strategy received. */
  readonly unallocated: Money;
  readonly allocations: readonly StrategyAllocation[];
  readonly checks: readonly AllocationCheck[];
  readonly digest: Digest;
}

/** When allocations are recomputed; scheduling only, it never changes an allocation's value. */
export type RebalancePolicy =
  | { readonly kind: 'fixed_interval'; readonly intervalUs: number }
  | { readonly kind: 'on_new_snapshot' }
  | { readonly kind: 'on_new_intent' };

/** Returns true when `policy` asks for a new plan given the last plan's inputs and the current ones. */
export function shouldRebalance(
  policy: RebalancePolicy,
  last: { readonly atUs: number; readonly snapshotId: string; readonly intentId: string },
  now: { readonly atUs: number; readonly snapshotId: string; readonly intentId: string },
): boolean {
  switch (policy.kind) {
    case 'fixed_interval':
      return Math.floor(now.atUs / policy.intervalUs) > Math.floor(last.atUs / policy.intervalUs);
    case 'on_new_snapshot':
      return now.snapshotId !== last.snapshotId;
    case 'on_new_intent':
      return now.intentId !== last.intentId;
  }
}

interface Slot {
  readonly s: RankedStrategy;
  readonly weight: Decimal;
  readonly cap: Decimal;
  amount: Decimal;
  skipped: boolean;
  reasons: AllocationReason[];
}

function checkPolicy(policy: AllocationPolicy): void {
  const r = toDecimal(policy.reserveRatio, 'reserveRatio');
  if (r.lt(0) || r.gte(1)) throw new ValidationError('reserveRatio', `reserveRatio must be in [0, 1), received ${policy.reserveRatio}`);
  if (toDecimal(policy.quantum, 'quantum').lte(0)) throw new ValidationError('quantum', `quantum must be positive, received ${policy.quantum}`);
  if (toDecimal(policy.minAllocation, 'minAllocation').lt(0)) throw new ValidationError('minAllocation', `minAllocation must not be negative, received ${policy.minAllocation}`);
  if (policy.maxPerStrategy !== undefined && toDecimal(policy.maxPerStrategy, 'maxPerStrategy').lte(0)) {
    throw new ValidationError('maxPerStrategy', `maxPerStrategy must be positive, received ${policy.maxPerStrategy}`);
  }
  if (policy.maxFractionPerStrategy !== undefined) {
    const f = toDecimal(policy.maxFractionPerStrategy, 'maxFractionPerStrategy');
    if (f.lte(0) || f.gt(1)) throw new ValidationError('maxFractionPerStrategy', `maxFractionPerStrategy must be in (0, 1], received ${policy.maxFractionPerStrategy}`);
  }
}

/** Divides `total` among `slots` in proportion to their weights, capped (water-filling), in whole quanta. */
function waterFill(slots: readonly Slot[], total: Decimal, quantum: Decimal): void {
  const share = new Map<Slot, Decimal>();
  let remaining = total;
  let open = slots.filter((x) => x.weight.gt(0));
  for (const x of slots) share.set(x, new ExactDecimal(0));
  while (open.length > 0) {
    const w = open.reduce((a, x) => a.plus(x.weight), new ExactDecimal(0));
    const over = open.filter((x) => remaining.times(x.weight).div(w).gt(x.cap));
    if (over.length === 0) {
      for (const x of open) share.set(x, remaining.times(x.weight).div(w));
      break;
    }
    for (const x of over) {
      share.set(x, x.cap);
      remaining = remaining.minus(x.cap);
    }
    open = open.filter((x) => !over.includes(x));
  }
  for (const x of slots) x.amount = roundToIncrement(share.get(x) ?? 0, quantum, 'floor');
  let left = total.minus(slots.reduce((a, x) => a.plus(x.amount), new ExactDecimal(0)));
  let progress = true;
  while (progress && left.gte(quantum)) {
    progress = false;
    for (const x of slots) {
      if (left.lt(quantum)) break;
      if (x.weight.gt(0) && x.amount.plus(quantum).lte(x.cap)) {
        x.amount = x.amount.plus(quantum);
        left = left.minus(quantum);
        progress = true;
      }
    }
  }
}

/**
 * Returns the allocation plan of `bucket` for its strategies in `intent`, under `policy`. The
 * reserve (capital × reserveRatio, rounded up to the quantum, at most the capital) is held back; the rest is
 * divided by the mode. Caps come from the bucket and the policy; every amount is a whole
 * number of quanta; quanta left by rounding go one at a time to strategies in priority order.
 * A strategy below the minimum gets nothing: with `allowSkip` the lowest-priority such
 * strategy is dropped first, without it the lowest-priority strategy of all is dropped, so the
 * funded strategies are always a prefix of the ordering. Pure: the same inputs give the same
 * plan and digest.
 */
export function allocateBucket(bucket: CapitalBucket, intent: PortfolioIntent, policy: AllocationPolicy = DEFAULT_ALLOCATION_POLICY): AllocationPlan {
  checkPolicy(policy);
  const currency = bucket.capital.currency;
  const quantum = toDecimal(policy.quantum);
  const capital = bucket.capital.value;
  const reserve = ExactDecimal.min(capital, roundToIncrement(capital.times(policy.reserveRatio), quantum, 'ceil'));
  const allocatable = ExactDecimal.max(0, roundToIncrement(capital.minus(reserve), quantum, 'floor'));
  const threshold = ExactDecimal.max(toDecimal(policy.minAllocation), quantum);
  const caps = [capital.times(bucket.constraints.maxFractionPerStrategy)];
  if (policy.maxPerStrategy !== undefined) caps.push(toDecimal(policy.maxPerStrategy));
  if (policy.maxFractionPerStrategy !== undefined) caps.push(capital.times(policy.maxFractionPerStrategy));
  const cap = roundToIncrement(ExactDecimal.min(...caps), quantum, 'floor');

  const ranked = [...(intent.buckets.find((b) => b.bucketId === bucket.bucketId)?.strategies ?? [])].sort((a, b) => a.priority - b.priority);
  const slots: Slot[] = ranked.map((s) => ({
    s,
    weight: policy.mode === 'score_proportional' ? ExactDecimal.max(0, toDecimal(s.alphaScore)) : new ExactDecimal(1),
    cap,
    amount: new ExactDecimal(0),
    skipped: false,
    reasons: [],
  }));
  for (const x of slots.slice(bucket.constraints.maxConcurrentStrategies)) {
    x.skipped = true;
    x.reasons.push('BucketCapacity');
  }
  const candidates = slots.filter((x) => !x.skipped);

  if (policy.mode === 'priority_fill') {
    let remaining = allocatable;
    let stopped = false;
    for (const x of candidates) {
      if (stopped) {
        x.skipped = true;
        x.reasons.push('OrderingStop');
        continue;
      }
      const amount = roundToIncrement(ExactDecimal.min(x.cap, remaining), quantum, 'floor');
      if (amount.lt(threshold)) {
        x.skipped = true;
        x.reasons.push('BelowMinimumSkipped');
        if (!policy.allowSkip) stopped = true;
        continue;
      }
      x.amount = amount;
      remaining = remaining.minus(amount);
    }
  } else {
    let active = candidates;
    for (;;) {
      waterFill(active, allocatable, quantum);
      const below = active.filter((x) => x.amount.lt(threshold));
      if (below.length === 0) break;
      const victim = policy.allowSkip ? below[below.length - 1] : active[active.length - 1];
      victim.skipped = true;
      victim.amount = new ExactDecimal(0);
      victim.reasons.push(below.includes(victim) ? 'BelowMinimumSkipped' : 'OrderingStop');
      active = active.filter((x) => x !== victim);
    }
  }
  for (const x of slots) {
    if (x.skipped) x.amount = new ExactDecimal(0);
    else x.reasons.push(...(x.amount.eq(x.cap) ? (['Allocated', 'CappedAtMaximum'] as const) : (['Allocated'] as const)));
  }

  const allocated = slots.reduce((a, x) => a.plus(x.amount), new ExactDecimal(0));
  const funded = slots.map((x) => !x.skipped);
  const firstGap = funded.indexOf(false);
  const checks: AllocationCheck[] = [
    { name: 'reserve_held', passed: allocated.lte(allocatable) && reserve.gte(capital.times(policy.reserveRatio)), detail: `allocated ${decimalText(allocated)} of ${decimalText(allocatable)}, reserve ${decimalText(reserve)}` },
    { name: 'caps_respected', passed: slots.every((x) => x.amount.lte(x.cap)), detail: `cap ${decimalText(cap)}` },
    { name: 'min_allocation_respected', passed: slots.every((x) => x.skipped || x.amount.gte(threshold)), detail: `minimum ${decimalText(threshold)}` },
    { name: 'ordering_respected', passed: policy.allowSkip || firstGap === -1 || funded.slice(firstGap).every((f) => !f), detail: policy.allowSkip ? 'skipping allowed' : 'funded strategies form a prefix of the ordering' },
    { name: 'bucket_capacity', passed: funded.filter(Boolean).length <= bucket.constraints.maxConcurrentStrategies, detail: `at most ${bucket.constraints.maxConcurrentStrategies} strategies` },
  ];
  const failed = checks.find((c) => !c.passed);
  if (failed !== undefined) throw new InvariantViolationError(`allocation.${failed.name}`, failed.detail);

  const m = (d: Decimal): Money => Money.create(d, currency);
  const policyFingerprint = digestOf(policy);
  const body = {
    bucketId: bucket.bucketId,
    intentId: intent.intentId,
    intentDigest: intent.digest,
    policyFingerprint,
    mode: policy.mode,
    capital: bucket.capital,
    reserve: m(reserve),
    allocatable: m(allocatable),
    allocated: m(allocated),
    unallocated: m(allocatable.minus(allocated)),
    allocations: slots.map((x) => ({ strategyId: x.s.strategyId, priority: x.s.priority, amount: m(x.amount), skipped: x.skipped, reasons: x.reasons })),
    checks,
  };
  const withId = { planId: deriveId('allocation-plan', [bucket.bucketId, intent.digest, policyFingerprint, digestOf(bucket)], 32), ...body };
  return { ...withId, digest: digestOf(withId) };
}
