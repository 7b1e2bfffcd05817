import type { Money, Price, Quantity } from '../money';
import type { InstrumentId, Side, TimeUs, VenueId } from '../types';
import type { ClientOrderId, FillId, IdempotencyKey, IntentId } from './order-ids';

/**
 * Where an order is in its life. `in_flight`: sent, no answer yet; `unknown`: the submit timed
 * out and only a query result (or a venue event) may resolve it.
 */
export type OrderStatus =
  | 'intent'
  | 'in_flight'
  | 'unknown'
  | 'acked'
  | 'partially_filled'
  | 'filled'
  | 'rejected'
  | 'cancel_requested'
  | 'cancelled'
  | 'position_closed';

/** Whether a fill added or took liquidity. */
export type Liquidity = 'maker' | 'taker';

/** What a strategy asks for; the input of createOrder. */
export interface OrderRequest {
  readonly strategyId: string;
  readonly bucketId: string;
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  readonly side: Side;
  readonly quantity: Quantity;
  /** Absent for a market order. */
  readonly limitPrice?: Price;
  readonly intentId: IntentId;
  /** Distinguishes a deliberate resubmission of the same intent; 0 by default. */
  readonly attempt?: number;
  readonly atUs: TimeUs;
}

/** One fill of an order, as booked. */
export interface OrderFill {
  readonly fillId: FillId;
  readonly venueTradeId: string;
  readonly quantity: Quantity;
  readonly price: Price;
  /** Positive when paid, negative for a rebate. */
  readonly fee: Money;
  readonly liquidity: Liquidity;
  readonly atUs: TimeUs;
}

/** An order and everything known about it; never mutated, each event returns a new one. */
export interface Order {
  readonly clientOrderId: ClientOrderId;
  readonly intentId: IntentId;
  readonly strategyId: string;
  readonly bucketId: string;
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  readonly side: Side;
  readonly quantity: Quantity;
  readonly limitPrice?: Price;
  readonly status: OrderStatus;
  readonly filledQuantity: Quantity;
  readonly fills: readonly OrderFill[];
  readonly venueOrderId?: string;
  readonly rejectReason?: string;
  /** The status to return to when a cancel request is refused. */
  readonly statusBeforeCancel?: OrderStatus;
  /** Idempotency keys of the venue events already applied, in the order they were applied. */
  readonly processedKeys: readonly IdempotencyKey[];
  readonly createdAtUs: TimeUs;
  readonly updatedAtUs: TimeUs;
}

/** The order was sent to the venue (local). */
export interface OrderSubmitted {
  readonly type: 'submit';
  readonly atUs: TimeUs;
}
/** The submit got no answer in time (local); the outcome is now unknown. */
export interface OrderSubmitTimedOut {
  readonly type: 'submit_timeout';
  readonly atUs: TimeUs;
}
/** The venue accepted the order. */
export interface OrderAcked {
  readonly type: 'ack';
  readonly venueEventId: string;
  readonly venueOrderId: string;
  readonly atUs: TimeUs;
}
/** The venue refused the order. */
export interface OrderRejected {
  readonly type: 'reject';
  readonly venueEventId: string;
  readonly reason: string;
  readonly atUs: TimeUs;
}
/** The venue filled part or all of the order. */
export interface OrderFilled {
  readonly type: 'fill';
  readonly venueTradeId: string;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly fee: Money;
  readonly liquidity: Liquidity;
  readonly atUs: TimeUs;
}
/** We asked the venue to cancel (local). */
export interface OrderCancelRequested {
  readonly type: 'cancel_request';
  readonly atUs: TimeUs;
}
/** The venue cancelled the rest of the order (asked for or not). */
export interface OrderCancelled {
  readonly type: 'cancelled';
  readonly venueEventId: string;
  readonly atUs: TimeUs;
}
/** The venue refused our cancel request. */
export interface OrderCancelRejected {
  readonly type: 'cancel_rejected';
  readonly venueEventId: string;
  readonly reason: string;
  readonly atUs: TimeUs;
}
/** What a status query told us about an order whose submit is in flight or unknown. */
export interface OrderQueryResult {
  readonly type: 'query_result';
  readonly queryId: string;
  readonly venueStatus: 'open' | 'not_found' | 'rejected' | 'cancelled';
  readonly venueOrderId?: string;
  readonly atUs: TimeUs;
}
/** The position opened by this order's fills was closed. */
export interface OrderPositionClosed {
  readonly type: 'position_closed';
  readonly closeId: string;
  readonly atUs: TimeUs;
}

/** Every event an order can receive, keyed on `type`. */
export type OrderEvent =
  | OrderSubmitted
  | OrderSubmitTimedOut
  | OrderAcked
  | OrderRejected
  | OrderFilled
  | OrderCancelRequested
  | OrderCancelled
  | OrderCancelRejected
  | OrderQueryResult
  | OrderPositionClosed;

/** The result of applying one event to an order. */
export interface OrderTransition {
  readonly order: Order;
  /** True when the event had been applied before; `order` is then the unchanged input. */
  readonly duplicate: boolean;
  /** The fill this event booked, if any. */
  readonly fill?: OrderFill;
  /** True when this event ended the order's working life (filled, rejected or cancelled). */
  readonly finishedWorking: boolean;
}
