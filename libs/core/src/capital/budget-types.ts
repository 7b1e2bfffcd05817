import type { Digest } from '../canonical';
import type { Money } from '../money';
import type { TimeUs } from '../types';
import type { RateWindow } from './rate-limit';

/** Per-order and per-budget limits; all fractions are of the budget's allocated capital. */
export interface BudgetPolicy {
  /** No single order may reserve more than this fraction, in (0, 1]. */
  readonly maxOrderFraction: string;
  /** At most this many reservations per rate window. */
  readonly maxOrdersPerWindow: number;
  /** The rate window length in microseconds; window = floor(t / windowUs). */
  readonly rateWindowUs: number;
  /** At most this many orders may hold a reservation at once. */
  readonly maxOpenOrders: number;
}

/** The default: 25% per order, 10 orders per second, 20 open orders. */
export const DEFAULT_BUDGET_POLICY: BudgetPolicy = { maxOrderFraction: '0.25', maxOrdersPerWindow: 10, rateWindowUs: 1_000_000, maxOpenOrders: 20 };

/** Capital reserved for one open order (what is left of it after fills). */
export interface OrderReservation {
  readonly orderId: string;
  readonly amount: Money;
}

/**
 * A strategy's runtime budget in one bucket, derived from an allocation plan. `reserved` is
 * held by open orders, `committed` by open positions; reserved + committed ≤ allocated.
 */
export interface ExecutionBudget {
  readonly budgetId: string;
  readonly strategyId: string;
  readonly bucketId: string;
  readonly planId: string;
  readonly allocated: Money;
  readonly reserved: Money;
  readonly committed: Money;
  /** Sorted by order id. */
  readonly reservations: readonly OrderReservation[];
  readonly rate: RateWindow;
  /** The number of deltas this budget has produced. */
  readonly sequence: number;
}

/** All budgets (sorted by id) and the policy that governs them. */
export interface BudgetLedger {
  readonly policy: BudgetPolicy;
  readonly budgets: readonly ExecutionBudget[];
}

/** Why a budget operation was refused; a refusal never clamps or partially applies. */
export type BudgetRejectReason =
  | 'UnknownBudget'
  | 'CurrencyMismatch'
  | 'NonPositiveAmount'
  | 'ExceedsMaxOrderFraction'
  | 'InsufficientBudget'
  | 'RateLimited'
  | 'MaxOpenOrders'
  | 'DuplicateOrder'
  | 'UnknownOrder'
  | 'FillExceedsReservation'
  | 'ReleaseExceedsCommitted'
  | 'TimeWentBackwards'
  | 'AllocationBelowUsage';

/** What changed a budget. */
export type BudgetDeltaKind = 'allocate' | 'reserve' | 'release' | 'commit' | 'release_position';

/** One change of one budget, bound for the WAL, with a derived id and a digest. */
export interface BudgetDelta {
  readonly deltaId: string;
  readonly budgetId: string;
  readonly kind: BudgetDeltaKind;
  readonly orderId?: string;
  /** The amount moved (allocated amount for `allocate`). */
  readonly amount: Money;
  readonly allocatedAfter: Money;
  readonly reservedAfter: Money;
  readonly committedAfter: Money;
  readonly sequence: number;
  readonly atUs: TimeUs;
  readonly digest: Digest;
}

/** The audit record of a refused budget operation. */
export interface BudgetRejection {
  readonly budgetId: string;
  readonly operation: BudgetDeltaKind | 'check';
  readonly orderId?: string;
  readonly reasons: readonly BudgetRejectReason[];
  readonly atUs: TimeUs;
  readonly digest: Digest;
}

/** The result of a budget operation: the new ledger and its delta, or the unchanged ledger and a rejection. */
export type BudgetOutcome =
  | { readonly ok: true; readonly ledger: BudgetLedger; readonly delta: BudgetDelta }
  | { readonly ok: false; readonly ledger: BudgetLedger; readonly rejection: BudgetRejection };

/** The result of a pre-trade check. */
export interface OrderCheckResult {
  readonly approved: boolean;
  readonly reasons: readonly BudgetRejectReason[];
  /** allocated − reserved − committed before the order. */
  readonly available?: Money;
}

/** An audit snapshot of every budget, with its digest. */
export interface BudgetSnapshot {
  readonly atUs: TimeUs;
  readonly budgets: readonly ExecutionBudget[];
  readonly digest: Digest;
}
