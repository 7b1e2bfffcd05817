import {
  type DecimalString,
  decimalString,
  type Liquidity as LiquidityRecord,
  ORDER_EVENT_TYPE,
  type OrderCommand,
  type OrderEvent as OrderEventRecord,
  type OrderEventKind,
  type OrderReject,
  type TimeInForce,
} from '@fleet/contracts';
import { applyOrderEvent, createOrder, idempotencyKeyOf, isValidClientOrderId, type Order, type OrderEvent, type OrderFill, Price, Quantity } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type OrderJson, orderFromJson, orderToJson } from './order-json';

/** An order.event record without its envelope. */
export type OrderEventBody = Omit<OrderEventRecord, 'envelope'>;

/** An order the router works: the core order (its lifecycle) and the command it came from. */
export interface RoutedOrder {
  readonly order: Order;
  /** The limit price and size as the command wrote them (the venue's grid text). */
  readonly price: string;
  readonly size: string;
  readonly timeInForce: TimeInForce;
  /** The PLACE command's eventId (the cause of every event of the order) and idempotency key. */
  readonly commandEventId: string;
  readonly commandKey: string;
  readonly correlationId: string;
  /** The eventId that asked for the cancel (a CANCEL command or the risk.state that latched the kill switch); null before. */
  readonly cancelCause: string | null;
}

/** The JSON form of a {@link RoutedOrder}. */
export type RoutedOrderJson = Omit<RoutedOrder, 'order'> & { readonly order: OrderJson };

/** Returns the JSON form of `routed`. */
export function routedToJson(routed: RoutedOrder): RoutedOrderJson {
  return { ...routed, order: orderToJson(routed.order) };
}

/** Returns the routed order of its JSON form. */
export function routedFromJson(json: RoutedOrderJson): RoutedOrder {
  return { ...json, order: orderFromJson(json.order) };
}

/** What a step's order.event needs beyond the core event: the normalised reject, or whether a cancel was asked for. */
export interface StepDetail {
  readonly reject?: OrderReject;
  readonly cancelRequested?: boolean;
}

/** The result of applying one lifecycle event: the order after it and its order.event body, when the contract has a kind for it. */
export interface StepResult {
  readonly routed: RoutedOrder;
  /** True when the venue event had been applied before; nothing changed. */
  readonly duplicate: boolean;
  readonly body?: OrderEventBody;
}

/**
 * Returns the order a PLACE command asks for, in status `intent`, bound to the command's client
 * order id; undefined when the command cannot be an order (no valid client order id, no terms,
 * intent or strategy, or a size or price that is not positive).
 */
export function orderOfPlace(command: OrderCommand, atUs: number): RoutedOrder | undefined {
  const p = command.placement;
  if (command.kind !== 'PLACE' || p === null || command.clientOrderId === null || command.intentId === null || command.strategyId === null) return undefined;
  if (!isValidClientOrderId(command.clientOrderId)) return undefined;
  const quantity = Quantity.tryCreate(p.size);
  const price = Price.tryCreate(p.price);
  if (!quantity.ok || !price.ok || quantity.value.isZero()) return undefined;
  const order = createOrder({
    strategyId: command.strategyId,
    bucketId: p.budgetId,
    venue: command.venue,
    instrument: command.instrument,
    side: p.side === 'BUY' ? 'buy' : 'sell',
    quantity: quantity.value,
    limitPrice: price.value,
    intentId: command.intentId,
    atUs,
  });
  return {
    // The command's client order id is the one budget-ledger reserved for and the venue sees.
    order: { ...order, clientOrderId: command.clientOrderId },
    price: p.price,
    size: p.size,
    timeInForce: p.timeInForce,
    commandEventId: command.envelope.eventId,
    commandKey: command.idempotencyKey,
    correlationId: command.envelope.correlationId,
    cancelCause: null,
  };
}

function kindOf(event: OrderEvent): OrderEventKind | undefined {
  switch (event.type) {
    case 'submit':
      return 'SUBMITTED';
    case 'ack':
      return 'ACKED';
    case 'reject':
      return 'REJECTED';
    case 'fill':
      return 'FILLED';
    case 'cancelled':
      return 'CANCELLED';
    case 'query_result':
      return event.venueStatus === 'open' ? 'ACKED' : event.venueStatus === 'cancelled' ? 'CANCELLED' : 'REJECTED';
    default:
      // A cancel request, a refused cancel and a submit timeout change the order but have no order.event kind.
      return undefined;
  }
}

const LIQUIDITY: Readonly<Record<OrderFill['liquidity'], LiquidityRecord>> = { maker: 'MAKER', taker: 'TAKER' };

function openQuantity(order: Order): DecimalString {
  return decimalString(order.quantity.minus(order.filledQuantity).toString());
}

function rejectOf(event: OrderEvent, detail: StepDetail): OrderReject {
  if (detail.reject !== undefined) return detail.reject;
  const message = event.type === 'reject' ? event.reason : event.type === 'query_result' ? `query: ${event.venueStatus}` : event.type;
  return { reason: 'OTHER', venueCode: null, message };
}

/** Returns the order.event body of `event`, applied to `before` giving `after`; undefined when the contract has no kind for it. */
export function orderEventBody(routed: RoutedOrder, before: Order, event: OrderEvent, after: Order, fill: OrderFill | undefined, detail: StepDetail): OrderEventBody | undefined {
  const kind = kindOf(event);
  if (kind === undefined) return undefined;
  return {
    instrument: after.instrument,
    kind,
    clientOrderId: after.clientOrderId,
    venueOrderId: after.venueOrderId ?? null,
    intentId: after.intentId,
    strategyId: after.strategyId,
    venue: after.venue,
    side: after.side === 'buy' ? 'BUY' : 'SELL',
    price: decimalString(routed.price),
    size: decimalString(routed.size),
    idempotencyKey: idempotencyKeyOf(before, event) ?? routed.commandKey,
    fill:
      kind === 'FILLED' && fill !== undefined
        ? {
            fillId: fill.fillId,
            venueFillId: fill.venueTradeId,
            quantity: decimalString(fill.quantity.toString()),
            price: decimalString(fill.price.toString()),
            fee: decimalString(fill.fee.amountText()),
            feeCurrency: fill.fee.currency,
            liquidity: LIQUIDITY[fill.liquidity],
            cumulativeQuantity: decimalString(after.filledQuantity.toString()),
            remainingQuantity: openQuantity(after),
          }
        : null,
    reject: kind === 'REJECTED' ? rejectOf(event, detail) : null,
    cancel: kind === 'CANCELLED' ? { cancelledQuantity: openQuantity(after), requested: detail.cancelRequested ?? before.status === 'cancel_requested' } : null,
    positionClose: null,
  };
}

/**
 * Applies one lifecycle event to a routed order with the core order machine: a venue event
 * applied before is a duplicate and changes nothing; an illegal transition throws.
 */
export function applyStep(routed: RoutedOrder, event: OrderEvent, detail: StepDetail = {}): StepResult {
  const t = applyOrderEvent(routed.order, event);
  if (t.duplicate) return { routed, duplicate: true };
  const next: RoutedOrder = { ...routed, order: t.order };
  return { routed: next, duplicate: false, body: orderEventBody(routed, routed.order, event, t.order, t.fill, detail) };
}

/** Where an order.event record comes from: its producer, per-instrument sequence, time and causes. */
export interface OrderEventOrigin {
  readonly producer: string;
  readonly sequence: number;
  readonly eventTimeUs: number;
  readonly causation: readonly string[];
  readonly correlationId: string;
}

/** Returns the order.event record of `body` with its envelope. */
export function orderEventRecord(body: OrderEventBody, origin: OrderEventOrigin): OrderEventRecord {
  return withEnvelope({ ...origin, valueType: ORDER_EVENT_TYPE, instrument: body.instrument }, body);
}
