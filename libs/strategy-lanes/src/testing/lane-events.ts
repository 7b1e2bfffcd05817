import {
  BOOK_SNAPSHOT_TYPE,
  type BookSnapshot,
  decimalString,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState,
  FUNDING_RATE_TYPE,
  type FundingRate,
  MARK_PRICE_TYPE,
  type MarkPrice,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  type OrderEventKind,
  RISK_STATE_TYPE,
  type RiskRegime,
  type RiskState,
  type Side,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { PRESET_START_US } from '@fleet/core';
import { MARKET_GATEWAY, withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneSessionConfig, type LaneTick } from '@fleet/service';

/** The instrument of the specs. */
export const INSTRUMENT = 'ETH-PERP';

/** The session of the specs: the calm preset on two venues (venue-a, venue-b), 250 ms ticks, a 1 s timer. */
export const SESSION: LaneSessionConfig = { scenario: 'calm', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: [INSTRUMENT] };

/** Returns the close time of tick `n` of the session (tick 4 closes on the first timer boundary). */
export function tickTime(n: number): number {
  return PRESET_START_US + n * SESSION.tickUs;
}

let sequence = 0;

function next(): number {
  sequence += 1;
  return sequence;
}

/** Returns an md.book of `venue` with one level a side. */
export function book(venue: string, bid: string, ask: string, atUs: number, depth = '20'): BookSnapshot {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: BOOK_SNAPSHOT_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      venue,
      venueSymbol: INSTRUMENT,
      venueSequence: null,
      exchangeTimeUs: atUs,
      bids: [{ price: decimalString(bid), size: decimalString(depth) }],
      asks: [{ price: decimalString(ask), size: decimalString(depth) }],
      tickSize: decimalString('0.01'),
      lotSize: decimalString('0.01'),
    },
  );
}

/** Returns an fv.state with fair value `fairValue` on venue-a and venue-b at volatility `sigmaEff`. */
export function fairValue(value: number, atUs: number, sigmaEff = 0.00015): FairValueState {
  return withEnvelope(
    { producer: 'fair-value', valueType: FAIR_VALUE_STATE_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      fvAvailable: true,
      fairValue: value,
      fairValueVariance: 0.01,
      healthyVenuesUsed: ['venue-a', 'venue-b'],
      healthyVenuesUsedCount: 2,
      minHealthyVenues: 2,
      observations: [
        { venue: 'venue-a', status: 'HEALTHY', mid: value, ageUs: 0 },
        { venue: 'venue-b', status: 'HEALTHY', mid: value, ageUs: 0 },
      ],
      sigmaShort: sigmaEff,
      sigmaLong: sigmaEff,
      sigmaEff,
      sigmaMin: 0.00005,
      spreadVolScalar: 1,
      sizeVolScalar: 1,
      bandVolScalar: 1,
    },
  );
}

/** Returns a risk.state with `regime` and the kill switch as given. */
export function riskState(regime: RiskRegime, killSwitch: boolean, atUs: number): RiskState {
  return withEnvelope(
    { producer: 'risk-shield', valueType: RISK_STATE_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      regime,
      killSwitch,
      killReason: killSwitch ? 'DELTA_LIMIT' : null,
      killLatchedAtUs: killSwitch ? atUs : null,
      paused: false,
      limits: [],
      netDelta: decimalString('0'),
      dailyPnl: decimalString('0'),
    },
  );
}

/** Returns an md.funding of `venue`. */
export function funding(venue: string, rate: string, atUs: number): FundingRate {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: FUNDING_RATE_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    { instrument: INSTRUMENT, venue, rate: decimalString(rate), predictedRate: null, intervalUs: 60_000_000, nextFundingTimeUs: PRESET_START_US + 60_000_000 },
  );
}

/** Returns an md.mark of `venue`. */
export function mark(venue: string, price: string, atUs: number): MarkPrice {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: MARK_PRICE_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    { instrument: INSTRUMENT, venue, markPrice: decimalString(price), exchangeTimeUs: atUs },
  );
}

/** The order an order event is about. */
export interface OrderRef {
  readonly intentId: string;
  readonly clientOrderId: string;
  readonly venue: string;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
}

/** Returns an order.event of `kind` without a fill (SUBMITTED, ACKED, CANCELLED or REJECTED). */
export function orderEvent(kind: Exclude<OrderEventKind, 'FILLED' | 'POSITION_CLOSED'>, order: OrderRef, atUs: number): OrderEvent {
  return withEnvelope(
    { producer: 'execution-router', valueType: ORDER_EVENT_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      kind,
      clientOrderId: order.clientOrderId,
      venueOrderId: null,
      intentId: order.intentId,
      strategyId: 'mm-1',
      venue: order.venue,
      side: order.side,
      price: decimalString(order.price),
      size: decimalString(order.size),
      idempotencyKey: `${order.clientOrderId}-${kind}-${atUs}`,
      fill: null,
      reject: kind === 'REJECTED' ? { reason: 'OTHER', venueCode: null, message: 'rejected' } : null,
      cancel: kind === 'CANCELLED' ? { cancelledQuantity: decimalString(order.size), requested: false } : null,
      positionClose: null,
    },
  );
}

/** Returns a FILLED order.event of `quantity` at `price`, with `remaining` still open. */
export function fillEvent(order: OrderRef, quantity: string, price: string, remaining: string, atUs: number): OrderEvent {
  return withEnvelope(
    { producer: 'execution-router', valueType: ORDER_EVENT_TYPE, instrument: INSTRUMENT, sequence: next(), eventTimeUs: atUs, causation: [] },
    {
      instrument: INSTRUMENT,
      kind: 'FILLED',
      clientOrderId: order.clientOrderId,
      venueOrderId: `v-${order.clientOrderId}`,
      intentId: order.intentId,
      strategyId: 'mm-1',
      venue: order.venue,
      side: order.side,
      price: decimalString(order.price),
      size: decimalString(order.size),
      idempotencyKey: `${order.clientOrderId}-fill-${atUs}`,
      fill: {
        fillId: `fill-${order.clientOrderId}-${atUs}`,
        venueFillId: `${atUs}`,
        quantity: decimalString(quantity),
        price: decimalString(price),
        fee: decimalString('0.1'),
        feeCurrency: 'USDT',
        liquidity: 'MAKER',
        cumulativeQuantity: decimalString(quantity),
        remainingQuantity: decimalString(remaining),
      },
      reject: null,
      cancel: null,
      positionClose: null,
    },
  );
}

/** Returns a market-making order of someone else's (a quote) on `venue`, to fill. */
export function quote(venue: string, side: Side, size: string, price: string): OrderRef {
  return { intentId: `quote-${venue}-${side}-${size}`, clientOrderId: `q-${venue}-${side}-${size}`, venue, side, price, size };
}

const TOPIC_OF: Readonly<Record<string, TopicSpec>> = {
  [BOOK_SNAPSHOT_TYPE]: Topics.mdBook,
  [FUNDING_RATE_TYPE]: Topics.mdFunding,
  [MARK_PRICE_TYPE]: Topics.mdMark,
  [FAIR_VALUE_STATE_TYPE]: Topics.fvState,
  [RISK_STATE_TYPE]: Topics.riskState,
  [ORDER_EVENT_TYPE]: Topics.orderEvent,
};

type AnyInput = BookSnapshot | FundingRate | MarkPrice | FairValueState | RiskState | OrderEvent;

function typeOf(value: AnyInput): string {
  if ('kind' in value && 'clientOrderId' in value) return ORDER_EVENT_TYPE;
  if ('killSwitch' in value) return RISK_STATE_TYPE;
  if ('fvAvailable' in value) return FAIR_VALUE_STATE_TYPE;
  if ('markPrice' in value) return MARK_PRICE_TYPE;
  if ('rate' in value) return FUNDING_RATE_TYPE;
  return BOOK_SNAPSHOT_TYPE;
}

/** Returns tick `n` of `partition` holding `values`, each as the lane event of its topic. */
export function laneTick(n: number, values: readonly AnyInput[], partition = 0): LaneTick {
  const events: LaneEvent[] = values.map((value, i) => {
    const spec = TOPIC_OF[typeOf(value)];
    return { topic: spec.name, partition, offset: String(n * 100 + i), tick: n, producer: value.envelope.producer, timestampMs: '0', value };
  });
  return { partition, tick: n, tickTimeUs: tickTime(n), events };
}

/** Returns fresh books on both venues and a fair value, all 10 ms before tick `n` closes. */
export function market(n: number, fv = 3000, spread = '0.1'): AnyInput[] {
  const at = tickTime(n) - 10_000;
  const half = Number(spread) / 2;
  const bid = (fv - half).toFixed(2);
  const ask = (fv + half).toFixed(2);
  return [book('venue-a', bid, ask, at), book('venue-b', bid, ask, at), fairValue(fv, at)];
}
