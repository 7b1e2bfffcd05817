import type { DecimalString } from '@fleet/contracts';
import type { ClientOrderId, InstrumentId, Price, Quantity, Side, TimeUs, VenueId } from '@fleet/core';

/** An order to place at a venue, identified by our client order id. */
export interface PlaceOrderRequest {
  readonly clientOrderId: ClientOrderId;
  readonly instrument: InstrumentId;
  readonly side: Side;
  readonly quantity: Quantity;
  /** Absent for a market order. */
  readonly limitPrice?: Price;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
}

/** The state of an order as the venue reports it. */
export type VenueOrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** What the venue says about one order; quantities and prices are exact decimal strings. */
export interface VenueOrderSnapshot {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: string;
  readonly instrument: InstrumentId;
  readonly status: VenueOrderStatus;
  readonly quantity: DecimalString;
  readonly filledQuantity: DecimalString;
  /** Average fill price; null before any fill. */
  readonly averagePrice: DecimalString | null;
  /** Venue time of the last update, when given. */
  readonly updatedAtUs: TimeUs | null;
}

/**
 * The outcome of a submit. `unknown` means the request may or may not have reached the venue
 * (timeout, dropped connection): the order must be treated as in flight and resolved by a
 * query on its client order id, never assumed failed and never re-sent blindly.
 */
export type PlaceOutcome =
  | { readonly kind: 'accepted'; readonly order: VenueOrderSnapshot }
  | { readonly kind: 'rejected'; readonly reason: string; readonly code: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The outcome of a cancel request. */
export type CancelOutcome =
  | { readonly kind: 'cancelled'; readonly order: VenueOrderSnapshot }
  | { readonly kind: 'rejected'; readonly reason: string; readonly code: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The outcome of a query by client order id. */
export type QueryOutcome =
  | { readonly kind: 'found'; readonly order: VenueOrderSnapshot }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unknown'; readonly reason: string };

/** A venue that takes orders. Implementations never throw for a venue's answer; they return an outcome. */
export interface TradingVenue {
  readonly venue: VenueId;
  placeOrder(request: PlaceOrderRequest): Promise<PlaceOutcome>;
  cancelOrder(clientOrderId: ClientOrderId, instrument: InstrumentId): Promise<CancelOutcome>;
  fetchOrder(clientOrderId: ClientOrderId, instrument: InstrumentId): Promise<QueryOutcome>;
  /** Returns the open orders, of one instrument or of all mapped instruments. */
  fetchOpenOrders(instrument?: InstrumentId): Promise<VenueOrderSnapshot[]>;
  close(): Promise<void>;
}
