/**
 * The Why chain: for an order, a fill, an intent or a fair-value signal, the causal chain across
 * the services, read off a session's log by following the envelopes' causation and the ids the
 * events carry. market data → fair value (the venues used) → the intent (the quote model's
 * inputs) → the risk decision → the budget reservation → the order command → the venue events →
 * the fill and its effect on the position. Pure: logged records in, a plain JSON chain out.
 */
import {
  type BookSnapshot,
  type BudgetDelta,
  type FairValueState,
  type OrderCommand,
  type OrderEvent,
  type PositionState,
  type RiskDecision,
  type RiskState,
  type StrategyIntent,
  Topics,
} from '@fleet/contracts';
import { decimalText, ExactDecimal } from '@fleet/core';
import { type LoggedRecord } from '@fleet/fleet-session';

/** Where an event sits in the log. */
export interface EventRef {
  readonly topic: string;
  readonly eventId: string;
  readonly producer: string;
  readonly tick: number;
  readonly partition: number;
  readonly offset: string;
  readonly eventTimeUs: number;
}

/** A book that fed a decision. */
export interface BookLink {
  readonly ref: EventRef;
  readonly venue: string;
  readonly bid: string | null;
  readonly ask: string | null;
}

/** The fair value a decision was taken on. */
export interface FairValueLink {
  readonly ref: EventRef;
  readonly fvAvailable: boolean;
  readonly fairValue: number | null;
  readonly variance: number | null;
  readonly healthyVenuesUsed: readonly string[];
  readonly minHealthyVenues: number;
  readonly observations: FairValueState['observations'];
  /** The books the fair value was computed from (its causation). */
  readonly books: readonly BookLink[];
}

/** A strategy intent with the model inputs behind it. */
export interface IntentLink {
  readonly ref: EventRef;
  readonly intentId: string;
  readonly kind: StrategyIntent['kind'];
  readonly action: StrategyIntent['action'];
  readonly venue: string;
  readonly side: StrategyIntent['side'];
  readonly price: string;
  readonly size: string;
  readonly timeInForce: StrategyIntent['timeInForce'];
  readonly fairValue: number | null;
  readonly modelInputs: Readonly<Record<string, number>>;
  readonly modelLabels: Readonly<Record<string, string>>;
  /** The client order id the intent's order gets (from its labels, its budget delta or its command). */
  readonly clientOrderId: string | null;
  readonly targetClientOrderId: string | null;
}

/** risk-shield's verdict on the intent, and the risk state it was decided in. */
export interface RiskLink {
  readonly ref: EventRef;
  readonly outcome: RiskDecision['outcome'];
  readonly reason: RiskDecision['reason'];
  readonly regime: RiskDecision['regime'];
  readonly state: { readonly ref: EventRef; readonly killSwitch: boolean; readonly killReason: RiskState['killReason']; readonly netDelta: string; readonly dailyPnl: string } | null;
}

/** One budget change for the order. */
export interface BudgetLink {
  readonly ref: EventRef;
  readonly kind: BudgetDelta['kind'];
  readonly amount: string;
  readonly currency: string;
  readonly budgetId: string;
  readonly reservedAfter: string;
  readonly committedAfter: string;
  readonly allocatedAfter: string;
  readonly rejectReasons: readonly string[];
}

/** The order command budget-ledger sent. */
export interface CommandLink {
  readonly ref: EventRef;
  readonly kind: OrderCommand['kind'];
  readonly venue: string;
  readonly clientOrderId: string | null;
  readonly placement: OrderCommand['placement'];
}

/** The position after a fill, with the change the fill made to it. */
export interface PositionLink {
  readonly ref: EventRef;
  readonly venue: string;
  readonly quantity: string;
  readonly averageEntryPrice: string | null;
  readonly realisedPnl: string;
  readonly unrealisedPnl: string | null;
  readonly feesPaid: string;
  /** The position's quantity and realised PnL before (0 when this is its first record). */
  readonly quantityBefore: string;
  readonly realisedPnlChange: string;
}

/** One step of the order's life at the venue. */
export interface VenueEventLink {
  readonly ref: EventRef;
  readonly kind: OrderEvent['kind'];
  readonly venueOrderId: string | null;
  readonly fill: OrderEvent['fill'];
  readonly reject: OrderEvent['reject'];
  readonly cancel: OrderEvent['cancel'];
  /** For a fill: the position.state that booked it, when the log has one. */
  readonly position: PositionLink | null;
}

/** Which gate stopped an intent, or that it went through. */
export type Gate =
  | { readonly gate: 'sent' }
  | { readonly gate: 'risk'; readonly reason: string }
  | { readonly gate: 'budget'; readonly reasons: readonly string[] }
  | { readonly gate: 'undecided' };

/** The chain of one order (or of the intent that would have become one). */
export interface OrderChain {
  readonly kind: 'order';
  readonly instrument: string;
  readonly clientOrderId: string | null;
  readonly fairValue: FairValueLink | null;
  /** Books cited directly by the intent (the books the strategy saw). */
  readonly books: readonly BookLink[];
  readonly intent: IntentLink;
  readonly risk: RiskLink | null;
  readonly budget: readonly BudgetLink[];
  readonly command: CommandLink | null;
  readonly venueEvents: readonly VenueEventLink[];
  readonly gate: Gate;
  /** The fill asked about (why --fill), when there was one. */
  readonly focusFillId: string | null;
}

/** What became of one intent citing a signal. */
export interface SignalIntent {
  readonly intent: IntentLink;
  readonly gate: Gate;
  readonly clientOrderId: string | null;
}

/** The chain of one fair-value signal: what was decided on it and what blocked it. */
export interface SignalChain {
  readonly kind: 'signal';
  readonly instrument: string;
  readonly fairValue: FairValueLink;
  readonly intents: readonly SignalIntent[];
  /** The risk states that marked positions with this signal. */
  readonly riskStates: readonly NonNullable<RiskLink['state']>[];
  /** The last fair value of the same instrument in the same tick, when that is another update: the strategies decide once per tick, on it. */
  readonly decidedOn: EventRef | null;
  /** A sentence: what was sent or what blocked it. */
  readonly outcome: string;
}

function refOf(r: LoggedRecord): EventRef {
  return { topic: r.topic, eventId: r.value.envelope.eventId, producer: r.producer, tick: r.tick, partition: r.partition, offset: r.offset, eventTimeUs: Number((r.value.envelope as unknown as { eventTimeUs: number }).eventTimeUs) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function logOrder(a: LoggedRecord, b: LoggedRecord): number {
  return a.tick - b.tick || a.partition - b.partition || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0);
}

/** A session's log indexed by the ids the Why chain follows. */
export class WhyIndex {
  private readonly byId = new Map<string, LoggedRecord>();
  private readonly citedBy = new Map<string, LoggedRecord[]>();
  private readonly intents = new Map<string, LoggedRecord>();
  private readonly decisions = new Map<string, LoggedRecord[]>();
  private readonly commandsByIntent = new Map<string, LoggedRecord[]>();
  private readonly commandsByOrder = new Map<string, LoggedRecord[]>();
  private readonly deltasByOrder = new Map<string, LoggedRecord[]>();
  private readonly deltasByIntent = new Map<string, LoggedRecord[]>();
  private readonly eventsByOrder = new Map<string, LoggedRecord[]>();
  private readonly fills = new Map<string, LoggedRecord>();
  private readonly positions = new Map<string, LoggedRecord[]>();
  private readonly intentOfOrder = new Map<string, string>();
  private readonly lastFairValue = new Map<string, LoggedRecord>();

  /** Returns the index of `records` (any order; they are sorted by tick, lane, topic and offset). */
  constructor(records: readonly LoggedRecord[]) {
    for (const r of [...records].sort(logOrder)) {
      const id = r.value.envelope.eventId;
      this.byId.set(id, r);
      for (const cause of r.value.envelope.causation) push(this.citedBy, cause, r);
      const v = r.value as unknown;
      switch (r.topic) {
        case Topics.fvState.name:
          this.lastFairValue.set(`${r.partition}/${r.tick}/${(v as FairValueState).instrument}`, r);
          break;
        case Topics.strategyIntent.name: {
          const i = v as StrategyIntent;
          this.intents.set(i.intentId, r);
          const label = i.modelLabels.clientOrderId;
          if (label !== undefined && i.action === 'PLACE') this.intentOfOrder.set(label, i.intentId);
          break;
        }
        case Topics.riskDecision.name:
          push(this.decisions, (v as RiskDecision).intentId, r);
          break;
        case Topics.orderCommand.name: {
          const c = v as OrderCommand;
          if (c.intentId !== null) push(this.commandsByIntent, c.intentId, r);
          if (c.clientOrderId !== null) push(this.commandsByOrder, c.clientOrderId, r);
          if (c.kind === 'PLACE' && c.clientOrderId !== null && c.intentId !== null) this.intentOfOrder.set(c.clientOrderId, c.intentId);
          break;
        }
        case Topics.budgetDelta.name: {
          const b = v as BudgetDelta;
          if (b.clientOrderId !== null) push(this.deltasByOrder, b.clientOrderId, r);
          if (b.intentId !== null) push(this.deltasByIntent, b.intentId, r);
          if (b.clientOrderId !== null && b.intentId !== null && (b.kind === 'RESERVE' || b.kind === 'DENIED')) this.intentOfOrder.set(b.clientOrderId, b.intentId);
          break;
        }
        case Topics.orderEvent.name: {
          const e = v as OrderEvent;
          push(this.eventsByOrder, e.clientOrderId, r);
          if (e.fill !== null) this.fills.set(e.fill.fillId, r);
          if (!this.intentOfOrder.has(e.clientOrderId)) this.intentOfOrder.set(e.clientOrderId, e.intentId);
          break;
        }
        case Topics.positionState.name: {
          const p = v as PositionState;
          push(this.positions, `${p.instrument}/${p.venue}/${p.strategyId}`, r);
          break;
        }
        default:
          break;
      }
    }
  }

  /** Returns the record of `eventId`, if the log has it. */
  record(eventId: string): LoggedRecord | undefined {
    return this.byId.get(eventId);
  }

  /** Returns the records whose causation names `eventId`, in log order. */
  citing(eventId: string): readonly LoggedRecord[] {
    return this.citedBy.get(eventId) ?? [];
  }

  /** Returns the causes of `r` found in the log, in causation order. */
  causes(r: LoggedRecord): LoggedRecord[] {
    return r.value.envelope.causation.flatMap((id) => {
      const c = this.byId.get(id);
      return c === undefined ? [] : [c];
    });
  }

  /** Returns the last fv.state of `instrument` on lane `partition` in `tick`. */
  lastFairValueOf(partition: number, tick: number, instrument: string): LoggedRecord | undefined {
    return this.lastFairValue.get(`${partition}/${tick}/${instrument}`);
  }

  /** Returns the intent of `intentId`. */
  intent(intentId: string): LoggedRecord | undefined {
    return this.intents.get(intentId);
  }

  /** Returns the intent behind `clientOrderId` (from its command, budget delta, order events or the intent's labels). */
  intentOfClientOrder(clientOrderId: string): string | undefined {
    return this.intentOfOrder.get(clientOrderId);
  }

  /** Returns the order event carrying fill `fillId`. */
  fill(fillId: string): LoggedRecord | undefined {
    return this.fills.get(fillId);
  }

  /** Returns risk-shield's decision on `intentId` (the first, should there be several). */
  decision(intentId: string): LoggedRecord | undefined {
    return this.decisions.get(intentId)?.[0];
  }

  /** Returns the order commands executing `intentId`. */
  commandsOf(intentId: string): readonly LoggedRecord[] {
    return this.commandsByIntent.get(intentId) ?? [];
  }

  /** Returns the order commands naming `clientOrderId` (its PLACE and any CANCEL of it). */
  commandsFor(clientOrderId: string): readonly LoggedRecord[] {
    return this.commandsByOrder.get(clientOrderId) ?? [];
  }

  /** Returns the budget deltas for `clientOrderId`, in log order. */
  deltasOf(clientOrderId: string): readonly LoggedRecord[] {
    return this.deltasByOrder.get(clientOrderId) ?? [];
  }

  /** Returns the budget deltas for `intentId`, in log order. */
  deltasOfIntent(intentId: string): readonly LoggedRecord[] {
    return this.deltasByIntent.get(intentId) ?? [];
  }

  /** Returns the order events of `clientOrderId`, in log order. */
  eventsOf(clientOrderId: string): readonly LoggedRecord[] {
    return this.eventsByOrder.get(clientOrderId) ?? [];
  }

  /** Returns the position.state records of one (instrument, venue, strategy), in log order. */
  positionsOf(instrument: string, venue: string, strategyId: string): readonly LoggedRecord[] {
    return this.positions.get(`${instrument}/${venue}/${strategyId}`) ?? [];
  }
}

function bookLink(r: LoggedRecord): BookLink {
  const b = r.value as unknown as BookSnapshot;
  return { ref: refOf(r), venue: b.venue, bid: b.bids[0]?.price ?? null, ask: b.asks[0]?.price ?? null };
}

function fairValueLink(index: WhyIndex, r: LoggedRecord): FairValueLink {
  const f = r.value as unknown as FairValueState;
  return {
    ref: refOf(r),
    fvAvailable: f.fvAvailable,
    fairValue: f.fairValue,
    variance: f.fairValueVariance,
    healthyVenuesUsed: f.healthyVenuesUsed,
    minHealthyVenues: f.minHealthyVenues,
    observations: f.observations,
    books: index.causes(r).filter((c) => c.topic === Topics.mdBook.name).map(bookLink),
  };
}

function intentLink(index: WhyIndex, r: LoggedRecord): IntentLink {
  const i = r.value as unknown as StrategyIntent;
  const fromDelta = index.deltasOfIntent(i.intentId).map((d) => (d.value as unknown as BudgetDelta).clientOrderId).find((c) => c !== null);
  const fromCommand = index.commandsOf(i.intentId).map((c) => (c.value as unknown as OrderCommand).clientOrderId).find((c) => c !== null);
  return {
    ref: refOf(r),
    intentId: i.intentId,
    kind: i.kind,
    action: i.action,
    venue: i.venue,
    side: i.side,
    price: i.price,
    size: i.size,
    timeInForce: i.timeInForce,
    fairValue: i.fairValue,
    modelInputs: i.modelInputs,
    modelLabels: i.modelLabels,
    clientOrderId: i.action === 'CANCEL' ? i.targetClientOrderId : (fromCommand ?? fromDelta ?? i.modelLabels.clientOrderId ?? null),
    targetClientOrderId: i.targetClientOrderId,
  };
}

function riskStateLink(r: LoggedRecord): NonNullable<RiskLink['state']> {
  const s = r.value as unknown as RiskState;
  return { ref: refOf(r), killSwitch: s.killSwitch, killReason: s.killReason, netDelta: s.netDelta, dailyPnl: s.dailyPnl };
}

function riskLink(index: WhyIndex, r: LoggedRecord): RiskLink {
  const d = r.value as unknown as RiskDecision;
  const state = index.causes(r).find((c) => c.topic === Topics.riskState.name);
  return { ref: refOf(r), outcome: d.outcome, reason: d.reason, regime: d.regime, state: state === undefined ? null : riskStateLink(state) };
}

function budgetLink(r: LoggedRecord): BudgetLink {
  const b = r.value as unknown as BudgetDelta;
  return { ref: refOf(r), kind: b.kind, amount: b.amount, currency: b.currency, budgetId: b.budgetId, reservedAfter: b.reservedAfter, committedAfter: b.committedAfter, allocatedAfter: b.allocatedAfter, rejectReasons: b.rejectReasons ?? [] };
}

function commandLink(r: LoggedRecord): CommandLink {
  const c = r.value as unknown as OrderCommand;
  return { ref: refOf(r), kind: c.kind, venue: c.venue, clientOrderId: c.clientOrderId, placement: c.placement };
}

/** Returns the position.state that booked the fill event `fill` and the change it made to the position. */
function positionAfter(index: WhyIndex, fill: LoggedRecord): PositionLink | null {
  const e = fill.value as unknown as OrderEvent;
  const booked = index.citing(fill.value.envelope.eventId).find((r) => r.topic === Topics.positionState.name);
  if (booked === undefined) return null;
  const p = booked.value as unknown as PositionState;
  const history = index.positionsOf(p.instrument, p.venue, p.strategyId);
  const at = history.indexOf(booked);
  const before = at > 0 ? (history[at - 1]!.value as unknown as PositionState) : undefined;
  const change = new ExactDecimal(p.realisedPnl).minus(new ExactDecimal(before?.realisedPnl ?? '0'));
  return {
    ref: refOf(booked),
    venue: e.venue,
    quantity: p.quantity,
    averageEntryPrice: p.averageEntryPrice,
    realisedPnl: p.realisedPnl,
    unrealisedPnl: p.unrealisedPnl,
    feesPaid: p.feesPaid,
    quantityBefore: before?.quantity ?? '0',
    realisedPnlChange: decimalText(change),
  };
}

function venueEventLink(index: WhyIndex, r: LoggedRecord): VenueEventLink {
  const e = r.value as unknown as OrderEvent;
  return { ref: refOf(r), kind: e.kind, venueOrderId: e.venueOrderId, fill: e.fill, reject: e.reject, cancel: e.cancel, position: e.fill === null ? null : positionAfter(index, r) };
}

/** Returns the gate an intent met: risk denial, budget refusal (a DENIED delta, or an approval that led to neither reservation nor command), sent, or not decided in the log. */
function gateOf(index: WhyIndex, intentId: string): Gate {
  const decision = index.decision(intentId);
  if (decision === undefined) return { gate: 'undecided' };
  const d = decision.value as unknown as RiskDecision;
  if (d.outcome !== 'APPROVED') return { gate: 'risk', reason: d.reason ?? 'DENIED' };
  if (index.commandsOf(intentId).length > 0) return { gate: 'sent' };
  const denied = index.deltasOfIntent(intentId).find((r) => (r.value as unknown as BudgetDelta).kind === 'DENIED');
  return { gate: 'budget', reasons: denied === undefined ? ['no reservation and no command followed the approval'] : (denied.value as unknown as BudgetDelta).rejectReasons };
}

/** Returns the chain of intent `intentId`, or undefined when the log does not have it. */
export function whyIntent(index: WhyIndex, intentId: string, focusFillId: string | null = null): OrderChain | undefined {
  const r = index.intent(intentId);
  if (r === undefined) return undefined;
  const intent = intentLink(index, r);
  const causes = index.causes(r);
  const fv = causes.find((c) => c.topic === Topics.fvState.name);
  const decision = index.decision(intentId);
  const clientOrderId = intent.clientOrderId;
  const place = index.commandsOf(intentId).find((c) => (c.value as unknown as OrderCommand).kind === (intent.action === 'CANCEL' ? 'CANCEL' : 'PLACE'));
  const deltas = clientOrderId === null || intent.action === 'CANCEL' ? index.deltasOfIntent(intentId) : index.deltasOf(clientOrderId);
  const events = clientOrderId === null || intent.action === 'CANCEL' ? [] : index.eventsOf(clientOrderId);
  return {
    kind: 'order',
    instrument: (r.value as unknown as StrategyIntent).instrument,
    clientOrderId,
    fairValue: fv === undefined ? null : fairValueLink(index, fv),
    books: causes.filter((c) => c.topic === Topics.mdBook.name).map(bookLink),
    intent,
    risk: decision === undefined ? null : riskLink(index, decision),
    budget: deltas.map(budgetLink),
    command: place === undefined ? null : commandLink(place),
    venueEvents: events.map((e) => venueEventLink(index, e)),
    gate: gateOf(index, intentId),
    focusFillId,
  };
}

/** Returns the chain of the order `clientOrderId`, or undefined when no event of the log names it. */
export function whyOrder(index: WhyIndex, clientOrderId: string): OrderChain | undefined {
  const intentId = index.intentOfClientOrder(clientOrderId);
  return intentId === undefined ? undefined : whyIntent(index, intentId);
}

/** Returns the chain of the order that fill `fillId` belongs to, or undefined when the log has no such fill. */
export function whyFill(index: WhyIndex, fillId: string): OrderChain | undefined {
  const fill = index.fill(fillId);
  if (fill === undefined) return undefined;
  const e = fill.value as unknown as OrderEvent;
  const intentId = index.intentOfClientOrder(e.clientOrderId) ?? e.intentId;
  return whyIntent(index, intentId, fillId);
}

function signalOutcome(fv: FairValueLink, intents: readonly SignalIntent[], decidedOn: LoggedRecord | undefined, index: WhyIndex): string {
  if (intents.length === 0) {
    if (!fv.fvAvailable) return `no intent: fair value unavailable (${fv.healthyVenuesUsed.length} healthy venues, ${fv.minHealthyVenues} needed)`;
    if (decidedOn !== undefined) {
      const cited = index.citing(decidedOn.value.envelope.eventId).filter((c) => c.topic === Topics.strategyIntent.name).length;
      return `no intent on this update: the strategies decide once per tick, on its last fair value ${decidedOn.value.envelope.eventId} (${cited} intent(s) cite it)`;
    }
    return 'no intent: no strategy acted on this fair value (quotes unchanged, no hedge or exit needed)';
  }
  const sent = intents.filter((i) => i.gate.gate === 'sent').length;
  const parts = [`${intents.length} intent(s), ${sent} sent`];
  const risk = intents.filter((i) => i.gate.gate === 'risk').map((i) => (i.gate as { reason: string }).reason);
  const budget = intents.filter((i) => i.gate.gate === 'budget');
  const undecided = intents.filter((i) => i.gate.gate === 'undecided');
  if (risk.length > 0) parts.push(`${risk.length} denied by risk-shield (${[...new Set(risk)].join(', ')})`);
  if (budget.length > 0) parts.push(`${budget.length} refused by budget-ledger (${[...new Set(budget.flatMap((i) => (i.gate as { reasons: readonly string[] }).reasons))].join(', ')})`);
  if (undecided.length > 0) parts.push(`${undecided.length} not decided in the log`);
  return parts.join('; ');
}

/** Returns the chain of fair-value signal `fvEventId` (an fv.state eventId), or undefined when the log has no such fv.state. */
export function whySignal(index: WhyIndex, fvEventId: string): SignalChain | undefined {
  const r = index.record(fvEventId);
  if (r === undefined || r.topic !== Topics.fvState.name) return undefined;
  const fairValue = fairValueLink(index, r);
  const citing = index.citing(fvEventId);
  const intents = citing
    .filter((c) => c.topic === Topics.strategyIntent.name)
    .map((c) => {
      const intent = intentLink(index, c);
      return { intent, gate: gateOf(index, intent.intentId), clientOrderId: intent.clientOrderId };
    });
  const instrument = (r.value as unknown as FairValueState).instrument;
  const last = index.lastFairValueOf(r.partition, r.tick, instrument);
  const decidedOn = last === undefined || last === r ? undefined : last;
  return {
    kind: 'signal',
    instrument,
    fairValue,
    intents,
    riskStates: citing.filter((c) => c.topic === Topics.riskState.name).map(riskStateLink),
    decidedOn: decidedOn === undefined ? null : refOf(decidedOn),
    outcome: signalOutcome(fairValue, intents, decidedOn, index),
  };
}
