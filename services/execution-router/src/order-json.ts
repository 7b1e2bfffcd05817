import { type Liquidity, Money, type Order, type OrderStatus, Price, Quantity, type Side } from '@fleet/core';

/** One fill of an order as plain JSON: exact decimals as text, the fee with its currency. */
export interface OrderFillJson {
  readonly fillId: string;
  readonly venueTradeId: string;
  readonly quantity: string;
  readonly price: string;
  readonly fee: { readonly amount: string; readonly currency: string };
  readonly liquidity: Liquidity;
  readonly atUs: number;
}

/** A core order as plain JSON (the snapshot form of {@link Order}); absent optional fields are null. */
export interface OrderJson {
  readonly clientOrderId: string;
  readonly intentId: string;
  readonly strategyId: string;
  readonly bucketId: string;
  readonly venue: string;
  readonly instrument: string;
  readonly side: Side;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly status: OrderStatus;
  readonly filledQuantity: string;
  readonly fills: readonly OrderFillJson[];
  readonly venueOrderId: string | null;
  readonly rejectReason: string | null;
  readonly statusBeforeCancel: OrderStatus | null;
  readonly processedKeys: readonly string[];
  readonly createdAtUs: number;
  readonly updatedAtUs: number;
}

/** Returns `order` as plain JSON; {@link orderFromJson} gives it back. */
export function orderToJson(order: Order): OrderJson {
  return {
    clientOrderId: order.clientOrderId,
    intentId: order.intentId,
    strategyId: order.strategyId,
    bucketId: order.bucketId,
    venue: order.venue,
    instrument: order.instrument,
    side: order.side,
    quantity: order.quantity.toString(),
    limitPrice: order.limitPrice?.toString() ?? null,
    status: order.status,
    filledQuantity: order.filledQuantity.toString(),
    fills: order.fills.map((f) => ({
      fillId: f.fillId,
      venueTradeId: f.venueTradeId,
      quantity: f.quantity.toString(),
      price: f.price.toString(),
      fee: { amount: f.fee.amountText(), currency: f.fee.currency },
      liquidity: f.liquidity,
      atUs: f.atUs,
    })),
    venueOrderId: order.venueOrderId ?? null,
    rejectReason: order.rejectReason ?? null,
    statusBeforeCancel: order.statusBeforeCancel ?? null,
    processedKeys: [...order.processedKeys],
    createdAtUs: order.createdAtUs,
    updatedAtUs: order.updatedAtUs,
  };
}

/** Returns the core order of its JSON form. */
export function orderFromJson(json: OrderJson): Order {
  return {
    clientOrderId: json.clientOrderId,
    intentId: json.intentId,
    strategyId: json.strategyId,
    bucketId: json.bucketId,
    venue: json.venue,
    instrument: json.instrument,
    side: json.side,
    quantity: Quantity.create(json.quantity),
    ...(json.limitPrice !== null && { limitPrice: Price.create(json.limitPrice) }),
    status: json.status,
    filledQuantity: Quantity.create(json.filledQuantity),
    fills: json.fills.map((f) => ({
      fillId: f.fillId,
      venueTradeId: f.venueTradeId,
      quantity: Quantity.create(f.quantity),
      price: Price.create(f.price),
      fee: Money.create(f.fee.amount, f.fee.currency),
      liquidity: f.liquidity,
      atUs: f.atUs,
    })),
    ...(json.venueOrderId !== null && { venueOrderId: json.venueOrderId }),
    ...(json.rejectReason !== null && { rejectReason: json.rejectReason }),
    ...(json.statusBeforeCancel !== null && { statusBeforeCancel: json.statusBeforeCancel }),
    processedKeys: [...json.processedKeys],
    createdAtUs: json.createdAtUs,
    updatedAtUs: json.updatedAtUs,
  };
}
