import { type InstrumentId, type Side, type TimeUs, type VenueId } from '../types';

/** How long an order rests: post-only (rejected if it would take), good-till-cancelled, or immediate-or-cancel. */
export type TimeInForce = 'post-only' | 'gtc' | 'ioc';

/** An order sent to the paper exchange; price and size are exact decimal text on the venue's grid. */
export interface PaperOrderRequest {
  readonly clientOrderId: string;
  readonly venue: VenueId;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
  readonly timeInForce: TimeInForce;
}

interface ExchangeEventHeader {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  /** When the venue stamped the event, in simulated microseconds. */
  readonly eventTimeUs: TimeUs;
  readonly clientOrderId: string;
}

/** The order is live on the venue. */
export interface OrderAcceptedEvent extends ExchangeEventHeader {
  readonly type: 'order-accepted';
}

/** Why the venue refused an order or a cancel. */
export type RejectReason = 'post-only-would-cross' | 'venue-down' | 'unknown-order' | 'duplicate-client-order-id' | 'invalid-order';

/** The venue refused the order (or the cancel of it). */
export interface OrderRejectedEvent extends ExchangeEventHeader {
  readonly type: 'order-rejected';
  readonly reason: RejectReason;
  /** True when a cancel was refused rather than a new order. */
  readonly cancel: boolean;
}

/** The order left the book unfilled or partly filled. */
export interface OrderCancelledEvent extends ExchangeEventHeader {
  readonly type: 'order-cancelled';
  readonly reason: 'requested' | 'ioc-remainder' | 'venue-down';
  /** The size that was still open, as exact decimal text. */
  readonly remainingSize: string;
}

/** A fill of one of our orders; price, size and fee are exact decimal text. */
export interface FillEvent extends ExchangeEventHeader {
  readonly type: 'fill';
  /** A derived id: the same order and fill number give the same id. */
  readonly fillId: string;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
  /** The fee paid, in quote currency (negative for a rebate). */
  readonly fee: string;
  readonly liquidity: 'maker' | 'taker';
  /** The size still open after this fill. */
  readonly remainingSize: string;
}

/** An event about one of our orders, keyed on `type`. */
export type ExchangeEvent = OrderAcceptedEvent | OrderRejectedEvent | OrderCancelledEvent | FillEvent;
