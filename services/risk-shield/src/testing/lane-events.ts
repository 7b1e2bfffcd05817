import {
  decimalString,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState,
  type IntentKind,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  STRATEGY_INTENT_TYPE,
  type StrategyIntent,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { deriveId } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneSessionConfig, type LaneTick } from '@fleet/service';

/** The session of the specs: the calm market on venue-a and venue-b, limits of the balanced profile. */
export const SPEC_SESSION: LaneSessionConfig = { scenario: 'calm', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP', 'BTC-PERP'] };

/** The simulated time of tick 0. */
export const T0 = 1_767_225_600_000_000;

/** Returns the close time of tick `n` of the spec session. */
export function tickTime(n: number): number {
  return T0 + (n + 1) * SPEC_SESSION.tickUs;
}

/** Returns an fv.state of `instrument` at `fairValue`, every venue's book centred on its mid in `mids` (default: the fair value). */
export function fvState(instrument: string, n: number, fairValue: number | null, options: { readonly mids?: Readonly<Record<string, number>>; readonly available?: boolean } = {}): FairValueState {
  const venues = ['venue-a', 'venue-b'];
  return withEnvelope(
    { producer: 'fair-value', valueType: FAIR_VALUE_STATE_TYPE, instrument, sequence: n + 1, eventTimeUs: tickTime(n) - 1, causation: [deriveId('book', [instrument, n])] },
    {
      instrument,
      fvAvailable: options.available ?? fairValue !== null,
      fairValue,
      fairValueVariance: fairValue === null ? null : 0.01,
      healthyVenuesUsed: fairValue === null ? [] : venues,
      healthyVenuesUsedCount: fairValue === null ? 0 : 2,
      minHealthyVenues: 2,
      observations: venues.map((venue) => {
        const mid = options.mids?.[venue] ?? fairValue;
        return { venue, status: mid === null ? ('NO_BOOK' as const) : ('HEALTHY' as const), mid, ageUs: mid === null ? null : 1 };
      }),
      sigmaShort: 1e-4,
      sigmaLong: 1e-4,
      sigmaEff: 1e-4,
      sigmaMin: 5e-5,
      spreadVolScalar: 1,
      sizeVolScalar: 1,
      bandVolScalar: 1,
    },
  );
}

/** A fill of one of our orders. */
export interface SpecFill {
  readonly venue: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee?: string;
}

/** Returns the FILLED order event of `fill` (the `seq`-th of the instrument), stamped in tick `n`. */
export function fillEvent(instrument: string, n: number, seq: number, fill: SpecFill): OrderEvent {
  const clientOrderId = deriveId('order', [instrument, n, seq], 32);
  return withEnvelope(
    { producer: 'execution-router', valueType: ORDER_EVENT_TYPE, instrument, sequence: seq, eventTimeUs: tickTime(n) - 10, causation: [deriveId('command', [clientOrderId])] },
    {
      instrument,
      kind: 'FILLED' as const,
      clientOrderId,
      venueOrderId: `v-${seq}`,
      intentId: deriveId('intent', [clientOrderId]),
      strategyId: 'mm-1',
      venue: fill.venue,
      side: fill.side,
      price: decimalString(fill.price),
      size: decimalString(fill.quantity),
      idempotencyKey: deriveId('fill-key', [clientOrderId]),
      fill: {
        fillId: deriveId('fill', [clientOrderId]),
        venueFillId: `f-${seq}`,
        quantity: decimalString(fill.quantity),
        price: decimalString(fill.price),
        fee: decimalString(fill.fee ?? '0'),
        feeCurrency: 'USDT',
        liquidity: 'TAKER' as const,
        cumulativeQuantity: decimalString(fill.quantity),
        remainingQuantity: decimalString('0'),
      },
      reject: null,
      cancel: null,
      positionClose: null,
    },
  );
}

/** The terms of an intent in a spec. */
export interface SpecIntent {
  readonly kind: IntentKind;
  readonly action?: 'PLACE' | 'CANCEL';
  readonly venue?: string;
  readonly side: 'BUY' | 'SELL';
  readonly size: string;
  readonly price?: string;
  readonly guardPrice?: string | null;
  readonly target?: string | null;
}

const PRODUCER: Readonly<Record<IntentKind, string>> = { EXIT: 'exit', HEDGE: 'hedge', MM: 'quoting' };

/** Returns the strategy.intent of `spec` (the `seq`-th of its producer), stamped in tick `n`. */
export function intent(instrument: string, n: number, seq: number, spec: SpecIntent): StrategyIntent {
  const action = spec.action ?? 'PLACE';
  const intentId = deriveId('intent', [instrument, spec.kind, n, seq]);
  return withEnvelope(
    { producer: PRODUCER[spec.kind], valueType: STRATEGY_INTENT_TYPE, instrument, sequence: seq, eventTimeUs: tickTime(n), causation: [deriveId('cause', [instrument, n])] },
    {
      instrument,
      intentId,
      kind: spec.kind,
      action,
      strategyId: 'mm-1',
      bucketId: 'bucket-1',
      venue: spec.venue ?? 'venue-a',
      side: spec.side,
      price: decimalString(spec.price ?? '3000'),
      size: decimalString(spec.size),
      timeInForce: spec.kind === 'MM' ? ('POST_ONLY' as const) : ('IOC' as const),
      reduceOnly: spec.kind === 'EXIT',
      guardPrice: spec.guardPrice === undefined ? (spec.kind === 'MM' ? null : decimalString(spec.price ?? '3000')) : spec.guardPrice === null ? null : decimalString(spec.guardPrice),
      targetClientOrderId: action === 'CANCEL' ? (spec.target === undefined ? deriveId('order', [intentId], 32) : spec.target) : null,
      fairValue: 3000,
      modelInputs: { inventory: 0 },
      modelLabels: { regime: 'NORMAL' },
    },
  );
}

function laneEvent(spec: TopicSpec, producer: string, offset: number, tick: number, value: { readonly instrument: string }, partition: number): LaneEvent {
  return { topic: spec.name, partition, offset: String(offset), tick, producer, timestampMs: '0', value };
}

/** The inputs of one spec tick, each list in offset order. */
export interface SpecTickInputs {
  readonly fv?: readonly FairValueState[];
  readonly orders?: readonly OrderEvent[];
  readonly intents?: readonly StrategyIntent[];
}

/**
 * Returns tick `n` of `partition` with its events in the canonical order: fv.state, then order
 * events, then intents by producer name, each by offset.
 */
export function laneTick(n: number, inputs: SpecTickInputs, partition = 0): LaneTick {
  const fv = (inputs.fv ?? []).map((v, i) => laneEvent(Topics.fvState, 'fair-value', n * 100 + i, n, v, partition));
  const orders = (inputs.orders ?? []).map((v, i) => laneEvent(Topics.orderEvent, 'execution-router', n * 100 + i, n - 1, v, partition));
  const intents = (inputs.intents ?? [])
    .map((v, i) => laneEvent(Topics.strategyIntent, PRODUCER[v.kind], n * 100 + i, n, v, partition))
    .sort((a, b) => (a.producer < b.producer ? -1 : a.producer > b.producer ? 1 : Number(a.offset) - Number(b.offset)));
  return { partition, tick: n, tickTimeUs: tickTime(n), events: [...fv, ...orders, ...intents] };
}
