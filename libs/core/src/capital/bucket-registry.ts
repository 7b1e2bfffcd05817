import { deriveId, digestOf, type Digest } from '../canonical';
import type { TimeUs } from '../types';
import { type BindingRejectReason, type BindingRequest, bindingDecision, type BucketBinding, type BucketBindingDecision, type CapitalBucket } from './buckets';

/** The governed set of buckets and the strategies bound to them, sorted by id. */
export interface BucketRegistry {
  readonly buckets: readonly CapitalBucket[];
  readonly bindings: readonly BucketBinding[];
}

/** Why a bucket could not be registered. */
export type BucketRegistrationRejectReason = 'DuplicateBucket';

/** The outcome of registering a bucket. */
export type BucketRegistration =
  | { readonly ok: true; readonly registry: BucketRegistry }
  | { readonly ok: false; readonly registry: BucketRegistry; readonly reason: BucketRegistrationRejectReason };

/** Returns an empty registry. */
export function createBucketRegistry(): BucketRegistry {
  return { buckets: [], bindings: [] };
}

/** Returns the bucket with `bucketId`, or undefined. */
export function findBucket(registry: BucketRegistry, bucketId: string): CapitalBucket | undefined {
  return registry.buckets.find((b) => b.bucketId === bucketId);
}

/** Returns the bindings of one bucket, sorted by strategy id. */
export function bindingsOf(registry: BucketRegistry, bucketId: string): readonly BucketBinding[] {
  return registry.bindings.filter((b) => b.bucketId === bucketId);
}

/** Returns the registry with `bucket` added; a second bucket with the same id is refused. */
export function registerBucket(registry: BucketRegistry, bucket: CapitalBucket): BucketRegistration {
  if (findBucket(registry, bucket.bucketId) !== undefined) return { ok: false, registry, reason: 'DuplicateBucket' };
  const buckets = [...registry.buckets, bucket].sort((a, b) => (a.bucketId < b.bucketId ? -1 : 1));
  return { ok: true, registry: { ...registry, buckets } };
}

/**
 * Returns the registry after a binding request and the decision. A strategy is refused when
 * the bucket is unknown, the eligibility decision is for another strategy, the strategy is
 * ineligible (or only conditional and the bucket does not allow that), the bucket's venue is
 * not one the strategy is eligible on, it is already bound, or the bucket is full. Every
 * failed check is listed; the registry changes only on acceptance.
 */
export function bindStrategy(registry: BucketRegistry, request: BindingRequest): { readonly registry: BucketRegistry; readonly decision: BucketBindingDecision } {
  const bucket = findBucket(registry, request.bucketId);
  const reasons: BindingRejectReason[] = [];
  const e = request.eligibility;
  if (bucket === undefined) reasons.push('UnknownBucket');
  if (e.strategyId !== request.strategyId) reasons.push('EligibilityForAnotherStrategy');
  if (e.status === 'ineligible') reasons.push('StrategyIneligible');
  if (e.status === 'conditional' && bucket !== undefined && !bucket.constraints.allowConditional) reasons.push('ConditionalNotAllowed');
  if (bucket !== undefined && !e.venues.includes(bucket.venue)) reasons.push('VenueMismatch');
  const existing = bindingsOf(registry, request.bucketId);
  if (existing.some((b) => b.strategyId === request.strategyId)) reasons.push('DuplicateBinding');
  else if (bucket !== undefined && existing.length >= bucket.constraints.maxConcurrentStrategies) reasons.push('MaxConcurrentStrategies');
  const decision = bindingDecision({
    strategyId: request.strategyId,
    bucketId: request.bucketId,
    accepted: reasons.length === 0,
    reasons,
    eligibilityDigest: e.digest,
    atUs: request.atUs,
  });
  if (!decision.accepted) return { registry, decision };
  const binding: BucketBinding = {
    strategyId: request.strategyId,
    bucketId: request.bucketId,
    eligibilityStatus: e.status,
    eligibilityDigest: e.digest,
    boundAtUs: request.atUs,
    decisionDigest: decision.digest,
  };
  const bindings = [...registry.bindings, binding].sort((a, b) =>
    a.bucketId !== b.bucketId ? (a.bucketId < b.bucketId ? -1 : 1) : a.strategyId < b.strategyId ? -1 : a.strategyId > b.strategyId ? 1 : 0,
  );
  return { registry: { ...registry, bindings }, decision };
}

/** Returns the registry without the binding of `strategyId` to `bucketId` (unchanged when absent). */
export function unbindStrategy(registry: BucketRegistry, strategyId: string, bucketId: string): BucketRegistry {
  return { ...registry, bindings: registry.bindings.filter((b) => !(b.strategyId === strategyId && b.bucketId === bucketId)) };
}

/** One bucket in a snapshot with the strategies bound to it. */
export interface BucketSnapshotEntry {
  readonly bucket: CapitalBucket;
  readonly bindings: readonly BucketBinding[];
}

/** A read-only audit view of the registry at a time, with its id and digest. */
export interface BucketSnapshot {
  readonly snapshotId: string;
  readonly atUs: TimeUs;
  readonly buckets: readonly BucketSnapshotEntry[];
  readonly digest: Digest;
}

/** Returns the snapshot of the registry at `atUs`; the id and digest depend only on its content. */
export function snapshotBuckets(registry: BucketRegistry, atUs: TimeUs): BucketSnapshot {
  const buckets = registry.buckets.map((bucket) => ({ bucket, bindings: bindingsOf(registry, bucket.bucketId) }));
  const body = { atUs, buckets };
  const contentDigest = digestOf(body);
  const withId = { snapshotId: deriveId('bucket-snapshot', [contentDigest], 32), ...body };
  return { ...withId, digest: digestOf(withId) };
}
