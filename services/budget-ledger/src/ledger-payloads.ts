import {
  type BudgetDelta,
  type BudgetDeltaKind,
  type BudgetReleaseCause,
  decimalString,
  type OrderCommand,
  type PositionState,
  type StrategyIntent,
} from '@fleet/contracts';
import {
  averageEntryPrice,
  type BudgetDelta as CoreBudgetDelta,
  type BudgetDeltaKind as CoreBudgetDeltaKind,
  budgetDigest,
  type BudgetLedger,
  deriveId,
  type ExecutionBudget,
  findBudget,
  InvariantViolationError,
  Money,
  type Position,
  Price,
  unrealisedPnl,
} from '@fleet/core';

/** The contract kind of each core budget change: both kinds of release (an order's reservation, a position's commitment) are RELEASE. */
const DELTA_KIND: Readonly<Record<CoreBudgetDeltaKind, BudgetDeltaKind>> = {
  allocate: 'ALLOCATE',
  reserve: 'RESERVE',
  commit: 'COMMIT',
  release: 'RELEASE',
  release_position: 'RELEASE',
};

/** The order a budget change is for. */
export interface OrderRef {
  readonly clientOrderId: string;
  readonly intentId: string;
}

function money(amount: Money): BudgetDelta['amount'] {
  return decimalString(amount.amountText());
}

/**
 * Returns the budget.delta payload of a core delta: its ids, amounts and budget sequence, the
 * bucket and strategy of its budget, the order it is for (null for ALLOCATE), why a RELEASE
 * returned capital and the digest of the budget in `ledger`, the ledger right after the change.
 * A RELEASE without a cause, or a cause on another kind, is an invariant violation.
 */
export function budgetDeltaPayload(
  instrument: string,
  ledger: BudgetLedger,
  delta: CoreBudgetDelta,
  order: OrderRef | null,
  releaseCause: BudgetReleaseCause | null,
): Omit<BudgetDelta, 'envelope'> {
  const budget = findBudget(ledger, delta.budgetId);
  if (budget === undefined) throw new InvariantViolationError('budget-ledger.delta-budget', `budget ${delta.budgetId} of delta ${delta.deltaId} is not in the ledger`);
  const kind = DELTA_KIND[delta.kind];
  if ((kind === 'RELEASE') !== (releaseCause !== null)) {
    throw new InvariantViolationError('budget-ledger.release-cause', `delta ${delta.deltaId} of kind ${delta.kind} has release cause ${String(releaseCause)}`);
  }
  return {
    instrument,
    deltaId: delta.deltaId,
    budgetId: delta.budgetId,
    bucketId: budget.bucketId,
    strategyId: budget.strategyId,
    kind,
    amount: money(delta.amount),
    currency: delta.amount.currency,
    clientOrderId: order?.clientOrderId ?? null,
    intentId: order?.intentId ?? null,
    allocatedAfter: money(delta.allocatedAfter),
    reservedAfter: money(delta.reservedAfter),
    committedAfter: money(delta.committedAfter),
    budgetDigest: budgetDigest(budget),
    rejectReasons: [],
    releaseCause,
    budgetSequence: delta.sequence,
  };
}

/** A reservation the budget refused, as budget.delta reports it. */
export interface BudgetDenial {
  readonly order: OrderRef;
  readonly strategyId: string;
  /** The bucket the order was routed to. */
  readonly bucketId: string;
  /** The budget of the strategy in that bucket; undefined when there is none (reason NoBudget). */
  readonly budget: ExecutionBudget | undefined;
  /** The notional the order asked for (zero when its price or size is not a positive decimal). */
  readonly requested: Money;
  /** Every failed check, in the core's order. */
  readonly reasons: readonly string[];
  /** The eventId of the approved risk decision the budget refused. */
  readonly decisionEventId: string;
}

/**
 * Returns the DENIED budget.delta payload of a refused reservation: the requested notional, the
 * budget's amounts, sequence and digest unchanged (zeros and empty ids when there is no budget),
 * and the reasons. Its id covers the budget, its sequence, the order and the refused decision.
 */
export function deniedDeltaPayload(instrument: string, denial: BudgetDenial): Omit<BudgetDelta, 'envelope'> {
  const { budget, requested, order } = denial;
  const zero = money(Money.zero(requested.currency));
  const budgetId = budget?.budgetId ?? '';
  const budgetSequence = budget?.sequence ?? 0;
  return {
    instrument,
    deltaId: deriveId('budget-delta', [budgetId, budgetSequence, 'denied', order.clientOrderId, denial.decisionEventId], 32),
    budgetId,
    bucketId: denial.bucketId,
    strategyId: denial.strategyId,
    kind: 'DENIED',
    amount: money(requested),
    currency: requested.currency,
    clientOrderId: order.clientOrderId,
    intentId: order.intentId,
    allocatedAfter: budget === undefined ? zero : money(budget.allocated),
    reservedAfter: budget === undefined ? zero : money(budget.reserved),
    committedAfter: budget === undefined ? zero : money(budget.committed),
    budgetDigest: budget === undefined ? '' : budgetDigest(budget),
    rejectReasons: [...denial.reasons],
    releaseCause: null,
    budgetSequence,
  };
}

/** Returns the PLACE order.command of an approved intent, with the amount `reserved` for it on budget `budgetId`. */
export function placeCommandPayload(intent: StrategyIntent, clientOrderId: string, budgetId: string, reserved: Money): Omit<OrderCommand, 'envelope'> {
  return {
    instrument: intent.instrument,
    kind: 'PLACE',
    venue: intent.venue,
    clientOrderId,
    idempotencyKey: deriveId('order-command', ['PLACE', clientOrderId, intent.intentId]),
    intentId: intent.intentId,
    strategyId: intent.strategyId,
    placement: {
      side: intent.side,
      price: intent.price,
      size: intent.size,
      timeInForce: intent.timeInForce,
      reduceOnly: intent.reduceOnly,
      budgetId,
      reservedAmount: money(reserved),
    },
  };
}

/** Returns the CANCEL order.command of an approved cancel intent (its target is set). */
export function cancelCommandPayload(intent: StrategyIntent, targetClientOrderId: string): Omit<OrderCommand, 'envelope'> {
  return {
    instrument: intent.instrument,
    kind: 'CANCEL',
    venue: intent.venue,
    clientOrderId: targetClientOrderId,
    idempotencyKey: deriveId('order-command', ['CANCEL', targetClientOrderId, intent.intentId]),
    intentId: intent.intentId,
    strategyId: intent.strategyId,
    placement: null,
  };
}

/**
 * Returns the position.state payload of a venue position: the exact quantity and average
 * entry, realised PnL net of fees, the fees, the funding settled, and at `markPrice` the
 * unrealised PnL and the total (realised net of fees + funding + unrealised); both null before
 * the venue's first mark.
 */
export function positionPayload(strategyId: string, position: Position, markPrice: string | null, lastFillId: string | null): Omit<PositionState, 'envelope'> {
  const entry = averageEntryPrice(position);
  const realisedNet = position.realisedPnl.minus(position.fees);
  const unrealised = markPrice === null ? null : unrealisedPnl(position, Price.create(markPrice));
  return {
    instrument: position.instrument,
    venue: position.venue,
    strategyId,
    quantity: decimalString(position.netQuantity.toString()),
    averageEntryPrice: entry === undefined ? null : decimalString(entry.toString()),
    realisedPnl: money(realisedNet),
    feesPaid: money(position.fees),
    markPrice: markPrice === null ? null : decimalString(markPrice),
    unrealisedPnl: unrealised === null ? null : money(unrealised),
    lastFillId,
    fundingPnl: money(position.funding),
    totalPnl: unrealised === null ? null : money(realisedNet.plus(position.funding).plus(unrealised)),
  };
}
