import {
  type DecimalString,
  FUNDING_RATE_TYPE,
  type FundingRate,
  MARK_PRICE_TYPE,
  type MarkPrice,
  type OrderCommand,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  type OrderEventKind,
  type OrderFill,
  RISK_DECISION_TYPE,
  type RiskDecision,
  type RiskOutcome,
  type Side,
  STRATEGY_INTENT_TYPE,
  type StrategyIntent,
  type TimeInForce,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { deriveFillId, deriveId, PRESET_START_US } from '@fleet/core';
import { MARKET_GATEWAY, withEnvelope } from '@fleet/events';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { type Environment, type LaneEvent, type LaneOutput, type LaneTick } from '@fleet/service';
import { readBudgetLedgerConfig } from '../budget-ledger.config';
import { BUDGET_LEDGER_SERVICE } from '../budget-ledger.constants';
import { BudgetLedgerHandler, EXECUTION_ROUTER, RISK_SHIELD } from '../budget-ledger.lane';

/** The instrument of the default session. */
export const INSTRUMENT = 'ETH-PERP';

/** The strategy of the default session's runner configuration. */
export const STRATEGY = 'mm-1';

/** The simulated time tick 0 closes at; tick n closes 250 ms later per tick. */
export const START_US = PRESET_START_US;

/** The tick length of the default session. */
export const TICK_US = 250_000;

const STACK = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

/** Returns a handler on the default session with `env` on top of a complete environment, and its isolated metrics. */
export function ledgerHandler(env: Environment = {}): { readonly handler: BudgetLedgerHandler; readonly metrics: FleetMetrics } {
  const config = readBudgetLedgerConfig({ ...STACK, ...env });
  const metrics = createIsolatedMetrics({ service: BUDGET_LEDGER_SERVICE, instance: 'budget-ledger-test' });
  return { handler: new BudgetLedgerHandler({ service: BUDGET_LEDGER_SERVICE, instance: 'budget-ledger-test', session: config.session, config, metrics }), metrics };
}

/** Returns the time tick `n` closes at. */
export function tickTime(n: number): number {
  return START_US + n * TICK_US;
}

/** Returns tick `n` of lane 0 with `events` (already in canonical order). */
export function laneTick(n: number, events: readonly LaneEvent[]): LaneTick {
  return { partition: 0, tick: n, tickTimeUs: tickTime(n), events };
}

let offset = 0;

/** Returns `value` as an input event of `topic` from `producer`. */
export function laneEvent(topic: TopicSpec, producer: string, value: object, tick = 0): LaneEvent {
  offset += 1;
  return { topic: topic.name, partition: 0, offset: String(offset), tick, producer, timestampMs: '0', value };
}

/** What a test intent may set; the rest is a post-only BUY of 1 at 3000 on venue-a. */
export interface IntentSpec {
  readonly label: string;
  readonly venue?: string;
  readonly side?: Side;
  readonly price?: string;
  readonly size?: string;
  readonly timeInForce?: TimeInForce;
  readonly action?: 'PLACE' | 'CANCEL';
  readonly target?: string | null;
  readonly strategyId?: string;
}

/** Returns the intent id of a test label. */
export function intentIdOf(label: string): string {
  return deriveId('test-intent', [label]);
}

/** Returns a risk.decision event on an intent built from `spec`. */
export function decision(spec: IntentSpec, atUs: number, outcome: RiskOutcome = 'APPROVED', sequence = 1): LaneEvent {
  const intentId = intentIdOf(spec.label);
  const intent: StrategyIntent = withEnvelope(
    { producer: 'quoting', valueType: STRATEGY_INTENT_TYPE, instrument: INSTRUMENT, sequence, eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      intentId,
      kind: 'MM',
      action: spec.action ?? 'PLACE',
      strategyId: spec.strategyId ?? STRATEGY,
      bucketId: `${INSTRUMENT}:mm`,
      venue: spec.venue ?? 'venue-a',
      side: spec.side ?? 'BUY',
      price: (spec.price ?? '3000') as DecimalString,
      size: (spec.size ?? '1') as DecimalString,
      timeInForce: spec.timeInForce ?? 'POST_ONLY',
      reduceOnly: false,
      guardPrice: null,
      targetClientOrderId: spec.target ?? null,
      fairValue: 3000,
      modelInputs: {},
      modelLabels: {},
    },
  );
  const value: RiskDecision = withEnvelope(
    { producer: RISK_SHIELD, valueType: RISK_DECISION_TYPE, instrument: INSTRUMENT, sequence, eventTimeUs: atUs, causation: [intent.envelope.eventId] },
    { instrument: INSTRUMENT, intentId, outcome, reason: outcome === 'APPROVED' ? null : 'POSITION_LIMIT', regime: 'NORMAL', intent },
  );
  return laneEvent(Topics.riskDecision, RISK_SHIELD, value);
}

/** The detail of a venue report. */
export interface ReportDetail {
  /** Distinguishes two reports of the same kind on one order. */
  readonly n?: number;
  readonly fill?: { readonly quantity: string; readonly price: string; readonly fee: string; readonly cumulative: string; readonly remaining: string };
  readonly cancelled?: string;
}

/** Returns the order.event of a venue report on the order `command` placed. */
export function report(command: OrderCommand, kind: OrderEventKind, atUs: number, detail: ReportDetail = {}, sequence = 1): LaneEvent {
  const placement = command.placement!;
  const clientOrderId = command.clientOrderId!;
  const venueFillId = `${clientOrderId}-f${detail.n ?? 0}`;
  const fill: OrderFill | null =
    detail.fill === undefined
      ? null
      : {
          fillId: deriveFillId(command.venue, venueFillId),
          venueFillId,
          quantity: detail.fill.quantity as DecimalString,
          price: detail.fill.price as DecimalString,
          fee: detail.fill.fee as DecimalString,
          feeCurrency: 'USDT',
          liquidity: 'MAKER',
          cumulativeQuantity: detail.fill.cumulative as DecimalString,
          remainingQuantity: detail.fill.remaining as DecimalString,
        };
  const value: OrderEvent = withEnvelope(
    { producer: EXECUTION_ROUTER, valueType: ORDER_EVENT_TYPE, instrument: INSTRUMENT, sequence, eventTimeUs: atUs, causation: [command.envelope.eventId] },
    {
      instrument: INSTRUMENT,
      kind,
      clientOrderId,
      venueOrderId: kind === 'SUBMITTED' ? null : `v-${clientOrderId}`,
      intentId: command.intentId!,
      strategyId: command.strategyId!,
      venue: command.venue,
      side: placement.side,
      price: placement.price,
      size: placement.size,
      idempotencyKey: deriveId('venue-report', [clientOrderId, kind, detail.n ?? 0]),
      fill,
      reject: kind === 'REJECTED' ? { reason: 'POST_ONLY_WOULD_TAKE', venueCode: null, message: 'post-only order would take' } : null,
      cancel: kind === 'CANCELLED' ? { cancelledQuantity: (detail.cancelled ?? placement.size) as DecimalString, requested: true } : null,
      positionClose: null,
    },
  );
  return laneEvent(Topics.orderEvent, EXECUTION_ROUTER, value);
}

/** Returns an md.mark event of `venue`. */
export function mark(venue: string, price: string, atUs: number, sequence = 1): LaneEvent {
  const value: MarkPrice = withEnvelope(
    { producer: MARKET_GATEWAY, valueType: MARK_PRICE_TYPE, instrument: INSTRUMENT, sequence, eventTimeUs: atUs, causation: [] },
    { instrument: INSTRUMENT, venue, markPrice: price as DecimalString, exchangeTimeUs: atUs },
  );
  return laneEvent(Topics.mdMark, MARKET_GATEWAY, value);
}

/** Returns an md.funding event of `venue` announcing the settlement at `nextFundingTimeUs`. */
export function funding(venue: string, rate: string, atUs: number, nextFundingTimeUs: number, sequence = 1): LaneEvent {
  const value: FundingRate = withEnvelope(
    { producer: MARKET_GATEWAY, valueType: FUNDING_RATE_TYPE, instrument: INSTRUMENT, sequence, eventTimeUs: atUs, causation: [] },
    { instrument: INSTRUMENT, venue, rate: rate as DecimalString, predictedRate: null, intervalUs: 60_000_000, nextFundingTimeUs },
  );
  return laneEvent(Topics.mdFunding, MARKET_GATEWAY, value);
}

/** Returns the payloads of the outputs on `topic`, in order. */
export function valuesOn<T>(outputs: readonly LaneOutput[], topic: TopicSpec): T[] {
  return outputs.filter((o) => o.spec.name === topic.name).map((o) => o.value as T);
}
