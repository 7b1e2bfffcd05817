import { type BookSnapshot, type CatalogueTopic, decimalString, type KillReason, ORDER_COMMAND_TYPE, type OrderCommand, RISK_STATE_TYPE, type RiskState, type TimeInForce, Topics, type Trade } from '@fleet/contracts';
import { deriveClientOrderId, deriveId, deriveIntentId, type Side, type SimVenueSpec } from '@fleet/core';
import { bookEvent, tradeEvent } from '@fleet/core/testing';
import { bookSnapshotFromSim, tradeFromSim, withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneSessionConfig, type LaneTick, laneScenario } from '@fleet/service';

/** Test support for execution-router: input events as their producers write them, and lane ticks. */

/** The session of the specs: the calm preset on two venues (venue-a: maker 0.5 bp, taker 4 bp, 15 ms; venue-b: maker 1 bp, taker 5 bp, 25 ms). */
export const SPEC_SESSION: LaneSessionConfig = { scenario: 'calm', seed: 3, durationUs: 4_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'] };

/** The session start. */
export const START_US = laneScenario(SPEC_SESSION, 'ETH-PERP').sim.startTimeUs;

/** Returns the venue spec of `venue` in the spec session. */
export function specVenue(venue: string, instrument = 'ETH-PERP'): SimVenueSpec {
  return laneScenario(SPEC_SESSION, instrument).sim.venues.find((v) => v.venue === venue)!;
}

/** Returns an md.book of `venue`: `levels` levels a cent apart from bid and ask, with the given sizes. */
export function book(venue: string, bid: number, ask: number, atUs: number, opts: { bidSize?: number; askSize?: number; levels?: number; sequence?: number } = {}): BookSnapshot {
  const sequence = opts.sequence ?? atUs - START_US + 1;
  return bookSnapshotFromSim(bookEvent(venue, bid, ask, atUs, { levels: opts.levels ?? 3, step: 0.01, bidSize: opts.bidSize, askSize: opts.askSize, sequence }), specVenue(venue), sequence);
}

/** Returns an md.trade of `venue`. */
export function trade(venue: string, price: number, size: number, aggressor: Side, atUs: number): Trade {
  return tradeFromSim(tradeEvent(venue, price, size, aggressor, atUs, atUs - START_US + 1), specVenue(venue), atUs - START_US + 1);
}

/** Returns a risk.state of ETH-PERP with the kill switch latched (with `reason`) or not. */
export function riskState(killed: boolean, atUs: number, reason: KillReason = 'DAILY_LOSS_LIMIT', instrument = 'ETH-PERP'): RiskState {
  return withEnvelope(
    { producer: 'risk-shield', valueType: RISK_STATE_TYPE, instrument, sequence: atUs - START_US + 1, eventTimeUs: atUs, causation: [] },
    {
      instrument,
      regime: killed ? 'HARD_LIMIT' : 'NORMAL',
      killSwitch: killed,
      killReason: killed ? reason : null,
      killLatchedAtUs: killed ? atUs : null,
      paused: false,
      limits: [],
      netDelta: decimalString('0'),
      dailyPnl: decimalString('0'),
    },
  );
}

/** The terms of a PLACE in the specs. */
export interface PlaceTerms {
  readonly venue: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly size: string;
  readonly timeInForce: TimeInForce;
  /** Distinguishes intents of one tick. */
  readonly n: number;
  readonly instrument?: string;
}

/** Returns a PLACE order.command as budget-ledger writes it: ids derived from the intent. */
export function place(terms: PlaceTerms, atUs: number): OrderCommand {
  const instrument = terms.instrument ?? 'ETH-PERP';
  const intentId = deriveIntentId('mm-1', 'mm-budget', atUs, terms.n);
  return withEnvelope(
    { producer: 'budget-ledger', valueType: ORDER_COMMAND_TYPE, instrument, sequence: terms.n + 1, eventTimeUs: atUs, causation: [deriveId('decision', [intentId])] },
    {
      instrument,
      kind: 'PLACE' as const,
      venue: terms.venue,
      clientOrderId: deriveClientOrderId(intentId, terms.venue),
      idempotencyKey: deriveId('command', [intentId]),
      intentId,
      strategyId: 'mm-1',
      placement: { side: terms.side, price: decimalString(terms.price), size: decimalString(terms.size), timeInForce: terms.timeInForce, reduceOnly: false, budgetId: 'mm-budget', reservedAmount: decimalString('1000') },
    },
  );
}

/** Returns a CANCEL order.command of the order `placed` asked for. */
export function cancel(placed: OrderCommand, atUs: number): OrderCommand {
  return withEnvelope(
    { producer: 'budget-ledger', valueType: ORDER_COMMAND_TYPE, instrument: placed.instrument, sequence: placed.envelope.sequence + 1_000_000, eventTimeUs: atUs, causation: [placed.envelope.eventId] },
    {
      instrument: placed.instrument,
      kind: 'CANCEL' as const,
      venue: placed.venue,
      clientOrderId: placed.clientOrderId,
      idempotencyKey: deriveId('cancel', [placed.clientOrderId]),
      intentId: placed.intentId,
      strategyId: placed.strategyId,
      placement: null,
    },
  );
}

/** Returns a lane event of `topic` carrying `value`. */
export function laneEvent(topic: CatalogueTopic, producer: string, value: object, offset: number, tick: number): LaneEvent {
  return { topic: topic.name, partition: 2, offset: String(offset), tick, producer, timestampMs: '0', value };
}

/** Returns tick `tick` of lane 2 (closing at START_US + (tick + 1) × 250 ms) with the inputs given, in the canonical order (books, trades, risk, commands). */
export function laneTick(tick: number, inputs: { books?: BookSnapshot[]; trades?: Trade[]; risk?: RiskState[]; commands?: OrderCommand[] }): LaneTick {
  const events: LaneEvent[] = [
    ...(inputs.books ?? []).map((v, i) => laneEvent(Topics.mdBook, 'market-gateway', v, i, tick)),
    ...(inputs.trades ?? []).map((v, i) => laneEvent(Topics.mdTrade, 'market-gateway', v, i, tick)),
    ...(inputs.risk ?? []).map((v, i) => laneEvent(Topics.riskState, 'risk-shield', v, i, tick)),
    ...(inputs.commands ?? []).map((v, i) => laneEvent(Topics.orderCommand, 'budget-ledger', v, i, tick)),
  ];
  return { partition: 2, tick, tickTimeUs: closeOf(tick), events };
}

/** Returns the close of tick `tick`. */
export function closeOf(tick: number): number {
  return START_US + (tick + 1) * SPEC_SESSION.tickUs;
}
