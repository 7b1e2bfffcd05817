import {
  type BudgetDelta,
  type DecimalString,
  type OrderCommand,
  type OrderEvent,
  type PositionState,
  type RiskDecision,
  type Side,
  type StrategyIntent,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { deriveId, toDecimal } from '@fleet/core';
import { withEnvelope } from '@fleet/events';

/** One event of a constructed flow, with the catalogue topic it belongs on. */
export interface FlowEvent {
  readonly topic: TopicSpec;
  /** The record key (the canonical instrument). */
  readonly key: string;
  /** The Avro full name of the value. */
  readonly valueType: string;
  /** The event, enveloped. */
  readonly value: { readonly envelope: { readonly eventId: string } } & object;
}

/** What a constructed flow trades. */
export interface FlowOptions {
  /** Canonical instrument; make it unique per test run to isolate on shared topics. */
  readonly instrument: string;
  readonly venue?: string;
  readonly strategyId?: string;
  /** Number of intent → approval → reserve → command → ack → fill → commit → position flows. */
  readonly orders: number;
  /** Event time of the first event, integer microseconds. */
  readonly startUs?: number;
}

const dec = (value: string): DecimalString => value as DecimalString;

/**
 * Returns a realistic, internally consistent event sequence: an allocation, then per order an
 * approved MM intent, a RESERVE delta, a PLACE order command, an ACKED and a FILLED order event,
 * a COMMIT delta and the position state after the fill. Envelopes are built with withEnvelope;
 * sequences run per producer and instrument from 1. Sides alternate BUY, SELL, BUY, … and
 * every order is for 0.01 at 65000 + i.
 */
export function flowEvents(options: FlowOptions): FlowEvent[] {
  const instrument = options.instrument;
  const venue = options.venue ?? 'binance';
  const strategyId = options.strategyId ?? 'mm-1';
  const bucketId = 'bucket-main';
  const budgetId = deriveId('budget', [strategyId, bucketId, instrument]);
  let t = options.startUs ?? 1_700_000_000_000_000;
  const sequences = new Map<string, number>();
  const out: FlowEvent[] = [];
  const emit = <P extends object>(producer: string, topic: TopicSpec, valueType: string, causation: readonly string[], payload: P): P & { envelope: { eventId: string } } => {
    const sequence = (sequences.get(producer) ?? 0) + 1;
    sequences.set(producer, sequence);
    t += 1_000;
    const value = withEnvelope({ producer, valueType, instrument, sequence, eventTimeUs: t, causation }, payload);
    out.push({ topic, key: instrument, valueType, value });
    return value;
  };
  const allocated = toDecimal('100000');
  let reserved = toDecimal('0');
  let committed = toDecimal('0');
  let position = toDecimal('0');
  let budgetSequence = 0;
  const budgetDelta = (kind: BudgetDelta['kind'], amount: string, clientOrderId: string | null, intentId: string | null, causation: readonly string[]): BudgetDelta => {
    budgetSequence += 1;
    const after = { allocatedAfter: dec(allocated.toFixed()), reservedAfter: dec(reserved.toFixed()), committedAfter: dec(committed.toFixed()) };
    return emit<Omit<BudgetDelta, 'envelope'>>('budget-ledger', Topics.budgetDelta, 'fleet.events.BudgetDelta', causation, {
      instrument,
      deltaId: deriveId('budget-delta', [budgetId, kind, clientOrderId, out.length]),
      budgetId,
      bucketId,
      strategyId,
      kind,
      amount: dec(amount),
      currency: 'USDT',
      rejectReasons: [],
      releaseCause: kind === 'RELEASE' ? 'ORDER_CANCELLED' : null,
      budgetSequence,
      clientOrderId,
      intentId,
      ...after,
      budgetDigest: deriveId('budget-state', [budgetId, after]),
    }) as BudgetDelta;
  };
  budgetDelta('ALLOCATE', allocated.toFixed(), null, null, []);
  for (let i = 0; i < options.orders; i += 1) {
    const side: Side = i % 2 === 0 ? 'BUY' : 'SELL';
    const price = dec(String(65_000 + i));
    const size = dec('0.01');
    const notional = toDecimal(price).times(size).toFixed();
    const intentId = deriveId('intent', [strategyId, instrument, i]);
    const clientOrderId = deriveId('client-order', [intentId], 32);
    const intent = emit<Omit<StrategyIntent, 'envelope'>>('quoting', Topics.strategyIntent, 'fleet.events.StrategyIntent', [], {
      instrument,
      intentId,
      kind: 'MM',
      action: 'PLACE',
      strategyId,
      bucketId,
      venue,
      side,
      price,
      size,
      timeInForce: 'POST_ONLY',
      reduceOnly: false,
      guardPrice: null,
      targetClientOrderId: null,
      fairValue: 65_000.25,
      modelInputs: { halfSpread: 0.5, inventory: Number(position.toFixed()) },
      modelLabels: { regime: 'NORMAL' },
    }) as StrategyIntent;
    const decision = emit<Omit<RiskDecision, 'envelope'>>('risk-shield', Topics.riskDecision, 'fleet.events.RiskDecision', [intent.envelope.eventId], {
      instrument,
      intentId,
      outcome: 'APPROVED',
      reason: null,
      regime: 'NORMAL',
      intent,
    });
    reserved = reserved.plus(notional);
    const reserve = budgetDelta('RESERVE', notional, clientOrderId, intentId, [decision.envelope.eventId]);
    const command = emit<Omit<OrderCommand, 'envelope'>>('budget-ledger', Topics.orderCommand, 'fleet.commands.OrderCommand', [decision.envelope.eventId, reserve.envelope.eventId], {
      instrument,
      kind: 'PLACE',
      venue,
      clientOrderId,
      idempotencyKey: deriveId('order-command', [clientOrderId]),
      intentId,
      strategyId,
      placement: { side, price, size, timeInForce: 'POST_ONLY', reduceOnly: false, budgetId, reservedAmount: dec(notional) },
    });
    const orderEvent = (kind: OrderEvent['kind'], cause: string, fill: OrderEvent['fill']): OrderEvent =>
      emit<Omit<OrderEvent, 'envelope'>>('execution-router', Topics.orderEvent, 'fleet.events.OrderEvent', [cause], {
        instrument,
        kind,
        clientOrderId,
        venueOrderId: `v-${i}`,
        intentId,
        strategyId,
        venue,
        side,
        price,
        size,
        idempotencyKey: deriveId('order-event', [clientOrderId, kind]),
        fill,
        reject: null,
        cancel: null,
        positionClose: null,
      }) as OrderEvent;
    const ack = orderEvent('ACKED', command.envelope.eventId, null);
    const fillId = deriveId('fill', [venue, `f-${i}`]);
    const fill = orderEvent('FILLED', ack.envelope.eventId, {
      fillId,
      venueFillId: `f-${i}`,
      quantity: size,
      price,
      fee: dec('0.0065'),
      feeCurrency: 'USDT',
      liquidity: 'MAKER',
      cumulativeQuantity: size,
      remainingQuantity: dec('0'),
    });
    reserved = reserved.minus(notional);
    committed = committed.plus(notional);
    budgetDelta('COMMIT', notional, clientOrderId, intentId, [fill.envelope.eventId]);
    position = position.plus(side === 'BUY' ? size : `-${size}`);
    emit<Omit<PositionState, 'envelope'>>('budget-ledger', Topics.positionState, 'fleet.events.PositionState', [fill.envelope.eventId], {
      instrument,
      venue,
      strategyId,
      quantity: dec(position.toFixed()),
      averageEntryPrice: position.isZero() ? null : price,
      realisedPnl: dec('0'),
      feesPaid: dec('0'),
      markPrice: null,
      unrealisedPnl: null,
      fundingPnl: dec('0'),
      totalPnl: null,
      lastFillId: fillId,
    });
  }
  return out;
}
