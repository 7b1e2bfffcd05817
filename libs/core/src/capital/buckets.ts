import { digestOf, type Digest } from '../canonical';
import { ValidationError } from '../errors';
import { type Money, toDecimal } from '../money';
import type { TimeUs, VenueId } from '../types';
import type { EligibilityDecision, EligibilityStatus } from './eligibility';

/** How much risk a bucket's capital may take. */
export type RiskClass = 'conservative' | 'moderate' | 'aggressive' | 'experimental';

/** The absolute limits of a bucket. */
export interface BucketConstraints {
  /** At most this many strategies may be bound to the bucket at once (at least 1). */
  readonly maxConcurrentStrategies: number;
  /** No strategy may receive more than this fraction of the bucket's capital (0 < f ≤ 1). */
  readonly maxFractionPerStrategy: string;
  /** Whether a strategy whose eligibility is only conditional may be bound. */
  readonly allowConditional: boolean;
}

/** The default constraints: 5 strategies, 50% each at most, conditional strategies refused. */
export const DEFAULT_BUCKET_CONSTRAINTS: BucketConstraints = { maxConcurrentStrategies: 5, maxFractionPerStrategy: '0.5', allowConditional: false };

/** A pool of capital on exactly one venue; strategies never own it, they are bound to it. */
export interface CapitalBucket {
  readonly bucketId: string;
  readonly venue: VenueId;
  readonly capital: Money;
  readonly riskClass: RiskClass;
  readonly constraints: BucketConstraints;
}

/** Returns a checked bucket; throws ValidationError naming what was received when a field is invalid. */
export function createCapitalBucket(input: {
  readonly bucketId: string;
  readonly venue: VenueId;
  readonly capital: Money;
  readonly riskClass: RiskClass;
  readonly constraints?: Partial<BucketConstraints>;
}): CapitalBucket {
  const constraints: BucketConstraints = { ...DEFAULT_BUCKET_CONSTRAINTS, ...input.constraints };
  if (input.bucketId.trim() === '') throw new ValidationError('bucketId', 'bucket id must not be empty, received ""');
  if (input.venue.trim() === '') throw new ValidationError('venue', `venue of bucket ${input.bucketId} must not be empty, received ""`);
  if (!input.capital.isPositive()) throw new ValidationError('capital', `capital of bucket ${input.bucketId} must be positive, received ${input.capital.toString()}`);
  if (!Number.isInteger(constraints.maxConcurrentStrategies) || constraints.maxConcurrentStrategies < 1) {
    throw new ValidationError('maxConcurrentStrategies', `maxConcurrentStrategies must be an integer of at least 1, received ${constraints.maxConcurrentStrategies}`);
  }
  const f = toDecimal(constraints.maxFractionPerStrategy, 'maxFractionPerStrategy');
  if (f.lte(0) || f.gt(1)) throw new ValidationError('maxFractionPerStrategy', `maxFractionPerStrategy must be in (0, 1], received ${constraints.maxFractionPerStrategy}`);
  return { bucketId: input.bucketId, venue: input.venue, capital: input.capital, riskClass: input.riskClass, constraints };
}

/** An explicit grant of access: a strategy may use a bucket's capital. */
export interface BucketBinding {
  readonly strategyId: string;
  readonly bucketId: string;
  readonly eligibilityStatus: EligibilityStatus;
  readonly eligibilityDigest: Digest;
  readonly boundAtUs: TimeUs;
  readonly decisionDigest: Digest;
}

/** Why a binding was refused. */
export type BindingRejectReason =
  | 'UnknownBucket'
  | 'EligibilityForAnotherStrategy'
  | 'StrategyIneligible'
  | 'ConditionalNotAllowed'
  | 'VenueMismatch'
  | 'DuplicateBinding'
  | 'MaxConcurrentStrategies';

/** The audit artifact of a binding request, with its digest. */
export interface BucketBindingDecision {
  readonly strategyId: string;
  readonly bucketId: string;
  readonly accepted: boolean;
  readonly reasons: readonly BindingRejectReason[];
  readonly eligibilityDigest: Digest;
  readonly atUs: TimeUs;
  readonly digest: Digest;
}

/** The input of a binding. */
export interface BindingRequest {
  readonly strategyId: string;
  readonly bucketId: string;
  readonly eligibility: EligibilityDecision;
  readonly atUs: TimeUs;
}

/** Returns a binding decision with its digest computed over every other field. */
export function bindingDecision(fields: Omit<BucketBindingDecision, 'digest'>): BucketBindingDecision {
  return { ...fields, digest: digestOf(fields) };
}
