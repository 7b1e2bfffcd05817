import { type BudgetDelta, type BudgetLedger, type BudgetOutcome, type BudgetRejection, findBudgetFor, processFill, releaseOrder, releasePosition, reserveForOrder } from '../capital';
import { InvariantViolationError, ValidationError } from '../errors';
import { Money, type Price, type Quantity } from '../money';
import { applyOrderEvent, createOrder } from './order-machine';
import type { ClientOrderId } from './order-ids';
import type { Order, OrderEvent, OrderFill, OrderRequest } from './order-types';

/** An order and the budget it draws on; capital is measured at `reservePrice`. */
export interface BoundOrder {
  readonly order: Order;
  readonly budgetId: string;
  /** The limit price, or the worst price accepted for a market order; the reservation is reservePrice × quantity. */
  readonly reservePrice: Price;
}

/** The budgets and the orders bound to them, sorted by client order id. */
export interface ExecutionState {
  readonly ledger: BudgetLedger;
  readonly orders: readonly BoundOrder[];
}

/** The outcome of submitting an intent: the order in flight and its reservation, or a rejection (nothing leaves). */
export type SubmitOutcome =
  | { readonly ok: true; readonly state: ExecutionState; readonly order: Order; readonly deltas: readonly BudgetDelta[] }
  | { readonly ok: false; readonly state: ExecutionState; readonly rejection: BudgetRejection | { readonly reason: 'NoBudget' | 'DuplicateOrder'; readonly clientOrderId: ClientOrderId } };

/** The outcome of one order event: the new state, the budget deltas it caused and whether it was a duplicate. */
export interface ExecutionStep {
  readonly state: ExecutionState;
  readonly order: Order;
  readonly duplicate: boolean;
  readonly fill?: OrderFill;
  readonly deltas: readonly BudgetDelta[];
}

/** Returns the capital an order uses for `quantity`: reservePrice × quantity in the budget's currency. */
export function capitalFor(bound: BoundOrder, quantity: Quantity, currency: string): Money {
  return Money.create(bound.reservePrice.notional(quantity), currency);
}

/** Returns the bound order with `clientOrderId`, or undefined. */
export function findBoundOrder(state: ExecutionState, clientOrderId: ClientOrderId): BoundOrder | undefined {
  return state.orders.find((o) => o.order.clientOrderId === clientOrderId);
}

function putOrder(state: ExecutionState, ledger: BudgetLedger, bound: BoundOrder): ExecutionState {
  const others = state.orders.filter((o) => o.order.clientOrderId !== bound.order.clientOrderId);
  return { ledger, orders: [...others, bound].sort((a, b) => (a.order.clientOrderId < b.order.clientOrderId ? -1 : 1)) };
}

function must(outcome: BudgetOutcome, what: string): { ledger: BudgetLedger; delta: BudgetDelta } {
  if (!outcome.ok) throw new InvariantViolationError('execution.budget-in-step', `${what} was refused: ${outcome.rejection.reasons.join(', ')}`);
  return outcome;
}

/**
 * Returns the state after submitting an intent: the budget is checked and the reservation
 * made before the order leaves (status in_flight). When the budget refuses, no order exists
 * and the rejection is returned as a value.
 */
export function submitIntent(state: ExecutionState, request: OrderRequest & { readonly reservePrice: Price }): SubmitOutcome {
  const budget = findBudgetFor(state.ledger, request.strategyId, request.bucketId);
  const order = createOrder(request);
  if (budget === undefined) return { ok: false, state, rejection: { reason: 'NoBudget', clientOrderId: order.clientOrderId } };
  if (findBoundOrder(state, order.clientOrderId) !== undefined) return { ok: false, state, rejection: { reason: 'DuplicateOrder', clientOrderId: order.clientOrderId } };
  const bound: BoundOrder = { order, budgetId: budget.budgetId, reservePrice: request.reservePrice };
  const reserved = reserveForOrder(state.ledger, {
    budgetId: budget.budgetId,
    orderId: order.clientOrderId,
    amount: capitalFor(bound, request.quantity, budget.allocated.currency),
    atUs: request.atUs,
  });
  if (!reserved.ok) return { ok: false, state, rejection: reserved.rejection };
  const sent = applyOrderEvent(order, { type: 'submit', atUs: request.atUs }).order;
  return { ok: true, state: putOrder(state, reserved.ledger, { ...bound, order: sent }), order: sent, deltas: [reserved.delta] };
}

/**
 * Returns the state after an order event, keeping the budget in step: a fill commits
 * reservePrice × fill quantity; an order that stops working (filled, rejected, cancelled)
 * releases what is left of its reservation; a closed position releases the committed capital
 * of the order's fills. A repeated venue event is a no-op (`duplicate: true`, no deltas).
 */
export function applyExecutionEvent(state: ExecutionState, clientOrderId: ClientOrderId, event: OrderEvent): ExecutionStep {
  const bound = findBoundOrder(state, clientOrderId);
  if (bound === undefined) throw new ValidationError('clientOrderId', `no order with client order id "${clientOrderId}"`);
  const t = applyOrderEvent(bound.order, event);
  if (t.duplicate) return { state, order: bound.order, duplicate: true, deltas: [] };
  const currency = state.ledger.budgets.find((b) => b.budgetId === bound.budgetId)?.allocated.currency;
  if (currency === undefined) throw new InvariantViolationError('execution.budget-exists', `budget ${bound.budgetId} of order ${clientOrderId} is gone`);
  let ledger = state.ledger;
  const deltas: BudgetDelta[] = [];
  if (t.fill !== undefined) {
    const r = must(processFill(ledger, { budgetId: bound.budgetId, orderId: clientOrderId, amount: capitalFor(bound, t.fill.quantity, currency), atUs: event.atUs }), 'commit of a fill');
    ledger = r.ledger;
    deltas.push(r.delta);
  }
  if (t.finishedWorking) {
    const r = must(releaseOrder(ledger, { budgetId: bound.budgetId, orderId: clientOrderId, atUs: event.atUs }), 'release of a finished order');
    ledger = r.ledger;
    deltas.push(r.delta);
  }
  if (event.type === 'position_closed') {
    const r = must(releasePosition(ledger, { budgetId: bound.budgetId, amount: capitalFor(bound, t.order.filledQuantity, currency), atUs: event.atUs }), 'release of a closed position');
    ledger = r.ledger;
    deltas.push(r.delta);
  }
  return { state: putOrder(state, ledger, { ...bound, order: t.order }), order: t.order, duplicate: false, fill: t.fill, deltas };
}
