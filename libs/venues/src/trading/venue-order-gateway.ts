import { applyOrderEvent, type ClientOrderId, Money, type Order, type OrderEvent, Price, Quantity } from '@fleet/core';
import Decimal from 'decimal.js';
import type { VenueClock } from '../ccxt/ccxt-market-data-source';
import type { CancelOutcome, PlaceOutcome, QueryOutcome, TradingVenue, VenueOrderSnapshot } from './trading-venue';

/** Why the gateway refused to send an order. */
export type RefusalReason =
  /** This client order id was sent before (a resend could double the position); resolve it by query instead. */
  | 'already_sent'
  /** The order is not in a state that may be submitted (only `intent` or a just-submitted `in_flight`). */
  | 'not_submittable'
  /** No order with this client order id is tracked. */
  | 'unknown_order';

/** What one gateway call did: the order after it, the order events applied (new ones only) and the venue's answer. */
export interface GatewayStep<O> {
  readonly order: Order;
  /** Events applied to the order, in order; what execution-router publishes. Duplicates are left out. */
  readonly events: readonly OrderEvent[];
  readonly outcome: O;
}

/** Options of the gateway. */
export interface VenueOrderGatewayOptions {
  readonly clock: VenueClock;
  /** Currency of fees booked from order snapshots (which carry no fee); USDT by default. */
  readonly feeCurrency?: string;
  /** Client order ids already sent in an earlier life of the process (rebuilt from the log): never sent again. */
  readonly alreadySent?: Iterable<ClientOrderId>;
  /**
   * Whether a query that finds no order resolves an unknown submit as rejected. False by
   * default: a request can still be on its way, so the order stays unknown and is queried again.
   */
  readonly notFoundIsFinal?: boolean;
}

/**
 * Sends orders to a TradingVenue and keeps each order's state with the core's order machine.
 * It guarantees that a client order id is sent at most once: the id enters the sent-set before
 * the request leaves, and any later submit of it is refused; after a timeout the order is
 * `unknown` and is resolved with `resolve` (a query on the client order id), never by a
 * resend. Venue events are applied through `applyOrderEvent`, so a repeated event is a no-op.
 */
export class VenueOrderGateway {
  private readonly sent: Set<ClientOrderId>;
  private readonly orders = new Map<ClientOrderId, Order>();
  private readonly cancelAttempts = new Map<ClientOrderId, number>();
  private readonly feeCurrency: string;

  /** Returns a gateway in front of `venue`. */
  constructor(
    private readonly venue: TradingVenue,
    private readonly options: VenueOrderGatewayOptions,
  ) {
    this.sent = new Set(options.alreadySent ?? []);
    this.feeCurrency = options.feeCurrency ?? 'USDT';
  }

  /** Returns the tracked order with `clientOrderId`, if any. */
  order(clientOrderId: ClientOrderId): Order | undefined {
    return this.orders.get(clientOrderId);
  }

  /** Returns true when an order with this id was ever sent (in this life or an earlier one). */
  wasSent(clientOrderId: ClientOrderId): boolean {
    return this.sent.has(clientOrderId);
  }

  /**
   * Sends an order in status `intent` (the submit is applied here) or `in_flight` (applied by
   * the caller, as the core's submitIntent does). Refuses a client order id that was sent before.
   */
  async submit(order: Order): Promise<GatewayStep<PlaceOutcome | { readonly kind: 'refused'; readonly reason: RefusalReason }>> {
    const id = order.clientOrderId;
    const tracked = this.orders.get(id) ?? order;
    if (this.sent.has(id)) return { order: tracked, events: [], outcome: { kind: 'refused', reason: 'already_sent' } };
    if (order.status !== 'intent' && order.status !== 'in_flight') return { order, events: [], outcome: { kind: 'refused', reason: 'not_submittable' } };
    const events: OrderEvent[] = [];
    let current = order;
    if (current.status === 'intent') current = this.apply(current, { type: 'submit', atUs: this.now() }, events);
    // Marked sent before the request leaves: a concurrent or later submit can never send it again.
    this.sent.add(id);
    this.orders.set(id, current);
    const outcome = await this.venue.placeOrder({ clientOrderId: id, instrument: order.instrument, side: order.side, quantity: order.quantity, limitPrice: order.limitPrice });
    // A resolve or cancel may have moved the order while the request was out; only a still-pending order takes a reject or a timeout.
    current = this.orders.get(id)!;
    const pending = current.status === 'in_flight' || current.status === 'unknown';
    switch (outcome.kind) {
      case 'accepted':
        current = this.reconcile(current, outcome.order, events, 'ack');
        break;
      case 'rejected':
        if (pending || (current.status === 'cancel_requested' && current.venueOrderId === undefined && current.filledQuantity.isZero())) {
          current = this.apply(current, { type: 'reject', venueEventId: `place:${outcome.code}`, reason: outcome.reason, atUs: this.now() }, events);
        }
        break;
      case 'unknown':
        if (pending) current = this.apply(current, { type: 'submit_timeout', atUs: this.now() }, events);
        break;
    }
    this.orders.set(id, current);
    return { order: current, events, outcome };
  }

  /**
   * Resolves an order whose submit is in flight or unknown by querying the venue on its client
   * order id. Found: the order becomes open (and books any fills) or cancelled/rejected as the
   * venue says. Not found: it stays unknown unless `notFoundIsFinal`. An order that is not in
   * flight or unknown is returned unchanged.
   */
  async resolve(clientOrderId: ClientOrderId): Promise<GatewayStep<QueryOutcome | { readonly kind: 'refused'; readonly reason: RefusalReason }>> {
    const order = this.orders.get(clientOrderId);
    if (order === undefined) throw new RangeError(`no order with client order id ${clientOrderId} is tracked`);
    if (order.status !== 'in_flight' && order.status !== 'unknown') return { order, events: [], outcome: { kind: 'refused', reason: 'not_submittable' } };
    const outcome = await this.venue.fetchOrder(clientOrderId, order.instrument);
    const events: OrderEvent[] = [];
    let current = this.orders.get(clientOrderId)!;
    if (outcome.kind === 'found') current = this.reconcile(current, outcome.order, events);
    else if (outcome.kind === 'not_found' && this.options.notFoundIsFinal === true) {
      current = this.apply(current, { type: 'query_result', queryId: `not_found:${clientOrderId}`, venueStatus: 'not_found', atUs: this.now() }, events);
    }
    this.orders.set(clientOrderId, current);
    return { order: current, events, outcome };
  }

  /** Asks the venue to cancel an order; a venue refusal returns the order to its previous status. */
  async cancel(clientOrderId: ClientOrderId): Promise<GatewayStep<CancelOutcome>> {
    const order = this.orders.get(clientOrderId);
    if (order === undefined) throw new RangeError(`no order with client order id ${clientOrderId} is tracked`);
    const events: OrderEvent[] = [];
    let current = this.apply(order, { type: 'cancel_request', atUs: this.now() }, events);
    this.orders.set(clientOrderId, current);
    const outcome = await this.venue.cancelOrder(clientOrderId, order.instrument);
    current = this.orders.get(clientOrderId)!;
    if (outcome.kind === 'cancelled') current = this.reconcile(current, outcome.order, events);
    else if (outcome.kind === 'rejected') {
      const n = (this.cancelAttempts.get(clientOrderId) ?? 0) + 1;
      this.cancelAttempts.set(clientOrderId, n);
      current = this.apply(current, { type: 'cancel_rejected', venueEventId: `cancel:${n}`, reason: outcome.reason, atUs: this.now() }, events);
    }
    this.orders.set(clientOrderId, current);
    return { order: current, events, outcome };
  }

  /** Applies a venue event (from a stream or a poll) to a tracked order; a repeated event is a no-op (`duplicate`). */
  applyVenueEvent(clientOrderId: ClientOrderId, event: OrderEvent): { readonly order: Order; readonly duplicate: boolean } {
    const order = this.orders.get(clientOrderId);
    if (order === undefined) throw new RangeError(`no order with client order id ${clientOrderId} is tracked`);
    const t = applyOrderEvent(order, event);
    this.orders.set(clientOrderId, t.order);
    return { order: t.order, duplicate: t.duplicate };
  }

  /** Brings a tracked order in line with a venue snapshot (from a query, a cancel answer or a poll); returns the new events. */
  applySnapshot(clientOrderId: ClientOrderId, snapshot: VenueOrderSnapshot): GatewayStep<VenueOrderSnapshot> {
    const order = this.orders.get(clientOrderId);
    if (order === undefined) throw new RangeError(`no order with client order id ${clientOrderId} is tracked`);
    const events: OrderEvent[] = [];
    const current = this.reconcile(order, snapshot, events);
    this.orders.set(clientOrderId, current);
    return { order: current, events, outcome: snapshot };
  }

  private now(): number {
    return this.options.clock.nowUs();
  }

  private apply(order: Order, event: OrderEvent, events: OrderEvent[]): Order {
    const t = applyOrderEvent(order, event);
    if (!t.duplicate) events.push(event);
    return t.order;
  }

  /**
   * Returns the order after the events a snapshot implies, each keyed by the snapshot's own
   * content so that the same snapshot seen twice changes nothing.
   */
  private reconcile(order: Order, snap: VenueOrderSnapshot, events: OrderEvent[], source: 'ack' | 'query' = 'query'): Order {
    const atUs = this.now();
    let o = order;
    const pending = o.status === 'in_flight' || o.status === 'unknown';
    if (pending && source === 'ack') {
      // The venue's answer to our own submit: an acknowledgement, even when the order already traded or expired.
      if (snap.status === 'rejected') return this.apply(o, { type: 'reject', venueEventId: `rejected:${snap.venueOrderId}`, reason: 'rejected by the venue', atUs }, events);
      o = this.apply(o, { type: 'ack', venueEventId: `ack:${snap.venueOrderId}`, venueOrderId: snap.venueOrderId, atUs }, events);
    }
    const opened = snap.status === 'open' || snap.status === 'filled';
    if (opened && (o.status === 'in_flight' || o.status === 'unknown')) {
      o = this.apply(o, { type: 'query_result', queryId: `open:${snap.venueOrderId}`, venueStatus: 'open', venueOrderId: snap.venueOrderId, atUs }, events);
    } else if (opened && o.status === 'cancel_requested' && o.venueOrderId === undefined) {
      o = this.apply(o, { type: 'ack', venueEventId: `open:${snap.venueOrderId}`, venueOrderId: snap.venueOrderId, atUs }, events);
    }
    o = this.bookFills(o, snap, events, atUs);
    if (snap.status === 'cancelled' || snap.status === 'expired') {
      if (o.status === 'in_flight' || o.status === 'unknown') {
        o = this.apply(o, { type: 'query_result', queryId: `cancelled:${snap.venueOrderId}`, venueStatus: 'cancelled', venueOrderId: snap.venueOrderId, atUs }, events);
      } else if (o.status === 'acked' || o.status === 'partially_filled' || o.status === 'cancel_requested') {
        o = this.apply(o, { type: 'cancelled', venueEventId: `cancelled:${snap.venueOrderId}`, atUs }, events);
      }
    } else if (snap.status === 'rejected' && (o.status === 'in_flight' || o.status === 'unknown')) {
      o = this.apply(o, { type: 'query_result', queryId: `rejected:${snap.venueOrderId}`, venueStatus: 'rejected', venueOrderId: snap.venueOrderId, atUs }, events);
    }
    return o;
  }

  /** Books the part of the snapshot's filled quantity not yet booked, at the price that makes the average come out right. */
  private bookFills(order: Order, snap: VenueOrderSnapshot, events: OrderEvent[], atUs: number): Order {
    const venueFilled = new Decimal(snap.filledQuantity);
    const booked = new Decimal(order.filledQuantity.toString());
    const delta = venueFilled.minus(booked);
    if (delta.lte(0) || snap.averagePrice === null) return order;
    const bookedNotional = order.fills.reduce((sum, f) => sum.plus(new Decimal(f.price.toString()).times(f.quantity.toString())), new Decimal(0));
    const price = new Decimal(snap.averagePrice).times(venueFilled).minus(bookedNotional).div(delta);
    return this.apply(
      order,
      {
        type: 'fill',
        venueTradeId: `${snap.venueOrderId}:filled:${snap.filledQuantity}`,
        quantity: Quantity.create(delta.toFixed()),
        price: Price.create(price.toDecimalPlaces(12).toFixed()),
        fee: Money.zero(this.feeCurrency),
        liquidity: 'taker',
        atUs,
      },
      events,
    );
  }
}
