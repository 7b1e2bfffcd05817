import { FleetError, IllegalTransitionError, ValidationError } from '../errors';
import { Quantity } from '../money';
import { deriveClientOrderId, deriveFillId, deriveIdempotencyKey, type IdempotencyKey, isValidClientOrderId } from './order-ids';
import type { Order, OrderEvent, OrderFill, OrderRequest, OrderStatus, OrderTransition } from './order-types';

/** Raised when a fill would take the filled quantity above the order quantity. */
export class OverfillError extends FleetError {
  /** Returns a new error naming the order and both quantities. */
  constructor(
    readonly clientOrderId: string,
    readonly orderQuantity: string,
    readonly wouldBeFilled: string,
  ) {
    super('OVERFILL', `order ${clientOrderId}: a fill would make the filled quantity ${wouldBeFilled}, above the order quantity ${orderQuantity}`);
  }
}

const MACHINE = 'order';

/** Statuses from which no event except a duplicate is accepted. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['rejected', 'position_closed'];

/** Statuses in which the order may still trade at the venue. */
export const WORKING_ORDER_STATUSES: readonly OrderStatus[] = ['in_flight', 'unknown', 'acked', 'partially_filled', 'cancel_requested'];

/** Returns true when the order may still trade at the venue. */
export function isWorking(status: OrderStatus): boolean {
  return WORKING_ORDER_STATUSES.includes(status);
}

/** Returns a new order in status `intent`; throws ValidationError for a zero quantity or a bad id. */
export function createOrder(request: OrderRequest): Order {
  if (request.quantity.isZero()) throw new ValidationError('quantity', `order quantity must be positive, received ${request.quantity.toString()}`);
  const clientOrderId = deriveClientOrderId(request.intentId, request.venue, request.attempt ?? 0);
  if (!isValidClientOrderId(clientOrderId)) throw new ValidationError('clientOrderId', `client order id must be 1 to 32 of [A-Za-z0-9_-], received "${clientOrderId}"`);
  return {
    clientOrderId,
    intentId: request.intentId,
    strategyId: request.strategyId,
    bucketId: request.bucketId,
    venue: request.venue,
    instrument: request.instrument,
    side: request.side,
    quantity: request.quantity,
    limitPrice: request.limitPrice,
    status: 'intent',
    filledQuantity: Quantity.zero(),
    fills: [],
    processedKeys: [],
    createdAtUs: request.atUs,
    updatedAtUs: request.atUs,
  };
}

/** Returns the quantity still open at the venue (zero once the order stopped working). */
export function remainingQuantity(order: Order): Quantity {
  return isWorking(order.status) ? order.quantity.minus(order.filledQuantity) : Quantity.zero();
}

/**
 * Returns the idempotency key of a venue event for `order`, or undefined for a local event
 * (submit, submit timeout, cancel request), which is never deduplicated.
 */
export function idempotencyKeyOf(order: Order, event: OrderEvent): IdempotencyKey | undefined {
  switch (event.type) {
    case 'ack':
    case 'reject':
    case 'cancelled':
    case 'cancel_rejected':
      return deriveIdempotencyKey(order.clientOrderId, event.type, event.venueEventId);
    case 'fill':
      return deriveIdempotencyKey(order.clientOrderId, event.type, event.venueTradeId);
    case 'query_result':
      return deriveIdempotencyKey(order.clientOrderId, event.type, event.queryId);
    case 'position_closed':
      return deriveIdempotencyKey(order.clientOrderId, event.type, event.closeId);
    default:
      return undefined;
  }
}

function illegal(order: Order, event: OrderEvent, detail = ''): never {
  throw new IllegalTransitionError(MACHINE, order.status, event.type, `order ${order.clientOrderId}${detail ? `, ${detail}` : ''}`);
}

/** The status an order has when it is open at the venue, given its fills. */
function openStatus(order: Order): OrderStatus {
  return order.filledQuantity.isZero() ? 'acked' : 'partially_filled';
}

/**
 * Returns the order after `event`, whether the event was a duplicate, and the fill it booked.
 * A venue event whose idempotency key was already applied is a no-op (`duplicate: true`).
 * Throws IllegalTransitionError for a transition the table does not allow, OverfillError when
 * a fill would exceed the order quantity and ValidationError for a zero fill.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): OrderTransition {
  const key = idempotencyKeyOf(order, event);
  if (key !== undefined && order.processedKeys.includes(key)) {
    return { order, duplicate: true, finishedWorking: false };
  }
  const processedKeys = key === undefined ? order.processedKeys : [...order.processedKeys, key];
  const base = { ...order, processedKeys, updatedAtUs: event.atUs };
  const s = order.status;
  const done = (next: Order, fill?: OrderFill): OrderTransition => ({
    order: next,
    duplicate: false,
    fill,
    finishedWorking: isWorking(s) && !isWorking(next.status),
  });

  switch (event.type) {
    case 'submit':
      if (s !== 'intent') illegal(order, event);
      return done({ ...base, status: 'in_flight' });
    case 'submit_timeout':
      if (s !== 'in_flight' && s !== 'unknown') illegal(order, event);
      return done({ ...base, status: 'unknown' });
    case 'ack':
      if (s === 'in_flight' || s === 'unknown') return done({ ...base, status: openStatus(order), venueOrderId: event.venueOrderId });
      if (s === 'cancel_requested' && order.venueOrderId === undefined) return done({ ...base, venueOrderId: event.venueOrderId });
      return illegal(order, event);
    case 'reject':
      if (s === 'in_flight' || s === 'unknown' || (s === 'cancel_requested' && order.venueOrderId === undefined && order.filledQuantity.isZero())) {
        return done({ ...base, status: 'rejected', rejectReason: event.reason, statusBeforeCancel: undefined });
      }
      return illegal(order, event);
    case 'fill': {
      if (!isWorking(s)) illegal(order, event);
      if (event.quantity.isZero()) throw new ValidationError('fill.quantity', `fill quantity must be positive, received ${event.quantity.toString()}`);
      const filledQuantity = order.filledQuantity.plus(event.quantity);
      if (filledQuantity.compare(order.quantity) > 0) {
        throw new OverfillError(order.clientOrderId, order.quantity.toString(), filledQuantity.toString());
      }
      const fill: OrderFill = {
        fillId: deriveFillId(order.venue, event.venueTradeId),
        venueTradeId: event.venueTradeId,
        quantity: event.quantity,
        price: event.price,
        fee: event.fee,
        liquidity: event.liquidity,
        atUs: event.atUs,
      };
      const complete = filledQuantity.equals(order.quantity);
      const status: OrderStatus = complete ? 'filled' : s === 'cancel_requested' ? 'cancel_requested' : 'partially_filled';
      return done({ ...base, status, filledQuantity, fills: [...order.fills, fill], statusBeforeCancel: complete ? undefined : order.statusBeforeCancel }, fill);
    }
    case 'cancel_request':
      if (s !== 'in_flight' && s !== 'unknown' && s !== 'acked' && s !== 'partially_filled') illegal(order, event);
      return done({ ...base, status: 'cancel_requested', statusBeforeCancel: s });
    case 'cancelled':
      if (s !== 'acked' && s !== 'partially_filled' && s !== 'cancel_requested' && s !== 'in_flight' && s !== 'unknown') illegal(order, event);
      return done({ ...base, status: 'cancelled', statusBeforeCancel: undefined });
    case 'cancel_rejected': {
      if (s !== 'cancel_requested') illegal(order, event);
      const before = order.statusBeforeCancel;
      const back: OrderStatus = before === 'in_flight' || before === 'unknown' ? (order.venueOrderId !== undefined ? openStatus(order) : before) : openStatus(order);
      return done({ ...base, status: back, statusBeforeCancel: undefined });
    }
    case 'query_result':
      if (s !== 'in_flight' && s !== 'unknown') illegal(order, event, 'a query result only resolves a submit that is in flight or unknown');
      switch (event.venueStatus) {
        case 'open':
          return done({ ...base, status: openStatus(order), venueOrderId: event.venueOrderId ?? order.venueOrderId });
        case 'cancelled':
          return done({ ...base, status: 'cancelled', venueOrderId: event.venueOrderId ?? order.venueOrderId });
        case 'rejected':
        case 'not_found':
          if (!order.filledQuantity.isZero()) illegal(order, event, `venue reports ${event.venueStatus} but fills were booked`);
          return done({ ...base, status: 'rejected', rejectReason: `query: ${event.venueStatus}` });
      }
      return illegal(order, event);
    case 'position_closed':
      if (s === 'filled' || (s === 'cancelled' && !order.filledQuantity.isZero())) return done({ ...base, status: 'position_closed' });
      return illegal(order, event, 'only an order with fills that stopped working can close its position');
  }
}

/** Returns the order after each event in turn (duplicates are no-ops). */
export function replayOrderEvents(order: Order, events: readonly OrderEvent[]): Order {
  return events.reduce((current, event) => applyOrderEvent(current, event).order, order);
}
