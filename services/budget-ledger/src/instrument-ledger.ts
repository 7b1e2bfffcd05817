import {
  BUDGET_DELTA_TYPE,
  type BudgetReleaseCause,
  type FundingRate,
  type MarkPrice,
  ORDER_COMMAND_TYPE,
  type OrderEvent,
  POSITION_STATE_TYPE,
  type RiskDecision,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import {
  applyOrderEvent,
  applyPortfolioFill,
  applyPortfolioFunding,
  type BoundOrder,
  type BudgetDelta as CoreBudgetDelta,
  type BudgetLedger,
  type BudgetOutcome,
  capitalFor,
  createPortfolio,
  deriveClientOrderId,
  digestOf,
  type ExecutionState,
  findBoundOrder,
  findBudgetFor,
  findPosition,
  IllegalTransitionError,
  InvariantViolationError,
  isWorking,
  Money,
  type OrderEvent as VenueOrderEvent,
  type OrderStatus,
  type OrderTransition,
  type Portfolio,
  Price,
  processFill,
  Quantity,
  releaseOrder,
  releasePosition,
  type RunnerConfig,
  SignedQuantity,
  submitIntent,
} from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type LaneOutput } from '@fleet/service';
import { type InstrumentBudgets, venueBucketId } from './instrument-budgets';
import { budgetDeltaPayload, cancelCommandPayload, deniedDeltaPayload, type OrderRef, placeCommandPayload, positionPayload } from './ledger-payloads';
import { backingAfterFill } from './position-capital';

/** What budget-ledger keeps per venue of an instrument. */
export interface VenueBook {
  readonly venue: string;
  /** Committed capital backing the venue's open position; the venues' backings sum to the budgets' committed capital. */
  readonly backing: Money;
  /** The venue's latest mark price, exact as published; null before the first. */
  readonly markPrice: string | null;
  /** The funding settlement the venue announced last; a funding event at or after it settles. Null before the first. */
  readonly nextFundingTimeUs: number | null;
  /** The contract id of the last fill booked on the venue. */
  readonly lastFillId: string | null;
  /** The digest of the last position.state payload produced for the venue; null before the first. */
  readonly publishedDigest: string | null;
}

/** Everything budget-ledger keeps about one instrument of a lane. */
export interface InstrumentBook {
  readonly instrument: string;
  /** The sequence of the last output produced for the instrument (0 before the first). */
  readonly sequence: number;
  /** The venue budgets and the orders still working against them (sorted by client order id). */
  readonly execution: ExecutionState;
  /** The exact positions and PnL of the instrument, per venue. */
  readonly portfolio: Portfolio;
  /** In the runner configuration's venue order. */
  readonly venues: readonly VenueBook[];
}

/** The inputs of one instrument in one tick, each in canonical order. */
export interface InstrumentInputs {
  readonly decisions: readonly RiskDecision[];
  /** The order events of the previous tick. */
  readonly orderEvents: readonly OrderEvent[];
  readonly marks: readonly MarkPrice[];
  readonly funding: readonly FundingRate[];
}

/** An approved order the budget refused: a DENIED delta and no command leave for it. */
export interface BudgetRefusal {
  readonly clientOrderId: string;
  readonly intentId: string;
  readonly venue: string;
  /** Every failed check, in the core's order (for example InsufficientBudget, RateLimited). */
  readonly reasons: readonly string[];
}

/** The result of one instrument tick. */
export interface InstrumentStep {
  readonly book: InstrumentBook;
  readonly outputs: readonly LaneOutput[];
  readonly refusals: readonly BudgetRefusal[];
}

/** The static inputs of an instrument's fold: its runner configuration and the producer name. */
export interface InstrumentContext {
  readonly config: RunnerConfig;
  readonly producer: string;
}

function must(outcome: BudgetOutcome, what: string): { readonly ledger: BudgetLedger; readonly delta: CoreBudgetDelta } {
  if (!outcome.ok) throw new InvariantViolationError('budget-ledger.in-step', `${what} was refused: ${outcome.rejection.reasons.join(', ')}`);
  return outcome;
}

/** Why a finished order released its reservation, by the status it finished in. */
const FINISHED_CAUSE: Partial<Readonly<Record<OrderStatus, BudgetReleaseCause>>> = {
  filled: 'ORDER_COMPLETED',
  rejected: 'ORDER_REJECTED',
  cancelled: 'ORDER_CANCELLED',
};

/** Returns the release cause of an order that stopped working in `status`. */
function finishedCause(status: OrderStatus, clientOrderId: string): BudgetReleaseCause {
  const cause = FINISHED_CAUSE[status];
  if (cause === undefined) throw new InvariantViolationError('budget-ledger.finished-status', `order ${clientOrderId} stopped working in status ${status}`);
  return cause;
}

/** Returns the core venue event of an order event, or undefined for the kinds that change no budget (SUBMITTED, POSITION_CLOSED). */
function venueEventOf(event: OrderEvent): VenueOrderEvent | undefined {
  const atUs = event.envelope.eventTimeUs;
  switch (event.kind) {
    case 'ACKED':
      return { type: 'ack', venueEventId: event.idempotencyKey, venueOrderId: event.venueOrderId ?? event.clientOrderId, atUs };
    case 'REJECTED':
      return { type: 'reject', venueEventId: event.idempotencyKey, reason: event.reject?.reason ?? 'OTHER', atUs };
    case 'CANCELLED':
      return { type: 'cancelled', venueEventId: event.idempotencyKey, atUs };
    case 'FILLED':
      if (event.fill === null) return undefined;
      return {
        type: 'fill',
        venueTradeId: event.fill.venueFillId,
        quantity: Quantity.create(event.fill.quantity),
        price: Price.create(event.fill.price),
        fee: Money.create(event.fill.fee, event.fill.feeCurrency),
        liquidity: event.fill.liquidity === 'MAKER' ? 'maker' : 'taker',
        atUs,
      };
    default:
      return undefined;
  }
}

/** Returns the book of an instrument seen for the first time: its fresh budgets, no orders, no positions. */
function newInstrumentBook(config: RunnerConfig, budgets: InstrumentBudgets): InstrumentBook {
  return {
    instrument: config.instrument,
    sequence: 0,
    execution: { ledger: budgets.ledger, orders: [] },
    portfolio: createPortfolio(config.currency),
    venues: config.strategy.venues.map((v) => ({ venue: v.venueId, backing: Money.zero(config.currency), markPrice: null, nextFundingTimeUs: null, lastFillId: null, publishedDigest: null })),
  };
}

/** One instrument's tick being folded: the state so far, the outputs in order and the causes of each venue's changes. */
class InstrumentDraft {
  sequence: number;
  execution: ExecutionState;
  portfolio: Portfolio;
  venues: VenueBook[];
  readonly outputs: LaneOutput[] = [];
  readonly refusals: BudgetRefusal[] = [];
  /** Per venue, the eventIds of the inputs that changed its position view this tick. */
  private readonly causes = new Map<string, string[]>();

  constructor(
    private readonly ctx: InstrumentContext,
    book: InstrumentBook,
    private readonly tickTimeUs: number,
  ) {
    this.sequence = book.sequence;
    this.execution = book.execution;
    this.portfolio = book.portfolio;
    this.venues = [...book.venues];
  }

  get instrument(): string {
    return this.ctx.config.instrument;
  }

  book(): InstrumentBook {
    return { instrument: this.instrument, sequence: this.sequence, execution: this.execution, portfolio: this.portfolio, venues: this.venues };
  }

  /** Appends one output on `spec` and returns its eventId. */
  emit(spec: TopicSpec, valueType: string, payload: object, causation: readonly string[], correlationId?: string): string {
    this.sequence += 1;
    const value = withEnvelope({ producer: this.ctx.producer, valueType, instrument: this.instrument, sequence: this.sequence, eventTimeUs: this.tickTimeUs, causation, correlationId }, payload);
    this.outputs.push({ spec, key: this.instrument, value });
    return value.envelope.eventId;
  }

  /**
   * Emits the budget.delta of a core delta (`ledger` is the ledger right after it), zero amounts
   * included, so the deltas of a budget carry every one of its sequence numbers.
   */
  delta(ledger: BudgetLedger, delta: CoreBudgetDelta, order: OrderRef | null, releaseCause: BudgetReleaseCause | null, causation: readonly string[], correlationId?: string): string {
    return this.emit(Topics.budgetDelta, BUDGET_DELTA_TYPE, budgetDeltaPayload(this.instrument, ledger, delta, order, releaseCause), causation, correlationId);
  }

  touch(venue: string, eventId: string): void {
    const list = this.causes.get(venue) ?? [];
    list.push(eventId);
    this.causes.set(venue, list);
  }

  venueIndex(venue: string): number {
    return this.venues.findIndex((v) => v.venue === venue);
  }

  setVenue(index: number, change: Partial<VenueBook>): void {
    this.venues[index] = { ...this.venues[index]!, ...change };
  }

  putOrder(order: BoundOrder, ledger: BudgetLedger): void {
    const id = order.order.clientOrderId;
    const orders = isWorking(order.order.status) ? this.execution.orders.map((o) => (o.order.clientOrderId === id ? order : o)) : this.execution.orders.filter((o) => o.order.clientOrderId !== id);
    this.execution = { ledger, orders };
  }

  /**
   * Folds one order event of the previous tick: a fill commits reservePrice × quantity, books
   * the position and frees the committed capital of the quantity it closed (POSITION_REDUCED);
   * an order that stopped working releases what is left of its reservation (ORDER_COMPLETED,
   * ORDER_REJECTED or ORDER_CANCELLED, by the status it finished in) and is forgotten. A repeated
   * venue event, an event of an unknown order and a late report the order can no longer take
   * (other than a fill) change nothing.
   */
  foldOrderEvent(event: OrderEvent): void {
    const bound = findBoundOrder(this.execution, event.clientOrderId);
    const venueEvent = venueEventOf(event);
    if (bound === undefined || venueEvent === undefined) return;
    let t: OrderTransition;
    try {
      t = applyOrderEvent(bound.order, venueEvent);
    } catch (error) {
      if (error instanceof IllegalTransitionError && venueEvent.type !== 'fill') return;
      throw error;
    }
    if (t.duplicate) return;
    const order: OrderRef = { clientOrderId: bound.order.clientOrderId, intentId: bound.order.intentId };
    const cause = [event.envelope.eventId];
    const corr = event.envelope.correlationId;
    const atUs = venueEvent.atUs;
    const currency = this.ctx.config.currency;
    let ledger = this.execution.ledger;
    if (t.fill !== undefined) {
      const commit = must(processFill(ledger, { budgetId: bound.budgetId, orderId: order.clientOrderId, amount: capitalFor(bound, t.fill.quantity, currency), atUs }), 'commit of a fill');
      ledger = commit.ledger;
      this.delta(ledger, commit.delta, order, null, cause, corr);
    }
    if (t.finishedWorking) {
      const release = must(releaseOrder(ledger, { budgetId: bound.budgetId, orderId: order.clientOrderId, atUs }), 'release of a finished order');
      ledger = release.ledger;
      this.delta(ledger, release.delta, order, finishedCause(t.order.status, order.clientOrderId), cause, corr);
    }
    if (t.fill !== undefined) {
      const i = this.venueIndex(bound.order.venue);
      const before = findPosition(this.portfolio, bound.order.venue, this.instrument)?.netQuantity ?? SignedQuantity.zero();
      this.portfolio = applyPortfolioFill(this.portfolio, { venue: bound.order.venue, instrument: this.instrument, side: bound.order.side, quantity: t.fill.quantity, price: t.fill.price, fee: t.fill.fee, atUs });
      const { backing, released } = backingAfterFill(this.venues[i]!.backing, before, bound.order.side, t.fill.quantity, bound.reservePrice);
      if (released.isPositive()) {
        const freed = must(releasePosition(ledger, { budgetId: bound.budgetId, amount: released, atUs }), 'release of a reduced position');
        ledger = freed.ledger;
        this.delta(ledger, freed.delta, order, 'POSITION_REDUCED', cause, corr);
      }
      this.setVenue(i, { backing, lastFillId: event.fill?.fillId ?? null });
      this.touch(bound.order.venue, event.envelope.eventId);
    }
    this.putOrder({ ...bound, order: t.order }, ledger);
  }

  /** Folds a venue mark: the price the venue's unrealised PnL and funding use. */
  foldMark(mark: MarkPrice): void {
    const i = this.venueIndex(mark.venue);
    if (i < 0) return;
    this.setVenue(i, { markPrice: mark.markPrice });
    this.touch(mark.venue, mark.envelope.eventId);
  }

  /**
   * Folds a venue funding rate. The first event at or after the settlement the venue announced
   * last settles it on the open position, as the core session does: received = −quantity ×
   * mark × rate (longs pay shorts when the rate is positive), nothing without a mark.
   */
  foldFunding(funding: FundingRate): void {
    const i = this.venueIndex(funding.venue);
    if (i < 0) return;
    const venue = this.venues[i]!;
    const atUs = funding.envelope.eventTimeUs;
    const position = findPosition(this.portfolio, funding.venue, this.instrument);
    if (venue.nextFundingTimeUs !== null && atUs >= venue.nextFundingTimeUs && position !== undefined && !position.netQuantity.isZero() && venue.markPrice !== null) {
      const amount = position.netQuantity.value.times(venue.markPrice).times(funding.rate).negated();
      this.portfolio = applyPortfolioFunding(this.portfolio, { venue: funding.venue, instrument: this.instrument, amount: Money.create(amount, this.ctx.config.currency), atUs });
      this.touch(funding.venue, funding.envelope.eventId);
    }
    this.setVenue(i, { nextFundingTimeUs: funding.nextFundingTimeUs });
  }

  /**
   * Folds one risk decision. An approved new order reserves price × size on its venue budget,
   * then leaves as a PLACE command caused by the decision and the RESERVE delta; a refused
   * reservation leaves as a DENIED delta caused by the decision, and no command. An approved cancel leaves as a CANCEL command
   * (the order, when still working here, is marked cancel-requested). A denial produces nothing.
   */
  foldDecision(decision: RiskDecision): void {
    if (decision.outcome !== 'APPROVED') return;
    if (decision.intent.action === 'CANCEL') this.cancel(decision);
    else this.place(decision);
  }

  private place(decision: RiskDecision): void {
    const intent = decision.intent;
    const order: OrderRef = { clientOrderId: deriveClientOrderId(intent.intentId, intent.venue), intentId: intent.intentId };
    const bucketId = venueBucketId(intent.strategyId, this.instrument, intent.venue);
    const corr = decision.envelope.correlationId;
    const price = Price.tryCreate(intent.price);
    const quantity = Quantity.tryCreate(intent.size);
    const requested = price.ok && quantity.ok ? Money.create(price.value.notional(quantity.value), this.ctx.config.currency) : Money.zero(this.ctx.config.currency);
    const refuse = (reasons: readonly string[]): void => {
      this.refusals.push({ clientOrderId: order.clientOrderId, intentId: order.intentId, venue: intent.venue, reasons });
      const budget = findBudgetFor(this.execution.ledger, intent.strategyId, bucketId);
      const denial = { order, strategyId: intent.strategyId, bucketId, budget, requested, reasons, decisionEventId: decision.envelope.eventId };
      this.emit(Topics.budgetDelta, BUDGET_DELTA_TYPE, deniedDeltaPayload(this.instrument, denial), [decision.envelope.eventId], corr);
    };
    if (!price.ok || !quantity.ok || quantity.value.isZero()) return refuse(['NonPositiveAmount']);
    const submitted = submitIntent(this.execution, {
      strategyId: intent.strategyId,
      bucketId,
      venue: intent.venue,
      instrument: this.instrument,
      side: intent.side === 'BUY' ? 'buy' : 'sell',
      quantity: quantity.value,
      limitPrice: price.value,
      reservePrice: price.value,
      intentId: intent.intentId,
      atUs: this.tickTimeUs,
    });
    if (!submitted.ok) return refuse('reasons' in submitted.rejection ? submitted.rejection.reasons : [submitted.rejection.reason]);
    this.execution = submitted.state;
    const reserve = submitted.deltas[0]!;
    const reserveId = this.delta(submitted.state.ledger, reserve, order, null, [decision.envelope.eventId], corr);
    this.emit(Topics.orderCommand, ORDER_COMMAND_TYPE, placeCommandPayload(intent, order.clientOrderId, reserve.budgetId, reserve.amount), [decision.envelope.eventId, reserveId], corr);
  }

  private cancel(decision: RiskDecision): void {
    const target = decision.intent.targetClientOrderId;
    if (target === null || target === '') return;
    const bound = findBoundOrder(this.execution, target);
    if (bound !== undefined && bound.order.status !== 'cancel_requested') {
      const t = applyOrderEvent(bound.order, { type: 'cancel_request', atUs: this.tickTimeUs });
      this.putOrder({ ...bound, order: t.order }, this.execution.ledger);
    }
    this.emit(Topics.orderCommand, ORDER_COMMAND_TYPE, cancelCommandPayload(decision.intent, target), [decision.envelope.eventId], decision.envelope.correlationId);
  }

  /** Emits one position.state per venue position whose record changed this tick, in venue order. */
  publishPositions(): void {
    this.venues.forEach((venue, i) => {
      const position = findPosition(this.portfolio, venue.venue, this.instrument);
      if (position === undefined) return;
      const payload = positionPayload(this.ctx.config.strategyId, position, venue.markPrice, venue.lastFillId);
      const digest = digestOf(payload);
      if (digest === venue.publishedDigest) return;
      this.emit(Topics.positionState, POSITION_STATE_TYPE, payload, this.causes.get(venue.venue) ?? []);
      this.setVenue(i, { publishedDigest: digest });
    });
  }
}

/** Returns the book and the ALLOCATE deltas of an instrument's first tick (one per venue budget, caused by nothing but the configuration). */
export function openInstrument(ctx: InstrumentContext, budgets: InstrumentBudgets, tickTimeUs: number): { readonly book: InstrumentBook; readonly outputs: readonly LaneOutput[] } {
  const draft = new InstrumentDraft(ctx, newInstrumentBook(ctx.config, budgets), tickTimeUs);
  for (const allocation of budgets.allocations) draft.delta(budgets.ledger, allocation, null, null, []);
  return { book: draft.book(), outputs: draft.outputs };
}

/**
 * Folds one tick of one instrument, in order: the order events of the previous tick (commits,
 * releases, positions), the marks and funding of the tick by event time (marks first at equal
 * times), the risk decisions of the tick (reserve then PLACE, DENIED, or CANCEL), then one
 * position.state per venue whose position record changed.
 */
export function stepInstrument(ctx: InstrumentContext, book: InstrumentBook, inputs: InstrumentInputs, tickTimeUs: number): InstrumentStep {
  const draft = new InstrumentDraft(ctx, book, tickTimeUs);
  for (const event of inputs.orderEvents) draft.foldOrderEvent(event);
  const market = [...inputs.marks.map((mark) => ({ atUs: mark.envelope.eventTimeUs, mark })), ...inputs.funding.map((funding) => ({ atUs: funding.envelope.eventTimeUs, funding }))];
  market.sort((a, b) => a.atUs - b.atUs);
  for (const item of market) {
    if ('mark' in item) draft.foldMark(item.mark);
    else draft.foldFunding(item.funding);
  }
  for (const decision of inputs.decisions) draft.foldDecision(decision);
  draft.publishPositions();
  return { book: draft.book(), outputs: draft.outputs, refusals: draft.refusals };
}
