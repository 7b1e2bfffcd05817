import { type BookSnapshot, type OrderCommand, type OrderEvent as OrderEventRecord, type OrderRejectReason, type RiskState, type TimeInForce, type Trade } from '@fleet/contracts';
import {
  type BookEvent,
  type ExchangeEvent,
  isWorking,
  Money,
  type OrderEvent,
  type PaperOrderRequest,
  Price,
  Quantity,
  type RejectReason,
  type SimVenueSpec,
  type TradeEvent,
} from '@fleet/core';
import { EXECUTION_ROUTER_SERVICE } from './execution-router.constants';
import { applyStep, orderEventRecord, orderOfPlace, type RoutedOrder, type RoutedOrderJson, routedFromJson, routedToJson, type StepDetail } from './order-events';
import { JournaledPaperExchange, type PaperJournal } from './paper-journal';

/** How long a finished order's client order id is remembered, so that a repeated PLACE of it is ignored: two minutes of event time. */
export const DEDUPE_HORIZON_US = 120_000_000;

/** A market-data input of a tick: a book or a trade with its eventId. */
export type MarketInput = { readonly kind: 'book'; readonly book: BookSnapshot } | { readonly kind: 'trade'; readonly trade: Trade };

/** The inputs of one instrument in one tick, each in the tick's canonical order. */
export interface InstrumentTickInputs {
  readonly market: readonly MarketInput[];
  readonly risk: readonly RiskState[];
  readonly commands: readonly OrderCommand[];
}

/** The latched kill switch: the reason risk-shield gave and the risk.state that latched it. */
export interface KillLatch {
  readonly reason: string;
  readonly eventId: string;
}

/** The JSON state of one instrument's paper routing. */
export interface PaperRouterState {
  readonly instrument: string;
  /** The sequence of the last order.event produced for the instrument (0 before the first). */
  readonly sequence: number;
  readonly kill: KillLatch | null;
  /** The working orders, in the order they were placed. */
  readonly orders: readonly RoutedOrderJson[];
  /** Finished orders' client order ids and until when a repeated PLACE of them is ignored, oldest first. */
  readonly retired: readonly { readonly clientOrderId: string; readonly untilUs: number }[];
  readonly exchange: PaperJournal;
}

const TIME_IN_FORCE: Readonly<Record<TimeInForce, PaperOrderRequest['timeInForce']>> = { GTC: 'gtc', IOC: 'ioc', POST_ONLY: 'post-only' };

const REJECT_REASON: Readonly<Record<RejectReason, OrderRejectReason>> = {
  'post-only-would-cross': 'POST_ONLY_WOULD_TAKE',
  'venue-down': 'VENUE_UNAVAILABLE',
  'duplicate-client-order-id': 'DUPLICATE_CLIENT_ORDER_ID',
  'invalid-order': 'OTHER',
  'unknown-order': 'OTHER',
};

const CANCELLABLE = new Set(['in_flight', 'unknown', 'acked', 'partially_filled']);

function timeOf(input: MarketInput): number {
  return input.kind === 'book' ? input.book.envelope.eventTimeUs : input.trade.envelope.eventTimeUs;
}

function idOf(input: MarketInput): string {
  return input.kind === 'book' ? input.book.envelope.eventId : input.trade.envelope.eventId;
}

/** Returns the paper exchange's book of a BookSnapshot (prices and sizes are the exact venue text, read onto the venue grid by the exchange). */
export function bookEventOf(book: BookSnapshot): BookEvent {
  const level = (l: { readonly price: string; readonly size: string }): { price: number; size: number } => ({ price: Number(l.price), size: Number(l.size) });
  return { type: 'book', venue: book.venue, instrument: book.instrument, eventTimeUs: book.envelope.eventTimeUs, sequence: book.venueSequence ?? book.envelope.sequence, bids: book.bids.map(level), asks: book.asks.map(level) };
}

/**
 * Returns the paper exchange's trade of a Trade. A trade without an aggressor side is a buy
 * when it prints at or above the mid of the venue's last book, a sell below it; without a
 * book it cannot be placed and is left out (undefined).
 */
export function tradeEventOf(trade: Trade, lastBook: BookEvent | undefined): TradeEvent | undefined {
  const price = Number(trade.price);
  let aggressor: TradeEvent['aggressor'];
  if (trade.aggressorSide !== null) aggressor = trade.aggressorSide === 'BUY' ? 'buy' : 'sell';
  else {
    const bid = lastBook?.bids[0]?.price;
    const ask = lastBook?.asks[0]?.price;
    if (bid === undefined || ask === undefined) return undefined;
    aggressor = price >= (bid + ask) / 2 ? 'buy' : 'sell';
  }
  return { type: 'trade', venue: trade.venue, instrument: trade.instrument, eventTimeUs: trade.envelope.eventTimeUs, sequence: trade.envelope.sequence, price, size: Number(trade.size), aggressor };
}

/**
 * The paper routing of one instrument: a core PaperExchange on the instrument's session venues
 * (kept replayable, see paper-journal.ts) and every order bound to the core order machine.
 * One tick: the market events in event-time order (the exchange advanced to each one's time,
 * then fed it), the exchange advanced to the tick's close, then risk.state (a newly latched
 * kill switch cancels every working order; while it stays latched every PLACE is rejected with
 * KILL_SWITCH), then the commands (PLACE submits at the tick's close, the venue latency being
 * the exchange's; CANCEL and CANCEL_ALL cancel), then the exchange advanced to the close again.
 * Every lifecycle step the contract has a kind for is one order.event at its own event time.
 */
export class PaperOrderRouter {
  private sequence = 0;
  private kill: KillLatch | null = null;
  private readonly orders = new Map<string, RoutedOrder>();
  private retired: { clientOrderId: string; untilUs: number }[] = [];
  private readonly retiredIds = new Set<string>();

  private constructor(
    readonly instrument: string,
    private readonly feeCurrency: string,
    private readonly exchange: JournaledPaperExchange,
  ) {}

  /** Returns the router of `instrument` on `venues`, booking fees in `feeCurrency`. */
  static create(instrument: string, venues: readonly SimVenueSpec[], feeCurrency: string): PaperOrderRouter {
    return new PaperOrderRouter(instrument, feeCurrency, JournaledPaperExchange.create(instrument, venues));
  }

  /** Returns the router `state` describes (its exchange rebuilt on `venues`). */
  static fromState(state: PaperRouterState, venues: readonly SimVenueSpec[], feeCurrency: string): PaperOrderRouter {
    const router = new PaperOrderRouter(state.instrument, feeCurrency, JournaledPaperExchange.fromJournal(state.instrument, venues, state.exchange));
    router.sequence = state.sequence;
    router.kill = state.kill;
    for (const o of state.orders) router.orders.set(o.order.clientOrderId, routedFromJson(o));
    router.retired = state.retired.map((r) => ({ ...r }));
    for (const r of state.retired) router.retiredIds.add(r.clientOrderId);
    return router;
  }

  /** Returns the state as plain JSON. */
  toState(): PaperRouterState {
    return {
      instrument: this.instrument,
      sequence: this.sequence,
      kill: this.kill,
      orders: [...this.orders.values()].map(routedToJson),
      retired: this.retired.map((r) => ({ ...r })),
      exchange: this.exchange.toJournal(),
    };
  }

  /** Returns the venues of the exchange, in configuration order. */
  venues(): readonly string[] {
    return this.exchange.venueSpecs().map((v) => v.venue);
  }

  /** Returns the number of orders resting on `venue`. */
  restingCount(venue: string): number {
    return this.exchange.restingCount(venue);
  }

  /** Returns the working order with `clientOrderId`, if any. */
  order(clientOrderId: string): RoutedOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  /** Processes one tick closing at `nowUs` and returns its order.event records, in order. */
  onTick(nowUs: number, inputs: InstrumentTickInputs): OrderEventRecord[] {
    const out: OrderEventRecord[] = [];
    const market = [...inputs.market].sort((a, b) => timeOf(a) - timeOf(b));
    for (const input of market) {
      this.drain(this.exchange.advanceTo(timeOf(input)), undefined, out);
      const event = input.kind === 'book' ? bookEventOf(input.book) : tradeEventOf(input.trade, this.exchange.lastBook(input.trade.venue));
      if (event !== undefined) this.drain(this.exchange.onMarket(event), idOf(input), out);
    }
    this.drain(this.exchange.advanceTo(nowUs), undefined, out);
    for (const state of inputs.risk) this.onRisk(state, nowUs);
    for (const command of inputs.commands) this.onCommand(command, nowUs, out);
    this.drain(this.exchange.advanceTo(nowUs), undefined, out);
    this.exchange.compact();
    this.forgetRetired(nowUs);
    return out;
  }

  private onRisk(state: RiskState, nowUs: number): void {
    if (!state.killSwitch) {
      this.kill = null;
      return;
    }
    if (this.kill !== null) return;
    this.kill = { reason: state.killReason ?? 'unspecified', eventId: state.envelope.eventId };
    for (const routed of [...this.orders.values()]) this.cancel(routed, state.envelope.eventId, nowUs);
  }

  private onCommand(command: OrderCommand, nowUs: number, out: OrderEventRecord[]): void {
    switch (command.kind) {
      case 'PLACE':
        this.place(command, nowUs, out);
        return;
      case 'CANCEL': {
        const routed = command.clientOrderId === null ? undefined : this.orders.get(command.clientOrderId);
        if (routed !== undefined && routed.order.venue === command.venue) this.cancel(routed, command.envelope.eventId, nowUs);
        return;
      }
      case 'CANCEL_ALL':
        for (const routed of [...this.orders.values()]) {
          if (routed.order.venue === command.venue && (command.strategyId === null || routed.order.strategyId === command.strategyId)) this.cancel(routed, command.envelope.eventId, nowUs);
        }
        return;
    }
  }

  private place(command: OrderCommand, nowUs: number, out: OrderEventRecord[]): void {
    const id = command.clientOrderId;
    // A client order id seen before is the same order: the command is not executed again.
    if (id === null || this.orders.has(id) || this.retiredIds.has(id)) return;
    const routed = orderOfPlace(command, nowUs);
    if (routed === undefined) return;
    if (this.kill !== null) {
      this.refuse(routed, 'KILL_SWITCH', `kill switch latched (${this.kill.reason}): no new orders`, [routed.commandEventId, this.kill.eventId], nowUs, out);
      return;
    }
    if (!this.exchange.hasVenue(command.venue)) {
      this.refuse(routed, 'VENUE_UNAVAILABLE', `venue ${command.venue} is not a venue of ${this.instrument} on the paper exchange`, [routed.commandEventId], nowUs, out);
      return;
    }
    this.apply(routed, { type: 'submit', atUs: nowUs }, {}, nowUs, [routed.commandEventId], out);
    this.exchange.submit({ clientOrderId: routed.order.clientOrderId, venue: routed.order.venue, side: routed.order.side, price: routed.price, size: routed.size, timeInForce: TIME_IN_FORCE[routed.timeInForce] }, nowUs);
  }

  /** Rejects an order before it reaches the venue: it is submitted to the router and refused by it in the same instant. */
  private refuse(routed: RoutedOrder, reason: OrderRejectReason, message: string, causation: readonly string[], nowUs: number, out: OrderEventRecord[]): void {
    const sent = applyStep(routed, { type: 'submit', atUs: nowUs }).routed;
    this.apply(sent, { type: 'reject', venueEventId: `router:${reason}`, reason: message, atUs: nowUs }, { reject: { reason, venueCode: null, message } }, nowUs, causation, out);
  }

  private cancel(routed: RoutedOrder, cause: string, nowUs: number): void {
    if (!CANCELLABLE.has(routed.order.status)) return;
    this.orders.set(routed.order.clientOrderId, { ...applyStep(routed, { type: 'cancel_request', atUs: nowUs }).routed, cancelCause: cause });
    this.exchange.cancel(routed.order.venue, routed.order.clientOrderId, nowUs);
  }

  private drain(events: readonly ExchangeEvent[], marketEventId: string | undefined, out: OrderEventRecord[]): void {
    for (const e of events) {
      const routed = this.orders.get(e.clientOrderId);
      // The answer to a cancel of an order that already finished concerns nothing working.
      if (routed === undefined) continue;
      const step = this.venueStep(routed, e);
      if (step === undefined) continue;
      const causes = [routed.commandEventId];
      if (e.type === 'fill' && marketEventId !== undefined) causes.push(marketEventId);
      if (e.type === 'order-cancelled' && e.reason === 'requested' && routed.cancelCause !== null) causes.push(routed.cancelCause);
      this.apply(routed, step.event, step.detail, e.eventTimeUs, causes, out);
    }
  }

  /** Returns the core order event of an exchange event (venue event ids are the exchange's fill id or the event's kind and time). */
  private venueStep(routed: RoutedOrder, e: ExchangeEvent): { readonly event: OrderEvent; readonly detail: StepDetail } | undefined {
    const atUs = e.eventTimeUs;
    switch (e.type) {
      case 'order-accepted':
        return { event: { type: 'ack', venueEventId: `accepted@${atUs}`, venueOrderId: `${e.venue}:${e.clientOrderId}`, atUs }, detail: {} };
      case 'order-rejected': {
        if (e.cancel) return routed.order.status === 'cancel_requested' ? { event: { type: 'cancel_rejected', venueEventId: `cancel-rejected@${atUs}`, reason: e.reason, atUs }, detail: {} } : undefined;
        const reject = { reason: REJECT_REASON[e.reason], venueCode: e.reason, message: `the paper exchange rejected the order: ${e.reason}` };
        return { event: { type: 'reject', venueEventId: `rejected@${atUs}`, reason: e.reason, atUs }, detail: { reject } };
      }
      case 'order-cancelled':
        return { event: { type: 'cancelled', venueEventId: `cancelled@${atUs}`, atUs }, detail: { cancelRequested: e.reason === 'requested' } };
      case 'fill':
        return {
          event: { type: 'fill', venueTradeId: e.fillId, quantity: Quantity.create(e.size), price: Price.create(e.price), fee: Money.create(e.fee, this.feeCurrency), liquidity: e.liquidity, atUs },
          detail: {},
        };
    }
  }

  private apply(routed: RoutedOrder, event: OrderEvent, detail: StepDetail, eventTimeUs: number, causation: readonly string[], out: OrderEventRecord[]): void {
    const step = applyStep(routed, event, detail);
    if (step.duplicate) return;
    const id = step.routed.order.clientOrderId;
    if (isWorking(step.routed.order.status)) this.orders.set(id, step.routed);
    else {
      this.orders.delete(id);
      this.retired.push({ clientOrderId: id, untilUs: eventTimeUs + DEDUPE_HORIZON_US });
      this.retiredIds.add(id);
    }
    if (step.body === undefined) return;
    this.sequence += 1;
    out.push(orderEventRecord(step.body, { producer: EXECUTION_ROUTER_SERVICE, sequence: this.sequence, eventTimeUs, causation, correlationId: routed.correlationId }));
  }

  private forgetRetired(nowUs: number): void {
    const keep = this.retired.filter((r) => r.untilUs >= nowUs);
    for (const r of this.retired) if (r.untilUs < nowUs) this.retiredIds.delete(r.clientOrderId);
    this.retired = keep;
  }
}
