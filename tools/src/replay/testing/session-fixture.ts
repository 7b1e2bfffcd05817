/**
 * A small hand-built session log in the real contract shapes, for the unit tests of the why
 * chain, the parity report and the summary recount. Two ticks on one lane of ETH-PERP:
 *
 *   tick 0: books on venue-a and venue-b → fv.state F0 → quoting intents BUY (approved,
 *           reserved, placed, acked, filled) and SELL (denied: PRICE_BAND) → risk.state S0;
 *   tick 1: a venue-a book → fv.state F1 that no strategy acts on; a venue-b book → F2 → a
 *           hedge intent approved by risk but refused by the budget (a DENIED budget.delta,
 *           no command); the fill of tick 0 committed and booked into position.state.
 */
import {
  type BookSnapshot,
  BOOK_SNAPSHOT_TYPE,
  type BudgetDelta,
  BUDGET_DELTA_TYPE,
  decimalString,
  type FairValueState,
  FAIR_VALUE_STATE_TYPE,
  type OrderCommand,
  ORDER_COMMAND_TYPE,
  type OrderEvent,
  ORDER_EVENT_TYPE,
  type PositionState,
  POSITION_STATE_TYPE,
  type RiskDecision,
  RISK_DECISION_TYPE,
  type RiskState,
  RISK_STATE_TYPE,
  type StrategyIntent,
  STRATEGY_INTENT_TYPE,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { deriveClientOrderId, deriveId } from '@fleet/core';
import { type Enveloped, withEnvelope } from '@fleet/events';
import { type LoggedRecord } from '@fleet/fleet-session';

const d = decimalString;
export const INSTRUMENT = 'ETH-PERP';
export const LANE = 3;
const T0 = 1_700_000_000_000_000;
const TICK_US = 250_000;

/** Builds logged records with per-topic offsets and per-producer sequences. */
export class LogBuilder {
  readonly records: LoggedRecord[] = [];
  private readonly offsets = new Map<string, number>();
  private readonly sequences = new Map<string, number>();

  /** Appends one event of `producer` on `spec` at `tick` and returns its value (with envelope). */
  add<P extends object>(spec: TopicSpec, valueType: string, producer: string, tick: number, causation: readonly string[], payload: P, eventTimeUs = T0 + (tick + 1) * TICK_US): Enveloped<P> {
    const sequence = (this.sequences.get(producer) ?? 0) + 1;
    this.sequences.set(producer, sequence);
    const value = withEnvelope({ producer, valueType, instrument: INSTRUMENT, sequence, eventTimeUs, causation }, payload);
    const offset = this.offsets.get(spec.name) ?? 0;
    this.offsets.set(spec.name, offset + 1);
    this.records.push({ topic: spec.name, partition: LANE, offset: String(offset), tick, producer, timestampMs: 1_000 + tick * 10 + this.records.length, value: value as unknown as LoggedRecord['value'] });
    return value;
  }
}

function book(venue: string, bid: string, ask: string): Omit<BookSnapshot, 'envelope'> {
  return { instrument: INSTRUMENT, venue, venueSymbol: 'ETH/USDT:USDT', venueSequence: null, exchangeTimeUs: null, bids: [{ price: d(bid), size: d('5') }], asks: [{ price: d(ask), size: d('5') }], tickSize: d('0.01'), lotSize: d('0.001') };
}

function fairValue(fv: number, venues: readonly string[]): Omit<FairValueState, 'envelope'> {
  return {
    instrument: INSTRUMENT,
    fvAvailable: venues.length >= 2,
    fairValue: venues.length >= 2 ? fv : null,
    fairValueVariance: venues.length >= 2 ? 0.0004 : null,
    healthyVenuesUsed: venues,
    healthyVenuesUsedCount: venues.length,
    minHealthyVenues: 2,
    observations: ['venue-a', 'venue-b'].map((v) => ({ venue: v, status: venues.includes(v) ? 'HEALTHY' : 'STALE', mid: fv, ageUs: 1_000 })),
    sigmaShort: 0.0002,
    sigmaLong: 0.0003,
    sigmaEff: 0.0003,
    sigmaMin: 0.0001,
    spreadVolScalar: 1,
    sizeVolScalar: 1,
    bandVolScalar: 1,
  };
}

function intent(kind: StrategyIntent['kind'], side: StrategyIntent['side'], price: string, seq: number, labels: Record<string, string>): Omit<StrategyIntent, 'envelope'> {
  const intentId = deriveId('intent', [kind, side, price, seq]);
  return {
    instrument: INSTRUMENT,
    intentId,
    kind,
    action: 'PLACE',
    strategyId: 'mm-1',
    bucketId: 'bucket-1',
    venue: 'venue-a',
    side,
    price: d(price),
    size: d('0.1'),
    timeInForce: kind === 'MM' ? 'POST_ONLY' : 'IOC',
    reduceOnly: false,
    guardPrice: kind === 'MM' ? null : d(price),
    targetClientOrderId: null,
    fairValue: 2000.2,
    modelInputs: { reservationPrice: 2000.15, halfSpread: 0.25, inventory: 0 },
    modelLabels: { regime: 'Normal', clientOrderId: deriveClientOrderId(intentId, 'venue-a'), ...labels },
  };
}

function riskState(): Omit<RiskState, 'envelope'> {
  return { instrument: INSTRUMENT, regime: 'NORMAL', killSwitch: false, killReason: null, killLatchedAtUs: null, paused: false, limits: [], netDelta: d('0'), dailyPnl: d('0') };
}

function decision(i: StrategyIntent, outcome: RiskDecision['outcome'], reason: RiskDecision['reason']): Omit<RiskDecision, 'envelope'> {
  return { instrument: INSTRUMENT, intentId: i.intentId, outcome, reason, regime: 'NORMAL', intent: i };
}

function delta(kind: BudgetDelta['kind'], amount: string, order: { clientOrderId: string; intentId: string } | null, reserved: string, committed: string, budgetSequence: number, rejectReasons: readonly string[] = []): Omit<BudgetDelta, 'envelope'> {
  return {
    instrument: INSTRUMENT,
    deltaId: deriveId('delta', [kind, amount, reserved, committed]),
    budgetId: 'budget-a',
    bucketId: 'bucket-1',
    strategyId: 'mm-1',
    kind,
    amount: d(amount),
    currency: 'USDT',
    clientOrderId: order?.clientOrderId ?? null,
    intentId: order?.intentId ?? null,
    allocatedAfter: d('10000'),
    reservedAfter: d(reserved),
    committedAfter: d(committed),
    budgetDigest: deriveId('budget', [reserved, committed]),
    rejectReasons,
    releaseCause: null,
    budgetSequence,
  };
}

function orderEvent(kind: OrderEvent['kind'], i: StrategyIntent, clientOrderId: string, fill: OrderEvent['fill']): Omit<OrderEvent, 'envelope'> {
  return {
    instrument: INSTRUMENT,
    kind,
    clientOrderId,
    venueOrderId: 'v-1',
    intentId: i.intentId,
    strategyId: i.strategyId,
    venue: i.venue,
    side: i.side,
    price: i.price,
    size: i.size,
    idempotencyKey: deriveId('venue-report', [kind, clientOrderId]),
    fill,
    reject: null,
    cancel: null,
    positionClose: null,
  };
}

/** The fixture log and the ids a test looks things up by. */
export interface SessionFixture {
  readonly records: readonly LoggedRecord[];
  readonly books: { readonly a0: string; readonly b0: string; readonly a1: string; readonly b1: string };
  readonly fv0: string;
  /** A fair value superseded by a later one of the same tick (fv2, which the hedge cites). */
  readonly fv1: string;
  readonly fv2: string;
  /** An unavailable fair value (one healthy venue of two needed). */
  readonly fv3: string;
  /** The last fair value of its tick, which no strategy acted on. */
  readonly fv4: string;
  readonly buy: { readonly intentId: string; readonly clientOrderId: string; readonly fillId: string; readonly decision: string; readonly reserve: string; readonly command: string; readonly acked: string; readonly filled: string; readonly position: string };
  readonly sell: { readonly intentId: string; readonly decision: string };
  readonly hedge: { readonly intentId: string; readonly clientOrderId: string; readonly decision: string; readonly denied: string };
  readonly riskStates: readonly string[];
}

/** Returns the fixture session (see the file comment); deterministic. */
export function sessionFixture(): SessionFixture {
  const log = new LogBuilder();
  const a0 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 0, [], book('venue-a', '2000.10', '2000.30'));
  const b0 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 0, [], book('venue-b', '2000.00', '2000.40'));
  const f0 = log.add(Topics.fvState, FAIR_VALUE_STATE_TYPE, 'fair-value', 0, [b0.envelope.eventId], fairValue(2000.2, ['venue-a', 'venue-b']));
  const cause = [f0.envelope.eventId, a0.envelope.eventId, b0.envelope.eventId];
  const buyIntent = log.add(Topics.strategyIntent, STRATEGY_INTENT_TYPE, 'quoting', 0, cause, intent('MM', 'BUY', '2000.00', 1, {}));
  const sellIntent = log.add(Topics.strategyIntent, STRATEGY_INTENT_TYPE, 'quoting', 0, cause, intent('MM', 'SELL', '2030.00', 2, {}));
  const s0 = log.add(Topics.riskState, RISK_STATE_TYPE, 'risk-shield', 0, [f0.envelope.eventId], riskState());
  const buyDecision = log.add(Topics.riskDecision, RISK_DECISION_TYPE, 'risk-shield', 0, [buyIntent.envelope.eventId, s0.envelope.eventId], decision(buyIntent, 'APPROVED', null));
  const sellDecision = log.add(Topics.riskDecision, RISK_DECISION_TYPE, 'risk-shield', 0, [sellIntent.envelope.eventId, s0.envelope.eventId], decision(sellIntent, 'DENIED', 'PRICE_BAND'));
  const buyOrder = { clientOrderId: buyIntent.modelLabels.clientOrderId!, intentId: buyIntent.intentId };
  log.add(Topics.budgetDelta, BUDGET_DELTA_TYPE, 'budget-ledger', 0, [], delta('ALLOCATE', '10000', null, '0', '0', 1));
  const reserve = log.add(Topics.budgetDelta, BUDGET_DELTA_TYPE, 'budget-ledger', 0, [buyDecision.envelope.eventId], delta('RESERVE', '200', buyOrder, '200', '0', 2));
  const place: Omit<OrderCommand, 'envelope'> = {
    instrument: INSTRUMENT,
    kind: 'PLACE',
    venue: 'venue-a',
    clientOrderId: buyOrder.clientOrderId,
    idempotencyKey: deriveId('order-command', ['PLACE', buyOrder.clientOrderId, buyIntent.intentId]),
    intentId: buyIntent.intentId,
    strategyId: 'mm-1',
    placement: { side: 'BUY', price: d('2000.00'), size: d('0.1'), timeInForce: 'POST_ONLY', reduceOnly: false, budgetId: 'budget-a', reservedAmount: d('200') },
  };
  const command = log.add(Topics.orderCommand, ORDER_COMMAND_TYPE, 'budget-ledger', 0, [buyDecision.envelope.eventId, reserve.envelope.eventId], place);
  const acked = log.add(Topics.orderEvent, ORDER_EVENT_TYPE, 'execution-router', 0, [command.envelope.eventId], orderEvent('ACKED', buyIntent, buyOrder.clientOrderId, null));
  const fillId = deriveId('fill', ['venue-a', 't-1']);
  const fill = { fillId, venueFillId: 't-1', quantity: d('0.1'), price: d('2000.00'), fee: d('-0.02'), feeCurrency: 'USDT', liquidity: 'MAKER' as const, cumulativeQuantity: d('0.1'), remainingQuantity: d('0') };
  const filled = log.add(Topics.orderEvent, ORDER_EVENT_TYPE, 'execution-router', 0, [command.envelope.eventId], orderEvent('FILLED', buyIntent, buyOrder.clientOrderId, fill));

  const a1 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 1, [], book('venue-a', '2000.50', '2000.70'));
  const f1 = log.add(Topics.fvState, FAIR_VALUE_STATE_TYPE, 'fair-value', 1, [a1.envelope.eventId], fairValue(2000.4, ['venue-a', 'venue-b']));
  const b1 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 1, [], book('venue-b', '2000.40', '2000.60'));
  const f2 = log.add(Topics.fvState, FAIR_VALUE_STATE_TYPE, 'fair-value', 1, [b1.envelope.eventId], fairValue(2000.5, ['venue-a', 'venue-b']));
  const hedgeIntent = log.add(Topics.strategyIntent, STRATEGY_INTENT_TYPE, 'hedge', 1, [f2.envelope.eventId, a1.envelope.eventId, b1.envelope.eventId], intent('HEDGE', 'SELL', '2000.40', 3, { reason: 'delta' }));
  const s1 = log.add(Topics.riskState, RISK_STATE_TYPE, 'risk-shield', 1, [f2.envelope.eventId, filled.envelope.eventId], riskState());
  const hedgeDecision = log.add(Topics.riskDecision, RISK_DECISION_TYPE, 'risk-shield', 1, [hedgeIntent.envelope.eventId, s1.envelope.eventId], decision(hedgeIntent, 'APPROVED', null));
  const hedgeOrder = { clientOrderId: hedgeIntent.modelLabels.clientOrderId!, intentId: hedgeIntent.intentId };
  const denied = log.add(Topics.budgetDelta, BUDGET_DELTA_TYPE, 'budget-ledger', 1, [hedgeDecision.envelope.eventId], delta('DENIED', '200.04', hedgeOrder, '0', '200', 3, ['InsufficientBudget']));
  log.add(Topics.budgetDelta, BUDGET_DELTA_TYPE, 'budget-ledger', 1, [filled.envelope.eventId], delta('COMMIT', '200', buyOrder, '0', '200', 3));
  const position: Omit<PositionState, 'envelope'> = {
    instrument: INSTRUMENT,
    venue: 'venue-a',
    strategyId: 'mm-1',
    quantity: d('0.1'),
    averageEntryPrice: d('2000.00'),
    realisedPnl: d('0.02'),
    feesPaid: d('-0.02'),
    markPrice: d('2000.40'),
    unrealisedPnl: d('0.04'),
    lastFillId: fillId,
    fundingPnl: d('0'),
    totalPnl: d('0.06'),
  };
  const ps = log.add(Topics.positionState, POSITION_STATE_TYPE, 'budget-ledger', 1, [filled.envelope.eventId], position);

  const a2 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 2, [], book('venue-a', '2000.60', '2000.80'));
  const f3 = log.add(Topics.fvState, FAIR_VALUE_STATE_TYPE, 'fair-value', 2, [a2.envelope.eventId], fairValue(2000.7, ['venue-a']));
  const b3 = log.add(Topics.mdBook, BOOK_SNAPSHOT_TYPE, 'market-gateway', 3, [], book('venue-b', '2000.60', '2000.80'));
  const f4 = log.add(Topics.fvState, FAIR_VALUE_STATE_TYPE, 'fair-value', 3, [b3.envelope.eventId], fairValue(2000.7, ['venue-a', 'venue-b']));
  return {
    records: log.records,
    books: { a0: a0.envelope.eventId, b0: b0.envelope.eventId, a1: a1.envelope.eventId, b1: b1.envelope.eventId },
    fv0: f0.envelope.eventId,
    fv1: f1.envelope.eventId,
    fv2: f2.envelope.eventId,
    fv3: f3.envelope.eventId,
    fv4: f4.envelope.eventId,
    buy: {
      intentId: buyIntent.intentId,
      clientOrderId: buyOrder.clientOrderId,
      fillId,
      decision: buyDecision.envelope.eventId,
      reserve: reserve.envelope.eventId,
      command: command.envelope.eventId,
      acked: acked.envelope.eventId,
      filled: filled.envelope.eventId,
      position: ps.envelope.eventId,
    },
    sell: { intentId: sellIntent.intentId, decision: sellDecision.envelope.eventId },
    hedge: { intentId: hedgeIntent.intentId, clientOrderId: hedgeOrder.clientOrderId, decision: hedgeDecision.envelope.eventId, denied: denied.envelope.eventId },
    riskStates: [s0.envelope.eventId, s1.envelope.eventId],
  };
}
