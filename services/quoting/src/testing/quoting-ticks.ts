import {
  type BookSnapshot,
  decimalString,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState as FairValueStateEvent,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  RISK_STATE_TYPE,
  type RiskRegime,
  type RiskState,
  type StrategyIntent,
  Topics,
  type TopicSpec,
} from '@fleet/contracts';
import { type BookEvent, deriveClientOrderId, deriveIdempotencyKey, generateMarketEvents } from '@fleet/core';
import { bookSnapshotFromSim, MARKET_GATEWAY, withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneOutput, type LaneSessionConfig, laneRunnerConfig, laneScenario, laneSeed, type LaneTick } from '@fleet/service';
// The fair-value service's own tracker makes the fv.state events quoting consumes.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { FairValueTracker } from '../../../fair-value/src/fair-value-tracker';
import { EXECUTION_ROUTER_PRODUCER, FAIR_VALUE_PRODUCER, RISK_SHIELD_PRODUCER } from '../quoting.constants';

/** The market inputs of one tick: its books and the fv.state each produced. */
export interface MarketTick {
  readonly tick: number;
  readonly tickTimeUs: number;
  readonly books: readonly BookSnapshot[];
  readonly fairValues: readonly FairValueStateEvent[];
}

/** Returns a calm two-venue session of `durationUs` with 250 ms ticks on ETH-PERP. */
export function testSession(overrides: Partial<LaneSessionConfig> = {}): LaneSessionConfig {
  return { scenario: 'calm', seed: 1, durationUs: 6_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'], ...overrides };
}

/** Returns the tick whose window (tickTimeUs − tickUs, tickTimeUs] holds `atUs`, counting from the session start. */
export function tickOf(startUs: number, tickUs: number, atUs: number): number {
  return Math.max(1, Math.ceil((atUs - startUs) / tickUs));
}

/** Returns the simulated books of `instrument` (core MarketSim) and their fv.state events (FairValueTracker), grouped into the session's ticks. */
export function simulatedMarketTicks(session: LaneSessionConfig, instrument: string, partition = 0): MarketTick[] {
  const scenario = laneScenario(session, instrument);
  const specs = new Map(scenario.sim.venues.map((v) => [v.venue, v] as const));
  const tracker = new FairValueTracker(laneRunnerConfig(session, instrument).strategy);
  const start = scenario.sim.startTimeUs;
  const count = Math.ceil(scenario.sim.durationUs / session.tickUs);
  const ticks = Array.from({ length: count }, (_, i) => ({ tick: i + 1, tickTimeUs: start + (i + 1) * session.tickUs, books: [] as BookSnapshot[], fairValues: [] as FairValueStateEvent[] }));
  const books = generateMarketEvents(scenario, laneSeed(session, instrument)).filter((e): e is BookEvent => e.type === 'book');
  books.forEach((e, i) => {
    const t = ticks[tickOf(start, session.tickUs, e.eventTimeUs) - 1];
    if (t === undefined) return;
    const book = bookSnapshotFromSim(e, specs.get(e.venue)!, i + 1);
    t.books.push(book);
    t.fairValues.push(tracker.onBook(book, partition).event);
  });
  return ticks;
}

/** Returns a decoded lane event of `spec` as the runtime hands it over. */
export function laneEvent(spec: TopicSpec, producer: string, partition: number, tick: number, offset: number, value: object): LaneEvent {
  return { topic: spec.name, partition, offset: String(offset), tick, producer, timestampMs: '0', value };
}

/** Returns a lane tick in the declared input order: books, fv.states, then the delayed risk.states and order events. */
export function quotingTick(partition: number, market: MarketTick, delayed: { readonly risk?: readonly RiskState[]; readonly orders?: readonly OrderEvent[] } = {}): LaneTick {
  const events: LaneEvent[] = [
    ...market.books.map((b, i) => laneEvent(Topics.mdBook, MARKET_GATEWAY, partition, market.tick, i, b)),
    ...market.fairValues.map((f, i) => laneEvent(Topics.fvState, FAIR_VALUE_PRODUCER, partition, market.tick, i, f)),
    ...(delayed.risk ?? []).map((r, i) => laneEvent(Topics.riskState, RISK_SHIELD_PRODUCER, partition, market.tick - 1, i, r)),
    ...(delayed.orders ?? []).map((o, i) => laneEvent(Topics.orderEvent, EXECUTION_ROUTER_PRODUCER, partition, market.tick - 1, i, o)),
  ];
  return { partition, tick: market.tick, tickTimeUs: market.tickTimeUs, events };
}

/** Returns the strategy.intents among a tick's outputs. */
export function intentsOf(outputs: readonly LaneOutput[]): StrategyIntent[] {
  return outputs.filter((o) => o.spec.name === Topics.strategyIntent.name).map((o) => o.value as StrategyIntent);
}

/** Returns the client order id of a PLACE intent, as budget-ledger derives it from the intent id. */
export function clientOrderIdOf(intent: StrategyIntent): string {
  return intent.action === 'PLACE' ? deriveClientOrderId(intent.intentId, intent.venue) : intent.targetClientOrderId!;
}

/** Makes execution-router's order events for a test, with per-instrument sequences. */
export class TestRouter {
  private sequence = 0;

  /** Returns one order event about `intent`'s order. */
  event(intent: StrategyIntent, kind: OrderEvent['kind'], atUs: number, detail: Partial<Pick<OrderEvent, 'fill' | 'reject' | 'cancel'>> = {}): OrderEvent {
    this.sequence += 1;
    const clientOrderId = clientOrderIdOf(intent);
    return withEnvelope(
      { producer: EXECUTION_ROUTER_PRODUCER, valueType: ORDER_EVENT_TYPE, instrument: intent.instrument, sequence: this.sequence, eventTimeUs: atUs, causation: [intent.envelope.eventId] },
      {
        instrument: intent.instrument,
        kind,
        clientOrderId,
        venueOrderId: kind === 'SUBMITTED' ? null : `v-${clientOrderId}`,
        intentId: intent.intentId,
        strategyId: intent.strategyId,
        venue: intent.venue,
        side: intent.side,
        price: intent.price,
        size: intent.size,
        idempotencyKey: deriveIdempotencyKey(clientOrderId, kind, String(this.sequence)),
        fill: detail.fill ?? null,
        reject: detail.reject ?? null,
        cancel: detail.cancel ?? null,
        positionClose: null,
      },
    );
  }

  /** Returns the events of a router that carries out every intent: a PLACE is submitted and acked, a CANCEL cancels its target. */
  carryOut(intents: readonly StrategyIntent[], atUs: number): OrderEvent[] {
    return intents.flatMap((i) =>
      i.action === 'PLACE' ? [this.event(i, 'SUBMITTED', atUs), this.event(i, 'ACKED', atUs)] : [this.event(i, 'CANCELLED', atUs, { cancel: { cancelledQuantity: i.size, requested: true } })],
    );
  }

  /** Returns a maker fill of `quantity` of a PLACE intent's order at its limit price, leaving `remaining` open. */
  fill(intent: StrategyIntent, quantity: string, remaining: string, atUs: number): OrderEvent {
    return this.event(intent, 'FILLED', atUs, {
      fill: {
        fillId: `fill-${this.sequence}`,
        venueFillId: `vf-${this.sequence}`,
        quantity: decimalString(quantity),
        price: intent.price,
        fee: decimalString('0'),
        feeCurrency: 'USDT',
        liquidity: 'MAKER',
        cumulativeQuantity: decimalString(quantity),
        remainingQuantity: decimalString(remaining),
      },
    });
  }
}

/** Returns a risk.state of `instrument` from risk-shield. */
export function riskState(instrument: string, sequence: number, atUs: number, regime: RiskRegime, killSwitch: boolean, paused = false): RiskState {
  return withEnvelope(
    { producer: RISK_SHIELD_PRODUCER, valueType: RISK_STATE_TYPE, instrument, sequence, eventTimeUs: atUs, causation: [] },
    {
      instrument,
      regime,
      killSwitch,
      killReason: killSwitch ? 'DAILY_LOSS_LIMIT' : null,
      killLatchedAtUs: killSwitch ? atUs : null,
      paused,
      limits: [],
      netDelta: decimalString('0'),
      dailyPnl: decimalString('0'),
    },
  );
}

/** Returns a one-level md.book of `venue` at `atUs`, made from a simulated book event on the session's venue grid. */
export function fixedBook(session: LaneSessionConfig, instrument: string, venue: string, atUs: number, sequence: number, bid: number, ask: number, size = 3): BookSnapshot {
  const spec = laneScenario(session, instrument).sim.venues.find((v) => v.venue === venue)!;
  const event: BookEvent = { type: 'book', venue, instrument, eventTimeUs: atUs, sequence, bids: [{ price: bid, size }], asks: [{ price: ask, size }] };
  return bookSnapshotFromSim(event, spec, sequence);
}

/** Returns a copy of an fv.state at `atUs` whose fair value moved by `delta` (the volatility and gating unchanged). */
export function movedFairValue(fv: FairValueStateEvent, delta: number, atUs: number, sequence: number): FairValueStateEvent {
  const { envelope, ...payload } = fv;
  return withEnvelope(
    { producer: FAIR_VALUE_PRODUCER, valueType: FAIR_VALUE_STATE_TYPE, instrument: fv.instrument, sequence, eventTimeUs: atUs, causation: envelope.causation },
    { ...payload, fairValue: fv.fairValue! + delta },
  );
}
