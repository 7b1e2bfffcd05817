import { deriveId, digestOf } from '../canonical';
import { ValidationError } from '../errors';
import { Money, toDecimal } from '../money';
import type { TimeUs } from '../types';
import type { AllocationPlan } from './allocation';
import {
  type BudgetDelta,
  type BudgetDeltaKind,
  type BudgetLedger,
  type BudgetOutcome,
  type BudgetPolicy,
  type BudgetRejectReason,
  type BudgetRejection,
  type BudgetSnapshot,
  DEFAULT_BUDGET_POLICY,
  type ExecutionBudget,
  type OrderCheckResult,
  type OrderReservation,
} from './budget-types';
import { countInWindow, recordInWindow } from './rate-limit';

/** An order's request for capital: the notional it may use at its limit (or worst) price. */
export interface ReserveRequest {
  readonly budgetId: string;
  readonly orderId: string;
  readonly amount: Money;
  readonly atUs: TimeUs;
}

/** A fill's notional to move from the order's reservation to committed capital. */
export interface FillCommit {
  readonly budgetId: string;
  readonly orderId: string;
  readonly amount: Money;
  readonly atUs: TimeUs;
}

/** Committed capital freed by closing (part of) a position. */
export interface PositionRelease {
  readonly budgetId: string;
  readonly amount: Money;
  readonly atUs: TimeUs;
}

/** Returns a ledger with no budgets; throws ValidationError for an invalid policy. */
export function createBudgetLedger(policy: BudgetPolicy = DEFAULT_BUDGET_POLICY): BudgetLedger {
  const f = toDecimal(policy.maxOrderFraction, 'maxOrderFraction');
  if (f.lte(0) || f.gt(1)) throw new ValidationError('maxOrderFraction', `maxOrderFraction must be in (0, 1], received ${policy.maxOrderFraction}`);
  for (const [name, v] of [['maxOrdersPerWindow', policy.maxOrdersPerWindow], ['rateWindowUs', policy.rateWindowUs], ['maxOpenOrders', policy.maxOpenOrders]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new ValidationError(name, `${name} must be a positive integer, received ${v}`);
  }
  return { policy, budgets: [] };
}

/** Returns the budget id of a strategy in a bucket under a plan (SHA-256 of the three). */
export function deriveBudgetId(strategyId: string, bucketId: string, planId: string): string {
  return deriveId('execution-budget', [strategyId, bucketId, planId], 32);
}

/** Returns the budget with `budgetId`, or undefined. */
export function findBudget(ledger: BudgetLedger, budgetId: string): ExecutionBudget | undefined {
  return ledger.budgets.find((b) => b.budgetId === budgetId);
}

/** Returns the current budget of a strategy in a bucket, or undefined. */
export function findBudgetFor(ledger: BudgetLedger, strategyId: string, bucketId: string): ExecutionBudget | undefined {
  return ledger.budgets.find((b) => b.strategyId === strategyId && b.bucketId === bucketId);
}

/** Returns allocated − reserved − committed. */
export function availableCapital(budget: ExecutionBudget): Money {
  return budget.allocated.minus(budget.reserved).minus(budget.committed);
}

/** Returns the SHA-256 digest of a budget's canonical form. */
export function budgetDigest(budget: ExecutionBudget): string {
  return digestOf(budget);
}

function putBudget(ledger: BudgetLedger, budget: ExecutionBudget, replacing?: string): BudgetLedger {
  const others = ledger.budgets.filter((b) => b.budgetId !== budget.budgetId && b.budgetId !== replacing);
  return { ...ledger, budgets: [...others, budget].sort((a, b) => (a.budgetId < b.budgetId ? -1 : 1)) };
}

function makeDelta(budget: ExecutionBudget, kind: BudgetDeltaKind, amount: Money, atUs: TimeUs, orderId?: string): BudgetDelta {
  const body = {
    deltaId: deriveId('budget-delta', [budget.budgetId, budget.sequence, kind, orderId ?? null], 32),
    budgetId: budget.budgetId,
    kind,
    orderId,
    amount,
    allocatedAfter: budget.allocated,
    reservedAfter: budget.reserved,
    committedAfter: budget.committed,
    sequence: budget.sequence,
    atUs,
  };
  return { ...body, digest: digestOf(body) };
}

function reject(ledger: BudgetLedger, budgetId: string, operation: BudgetRejection['operation'], reasons: readonly BudgetRejectReason[], atUs: TimeUs, orderId?: string): BudgetOutcome {
  const body = { budgetId, operation, orderId, reasons, atUs };
  return { ok: false, ledger, rejection: { ...body, digest: digestOf(body) } };
}

function commitChange(ledger: BudgetLedger, before: ExecutionBudget, after: Omit<ExecutionBudget, 'sequence'>, kind: BudgetDeltaKind, amount: Money, atUs: TimeUs, orderId?: string): BudgetOutcome {
  const budget: ExecutionBudget = { ...after, sequence: before.sequence + 1 };
  return { ok: true, ledger: putBudget(ledger, budget), delta: makeDelta(budget, kind, amount, atUs, orderId) };
}

/**
 * Returns the ledger after turning a plan into budgets: one per funded strategy, id derived
 * from strategy, bucket and plan. A strategy that already had a budget in the bucket keeps its
 * reservations and commitments under the new allocation (or under zero when the plan skips
 * it); when they exceed the new allocation the change is refused with AllocationBelowUsage
 * and the old budget stays. Applying the same plan twice changes nothing.
 */
export function applyAllocationPlan(
  ledger: BudgetLedger,
  plan: AllocationPlan,
  atUs: TimeUs,
): { readonly ledger: BudgetLedger; readonly deltas: readonly BudgetDelta[]; readonly rejections: readonly BudgetRejection[] } {
  let current = ledger;
  const deltas: BudgetDelta[] = [];
  const rejections: BudgetRejection[] = [];
  for (const a of plan.allocations) {
    const budgetId = deriveBudgetId(a.strategyId, plan.bucketId, plan.planId);
    if (findBudget(current, budgetId) !== undefined) continue;
    const previous = findBudgetFor(current, a.strategyId, plan.bucketId);
    if (a.skipped && previous === undefined) continue;
    const zero = Money.zero(a.amount.currency);
    const carried = previous ?? { reserved: zero, committed: zero, reservations: [] as readonly OrderReservation[], rate: { windowIndex: 0, count: 0 } };
    if (carried.reserved.plus(carried.committed).gt(a.amount)) {
      const outcome = reject(current, previous?.budgetId ?? budgetId, 'allocate', ['AllocationBelowUsage'], atUs);
      if (!outcome.ok) rejections.push(outcome.rejection);
      continue;
    }
    const budget: ExecutionBudget = {
      budgetId,
      strategyId: a.strategyId,
      bucketId: plan.bucketId,
      planId: plan.planId,
      allocated: a.amount,
      reserved: carried.reserved,
      committed: carried.committed,
      reservations: carried.reservations,
      rate: carried.rate,
      sequence: 1,
    };
    current = putBudget(current, budget, previous?.budgetId);
    deltas.push(makeDelta(budget, 'allocate', a.amount, atUs));
  }
  return { ledger: current, deltas, rejections };
}

function orderReasons(ledger: BudgetLedger, budget: ExecutionBudget, request: ReserveRequest): BudgetRejectReason[] {
  const reasons: BudgetRejectReason[] = [];
  const p = ledger.policy;
  if (request.amount.currency !== budget.allocated.currency) return ['CurrencyMismatch'];
  if (!request.amount.isPositive()) reasons.push('NonPositiveAmount');
  if (budget.reservations.some((r) => r.orderId === request.orderId)) reasons.push('DuplicateOrder');
  if (request.amount.gt(budget.allocated.times(p.maxOrderFraction))) reasons.push('ExceedsMaxOrderFraction');
  if (request.amount.gt(availableCapital(budget))) reasons.push('InsufficientBudget');
  const count = countInWindow(budget.rate, request.atUs, p.rateWindowUs);
  if (count === undefined) reasons.push('TimeWentBackwards');
  else if (count >= p.maxOrdersPerWindow) reasons.push('RateLimited');
  if (budget.reservations.length >= p.maxOpenOrders) reasons.push('MaxOpenOrders');
  return reasons;
}

/** Returns whether an order may reserve `amount` now, with every reason it may not; changes nothing. */
export function checkOrder(ledger: BudgetLedger, request: ReserveRequest): OrderCheckResult {
  const budget = findBudget(ledger, request.budgetId);
  if (budget === undefined) return { approved: false, reasons: ['UnknownBudget'] };
  const reasons = orderReasons(ledger, budget, request);
  return { approved: reasons.length === 0, reasons, available: availableCapital(budget) };
}

/** Returns the ledger with `amount` reserved for the order, or a rejection listing every failed check. */
export function reserveForOrder(ledger: BudgetLedger, request: ReserveRequest): BudgetOutcome {
  const budget = findBudget(ledger, request.budgetId);
  if (budget === undefined) return reject(ledger, request.budgetId, 'reserve', ['UnknownBudget'], request.atUs, request.orderId);
  const reasons = orderReasons(ledger, budget, request);
  if (reasons.length > 0) return reject(ledger, request.budgetId, 'reserve', reasons, request.atUs, request.orderId);
  const reservations = [...budget.reservations, { orderId: request.orderId, amount: request.amount }].sort((a, b) => (a.orderId < b.orderId ? -1 : 1));
  return commitChange(
    ledger,
    budget,
    { ...budget, reserved: budget.reserved.plus(request.amount), reservations, rate: recordInWindow(budget.rate, request.atUs, ledger.policy.rateWindowUs) },
    'reserve',
    request.amount,
    request.atUs,
    request.orderId,
  );
}

/** Returns the ledger with what is left of the order's reservation released (on cancel, reject or completion). */
export function releaseOrder(ledger: BudgetLedger, request: { readonly budgetId: string; readonly orderId: string; readonly atUs: TimeUs }): BudgetOutcome {
  const budget = findBudget(ledger, request.budgetId);
  if (budget === undefined) return reject(ledger, request.budgetId, 'release', ['UnknownBudget'], request.atUs, request.orderId);
  const r = budget.reservations.find((x) => x.orderId === request.orderId);
  if (r === undefined) return reject(ledger, request.budgetId, 'release', ['UnknownOrder'], request.atUs, request.orderId);
  return commitChange(
    ledger,
    budget,
    { ...budget, reserved: budget.reserved.minus(r.amount), reservations: budget.reservations.filter((x) => x !== r) },
    'release',
    r.amount,
    request.atUs,
    request.orderId,
  );
}

/**
 * Returns the ledger with a fill's notional moved from the order's reservation to committed
 * capital. A fill larger than what is left of the reservation is refused, never clamped.
 * The reservation stays (possibly at zero) until releaseOrder.
 */
export function processFill(ledger: BudgetLedger, fill: FillCommit): BudgetOutcome {
  const budget = findBudget(ledger, fill.budgetId);
  if (budget === undefined) return reject(ledger, fill.budgetId, 'commit', ['UnknownBudget'], fill.atUs, fill.orderId);
  if (fill.amount.currency !== budget.allocated.currency) return reject(ledger, fill.budgetId, 'commit', ['CurrencyMismatch'], fill.atUs, fill.orderId);
  const r = budget.reservations.find((x) => x.orderId === fill.orderId);
  const reasons: BudgetRejectReason[] = [];
  if (r === undefined) reasons.push('UnknownOrder');
  if (!fill.amount.isPositive()) reasons.push('NonPositiveAmount');
  if (r !== undefined && fill.amount.gt(r.amount)) reasons.push('FillExceedsReservation');
  if (r === undefined || reasons.length > 0) return reject(ledger, fill.budgetId, 'commit', reasons, fill.atUs, fill.orderId);
  const reservations = budget.reservations.map((x) => (x === r ? { orderId: x.orderId, amount: x.amount.minus(fill.amount) } : x));
  return commitChange(
    ledger,
    budget,
    { ...budget, reserved: budget.reserved.minus(fill.amount), committed: budget.committed.plus(fill.amount), reservations },
    'commit',
    fill.amount,
    fill.atUs,
    fill.orderId,
  );
}

/** Returns the ledger with `amount` of committed capital released; more than is committed is refused. */
export function releasePosition(ledger: BudgetLedger, release: PositionRelease): BudgetOutcome {
  const budget = findBudget(ledger, release.budgetId);
  if (budget === undefined) return reject(ledger, release.budgetId, 'release_position', ['UnknownBudget'], release.atUs);
  if (release.amount.currency !== budget.allocated.currency) return reject(ledger, release.budgetId, 'release_position', ['CurrencyMismatch'], release.atUs);
  const reasons: BudgetRejectReason[] = [];
  if (!release.amount.isPositive()) reasons.push('NonPositiveAmount');
  if (release.amount.gt(budget.committed)) reasons.push('ReleaseExceedsCommitted');
  if (reasons.length > 0) return reject(ledger, release.budgetId, 'release_position', reasons, release.atUs);
  return commitChange(ledger, budget, { ...budget, committed: budget.committed.minus(release.amount) }, 'release_position', release.amount, release.atUs);
}

/** Returns an audit snapshot of every budget at `atUs`, with its digest. */
export function snapshotBudgets(ledger: BudgetLedger, atUs: TimeUs): BudgetSnapshot {
  const body = { atUs, budgets: ledger.budgets };
  return { ...body, digest: digestOf(body) };
}
