import { type OrderCommand, type OrderEvent as OrderEventRecord, type OrderRejectReason, type RiskState } from '@fleet/contracts';
import { isWorking, type Order, type OrderEvent } from '@fleet/core';
import { type CancelOutcome, type GatewayStep, type PlaceOutcome, type QueryOutcome, type RefusalReason, type VenueClock } from '@fleet/venues';
import { EXECUTION_ROUTER_SERVICE } from './execution-router.constants';
import { applyStep, orderEventRecord, orderOfPlace, type RoutedOrder, type StepDetail } from './order-events';
import { DEDUPE_HORIZON_US } from './paper-order-router';

/** The part of VenueOrderGateway (libs/venues) the live router drives: submit once, resolve by client order id, cancel. */
export interface OrderGatewayPort {
  submit(order: Order): Promise<GatewayStep<PlaceOutcome | { readonly kind: 'refused'; readonly reason: RefusalReason }>>;
  resolve(clientOrderId: string): Promise<GatewayStep<QueryOutcome | { readonly kind: 'refused'; readonly reason: RefusalReason }>>;
  cancel(clientOrderId: string): Promise<GatewayStep<CancelOutcome>>;
}

/** What the live router is built from. */
export interface LiveVenueRouterOptions {
  /** The order gateway of each venue, by the venue id order commands name. */
  readonly gateways: Readonly<Record<string, OrderGatewayPort>>;
  /** Stamps the router's own steps (refusals); the gateways stamp venue steps with theirs. */
  readonly clock: VenueClock;
}

/** The normalised reason of a venue rejection, by the ccxt error class the adapter reports as its code. */
const CCXT_REJECT_REASON: Readonly<Record<string, OrderRejectReason>> = {
  InsufficientFunds: 'INSUFFICIENT_MARGIN',
  OrderImmediatelyFillable: 'POST_ONLY_WOULD_TAKE',
  DuplicateOrderId: 'DUPLICATE_CLIENT_ORDER_ID',
  RateLimitExceeded: 'RATE_LIMITED',
  DDoSProtection: 'RATE_LIMITED',
  OnMaintenance: 'VENUE_UNAVAILABLE',
  ExchangeNotAvailable: 'VENUE_UNAVAILABLE',
};

const CANCELLABLE = new Set(['in_flight', 'unknown', 'acked', 'partially_filled']);

/**
 * Routes order commands to real venues through their order gateways and turns every lifecycle
 * step into the same order.event records the paper router writes. Each order is on the core
 * order machine (a copy of the gateway's, fed the same events, so a repeated venue event is a
 * no-op); a submit that times out leaves the order working in status `unknown` — never failed,
 * never sent again (the gateway refuses a second submit of a client order id) — until
 * {@link resolveInFlight} queries the venue by its client order id. A latched kill switch
 * cancels every working order of the instrument and refuses every later PLACE. The venues take
 * limit GTC orders only: the gateway does not forward post-only or IOC yet, so such a PLACE is
 * refused rather than sent as a different order. Calls are processed one at a time, in call
 * order. State is in memory: after a restart the gateways' sent-sets come from the order.event
 * log (VenueOrderGateway's `alreadySent`).
 */
export class LiveVenueRouter {
  private readonly orders = new Map<string, RoutedOrder>();
  /** Finished orders' client order ids and until when (clock time) a repeated PLACE of them is ignored. */
  private readonly retired = new Map<string, number>();
  private readonly sequences = new Map<string, number>();
  private readonly kills = new Map<string, { readonly reason: string; readonly eventId: string }>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Returns a router over `options.gateways`. */
  constructor(private readonly options: LiveVenueRouterOptions) {}

  /** Returns the working order with `clientOrderId`, if any. */
  order(clientOrderId: string): RoutedOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  /** Executes a PLACE, CANCEL or CANCEL_ALL and returns the order.event records of what happened. */
  onCommand(command: OrderCommand): Promise<OrderEventRecord[]> {
    return this.serial(async () => {
      const out: OrderEventRecord[] = [];
      if (command.kind === 'PLACE') await this.place(command, out);
      else {
        const targets = [...this.orders.values()].filter((r) =>
          command.kind === 'CANCEL' ? r.order.clientOrderId === command.clientOrderId && r.order.venue === command.venue : r.order.venue === command.venue && (command.strategyId === null || r.order.strategyId === command.strategyId),
        );
        for (const routed of targets) await this.cancel(routed, command.envelope.eventId, out);
      }
      return out;
    });
  }

  /** Follows a risk.state: a newly latched kill switch cancels every working order of the instrument; a cleared one accepts orders again. */
  onRiskState(state: RiskState): Promise<OrderEventRecord[]> {
    return this.serial(async () => {
      const out: OrderEventRecord[] = [];
      if (!state.killSwitch) this.kills.delete(state.instrument);
      else if (!this.kills.has(state.instrument)) {
        this.kills.set(state.instrument, { reason: state.killReason ?? 'unspecified', eventId: state.envelope.eventId });
        for (const routed of [...this.orders.values()].filter((r) => r.order.instrument === state.instrument)) await this.cancel(routed, state.envelope.eventId, out);
      }
      return out;
    });
  }

  /** Queries the venue, by client order id, about every order whose submit is in flight or timed out, and returns what that resolved. */
  resolveInFlight(): Promise<OrderEventRecord[]> {
    return this.serial(async () => {
      const out: OrderEventRecord[] = [];
      for (const routed of [...this.orders.values()]) {
        if (routed.order.status !== 'in_flight' && routed.order.status !== 'unknown') continue;
        const step = await this.gateway(routed)!.resolve(routed.order.clientOrderId);
        this.follow(routed.order.clientOrderId, step.events, {}, out);
      }
      return out;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private gateway(routed: RoutedOrder): OrderGatewayPort | undefined {
    return Object.hasOwn(this.options.gateways, routed.order.venue) ? this.options.gateways[routed.order.venue] : undefined;
  }

  private async place(command: OrderCommand, out: OrderEventRecord[]): Promise<void> {
    const nowUs = this.options.clock.nowUs();
    for (const [id, untilUs] of this.retired) if (untilUs < nowUs) this.retired.delete(id);
    if (command.clientOrderId === null || this.orders.has(command.clientOrderId) || this.retired.has(command.clientOrderId)) return;
    const routed = orderOfPlace(command, nowUs);
    if (routed === undefined) return;
    const kill = this.kills.get(command.instrument);
    const gateway = this.gateway(routed);
    if (kill !== undefined) return this.refuse(routed, 'KILL_SWITCH', `kill switch latched (${kill.reason}): no new orders`, [routed.commandEventId, kill.eventId], out);
    if (gateway === undefined) return this.refuse(routed, 'VENUE_UNAVAILABLE', `venue ${command.venue} has no live order gateway`, [routed.commandEventId], out);
    if (routed.timeInForce !== 'GTC') return this.refuse(routed, 'OTHER', `the live venue path sends limit GTC orders only; time in force ${routed.timeInForce} is not forwarded by the order gateway`, [routed.commandEventId], out);
    this.orders.set(routed.order.clientOrderId, routed);
    const step = await gateway.submit(routed.order);
    // Refused: this client order id was sent in an earlier life of the process; it is not this router's to resend.
    if (step.outcome.kind === 'refused') this.orders.delete(routed.order.clientOrderId);
    const reject = step.outcome.kind === 'rejected' ? { reason: CCXT_REJECT_REASON[step.outcome.code] ?? 'OTHER', venueCode: step.outcome.code, message: step.outcome.reason } : undefined;
    this.follow(routed.order.clientOrderId, step.events, reject === undefined ? {} : { reject }, out);
  }

  private async cancel(routed: RoutedOrder, cause: string, out: OrderEventRecord[]): Promise<void> {
    if (!CANCELLABLE.has(routed.order.status)) return;
    const gateway = this.gateway(routed);
    if (gateway === undefined) return;
    this.orders.set(routed.order.clientOrderId, { ...routed, cancelCause: cause });
    const step = await gateway.cancel(routed.order.clientOrderId);
    this.follow(routed.order.clientOrderId, step.events, {}, out);
  }

  /** Rejects an order before it reaches a venue: it is submitted to the router and refused by it in the same instant. */
  private refuse(routed: RoutedOrder, reason: OrderRejectReason, message: string, causation: readonly string[], out: OrderEventRecord[]): void {
    const atUs = this.options.clock.nowUs();
    const sent = applyStep(routed, { type: 'submit', atUs }).routed;
    this.emit(sent, { type: 'reject', venueEventId: `router:${reason}`, reason: message, atUs }, { reject: { reason, venueCode: null, message } }, causation, out);
  }

  /** Applies the gateway's events to the router's copy of the order, in order, and emits their records. */
  private follow(clientOrderId: string, events: readonly OrderEvent[], detail: StepDetail, out: OrderEventRecord[]): void {
    for (const event of events) {
      const routed = this.orders.get(clientOrderId);
      if (routed === undefined) return;
      const causes = event.type === 'cancelled' && routed.cancelCause !== null ? [routed.commandEventId, routed.cancelCause] : [routed.commandEventId];
      this.emit(routed, event, event.type === 'reject' ? detail : {}, causes, out);
    }
  }

  private emit(routed: RoutedOrder, event: OrderEvent, detail: StepDetail, causation: readonly string[], out: OrderEventRecord[]): void {
    const step = applyStep(routed, event, detail);
    if (step.duplicate) return;
    const id = step.routed.order.clientOrderId;
    if (isWorking(step.routed.order.status)) this.orders.set(id, step.routed);
    else {
      this.orders.delete(id);
      this.retired.set(id, event.atUs + DEDUPE_HORIZON_US);
    }
    if (step.body === undefined) return;
    const sequence = (this.sequences.get(step.body.instrument) ?? 0) + 1;
    this.sequences.set(step.body.instrument, sequence);
    out.push(orderEventRecord(step.body, { producer: EXECUTION_ROUTER_SERVICE, sequence, eventTimeUs: event.atUs, causation, correlationId: routed.correlationId }));
  }
}
