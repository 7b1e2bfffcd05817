import {
  BUDGET_DELTA_TYPE,
  type BudgetDelta,
  ORDER_COMMAND_TYPE,
  ORDER_EVENT_TYPE,
  type OrderCommand,
  type OrderEvent,
  POSITION_STATE_TYPE,
  type PositionState,
  RISK_DECISION_TYPE,
  type RiskDecision,
  type Envelope,
} from '@fleet/contracts';
import { type ExactDecimal, toDecimal } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { type LocatedRecord, type TrailFailure, failureAt } from './verify-types';

/** Counts of the business records the rules looked at. */
export interface RuleCounts {
  readonly orderCommands: number;
  readonly fills: number;
  readonly budgetDeltas: number;
  readonly positionStates: number;
}

/** The outcome of the business rules. */
export type RulesOutcome = { readonly ok: true; readonly counts: RuleCounts } | { readonly ok: false; readonly failure: TrailFailure };

type Located<T> = LocatedRecord & { readonly value: T };

interface BudgetState {
  allocated: ExactDecimal;
  reserved: ExactDecimal;
  committed: ExactDecimal;
}

const ZERO = toDecimal('0');

function typed<T>(r: LocatedRecord): Located<T> {
  return { ...r, value: r.record.value as T };
}

function hasEnvelope(value: unknown): value is { readonly envelope: Envelope; readonly instrument?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const e = (value as { envelope?: unknown }).envelope;
  return typeof e === 'object' && e !== null && typeof (e as Envelope).sequence === 'number' && typeof (e as Envelope).producer === 'string';
}

function positionKey(venue: string, instrument: string, strategyId: string): string {
  return `${venue}|${instrument}|${strategyId}`;
}

/**
 * Returns the first record, in trail order, that breaks a business rule, or the counts:
 *  - envelope-digest: the value's payload matches its envelope digest;
 *  - envelope-sequence: per producer and instrument, envelope sequences are unique, increase
 *    within a partition and leave no gap between the lowest and the highest seen;
 *  - order-approval: a PLACE order command has an APPROVED risk decision with its intentId,
 *    whose eventId is in the command's causation and whose event time is not after it;
 *  - order-reservation: a PLACE order command has a RESERVE budget delta with its clientOrderId,
 *    intentId and the placement's budgetId and reservedAmount;
 *  - fill-order: a FILLED order event names the clientOrderId of a PLACE order command on the
 *    same venue, instrument and side;
 *  - budget-sum: per budget, in trail order, each delta's allocated/reserved/committed after
 *    equal the previous state changed by its kind and amount, and reserved + committed never
 *    exceed allocated;
 *  - position-sum: each position state's quantity equals the signed sum of the fills of its
 *    venue, instrument and strategy up to and including its lastFillId (zero when null).
 */
export function verifyRules(records: readonly LocatedRecord[]): RulesOutcome {
  const decisionsByIntent = new Map<string, Located<RiskDecision>[]>();
  const reservesByOrder = new Map<string, Located<BudgetDelta>[]>();
  const placesByOrder = new Map<string, Located<OrderCommand>>();
  const positionAtFill = new Map<string, { key: string; quantity: ExactDecimal }>();
  const running = new Map<string, ExactDecimal>();
  for (const r of records) {
    const type = r.record.valueType;
    if (type === RISK_DECISION_TYPE) {
      const d = typed<RiskDecision>(r);
      decisionsByIntent.set(d.value.intentId, [...(decisionsByIntent.get(d.value.intentId) ?? []), d]);
    } else if (type === BUDGET_DELTA_TYPE) {
      const b = typed<BudgetDelta>(r);
      if (b.value.kind === 'RESERVE' && b.value.clientOrderId !== null) reservesByOrder.set(b.value.clientOrderId, [...(reservesByOrder.get(b.value.clientOrderId) ?? []), b]);
    } else if (type === ORDER_COMMAND_TYPE) {
      const c = typed<OrderCommand>(r);
      if (c.value.kind === 'PLACE' && c.value.clientOrderId !== null && !placesByOrder.has(c.value.clientOrderId)) placesByOrder.set(c.value.clientOrderId, c);
    } else if (type === ORDER_EVENT_TYPE) {
      const e = typed<OrderEvent>(r).value;
      if (e.kind === 'FILLED' && e.fill) {
        const key = positionKey(e.venue, e.instrument, e.strategyId);
        const signed = toDecimal(e.fill.quantity).times(e.side === 'BUY' ? 1 : -1);
        const quantity = (running.get(key) ?? ZERO).plus(signed);
        running.set(key, quantity);
        positionAtFill.set(e.fill.fillId, { key, quantity });
      }
    }
  }

  const counts = { orderCommands: 0, fills: 0, budgetDeltas: 0, positionStates: 0 };
  const sequences = new Map<string, { seen: Map<number, LocatedRecord>; lastInPartition: Map<string, number> }>();
  const budgets = new Map<string, BudgetState>();
  for (const r of records) {
    const value = r.record.value;
    if (hasEnvelope(value)) {
      if (checkEnvelope(value) !== undefined) return fail(failureAt('envelope-digest', r, `payload does not match envelope digest ${value.envelope.digest} (event ${value.envelope.eventId})`));
      const problem = trackSequence(sequences, r, value);
      if (problem) return fail(problem);
    }
    let problem: TrailFailure | undefined;
    switch (r.record.valueType) {
      case ORDER_COMMAND_TYPE:
        counts.orderCommands += 1;
        problem = checkOrderCommand(typed<OrderCommand>(r), decisionsByIntent, reservesByOrder);
        break;
      case ORDER_EVENT_TYPE:
        problem = checkOrderEvent(typed<OrderEvent>(r), placesByOrder);
        if (typed<OrderEvent>(r).value.kind === 'FILLED') counts.fills += 1;
        break;
      case BUDGET_DELTA_TYPE:
        counts.budgetDeltas += 1;
        problem = checkBudgetDelta(typed<BudgetDelta>(r), budgets);
        break;
      case POSITION_STATE_TYPE:
        counts.positionStates += 1;
        problem = checkPosition(typed<PositionState>(r), positionAtFill);
        break;
    }
    if (problem) return fail(problem);
  }
  const gap = firstSequenceGap(sequences);
  if (gap) return fail(gap);
  return { ok: true, counts };
}

function fail(failure: TrailFailure): { readonly ok: false; readonly failure: TrailFailure } {
  return { ok: false, failure };
}

function trackSequence(
  sequences: Map<string, { seen: Map<number, LocatedRecord>; lastInPartition: Map<string, number> }>,
  r: LocatedRecord,
  value: { readonly envelope: Envelope; readonly instrument?: unknown },
): TrailFailure | undefined {
  const instrument = typeof value.instrument === 'string' ? value.instrument : (r.record.key ?? '');
  const key = `${value.envelope.producer}|${instrument}`;
  let entry = sequences.get(key);
  if (!entry) {
    entry = { seen: new Map(), lastInPartition: new Map() };
    sequences.set(key, entry);
  }
  const sequence = value.envelope.sequence;
  const earlier = entry.seen.get(sequence);
  if (earlier) {
    return failureAt('envelope-sequence', r, `producer ${value.envelope.producer} instrument ${instrument} sequence ${sequence} appears twice (first at seq ${earlier.record.seq})`);
  }
  const partition = `${r.record.topic}/${r.record.partition}`;
  const last = entry.lastInPartition.get(partition);
  if (last !== undefined && sequence < last) {
    return failureAt('envelope-sequence', r, `producer ${value.envelope.producer} instrument ${instrument} sequence ${sequence} follows ${last} in ${partition}`);
  }
  entry.seen.set(sequence, r);
  entry.lastInPartition.set(partition, sequence);
  return undefined;
}

function firstSequenceGap(sequences: Map<string, { seen: Map<number, LocatedRecord> }>): TrailFailure | undefined {
  let first: TrailFailure | undefined;
  for (const [key, { seen }] of sequences) {
    const sorted = [...seen.keys()].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i += 1) {
      if (sorted[i] !== sorted[i - 1] + 1) {
        const at = seen.get(sorted[i])!;
        const [producer, instrument] = key.split('|');
        const failure = failureAt('envelope-sequence', at, `producer ${producer} instrument ${instrument} sequence jumps from ${sorted[i - 1]} to ${sorted[i]}: sequence ${sorted[i - 1] + 1} is missing`);
        if (!first || at.record.seq < (first.seq ?? Infinity)) first = failure;
        break;
      }
    }
  }
  return first;
}

function checkOrderCommand(c: Located<OrderCommand>, decisionsByIntent: Map<string, Located<RiskDecision>[]>, reservesByOrder: Map<string, Located<BudgetDelta>[]>): TrailFailure | undefined {
  const cmd = c.value;
  if (cmd.kind !== 'PLACE') return undefined;
  const label = `order command ${cmd.clientOrderId ?? '<no client order id>'} (intent ${cmd.intentId ?? '<none>'})`;
  if (cmd.intentId === null || cmd.clientOrderId === null || cmd.placement === null) {
    return failureAt('order-approval', c, `${label} is a PLACE without intentId, clientOrderId or placement`);
  }
  const decisions = decisionsByIntent.get(cmd.intentId) ?? [];
  const approved = decisions.find((d) => d.value.outcome === 'APPROVED');
  if (!approved) {
    const denied = decisions.length > 0 ? `; the intent was ${decisions.map((d) => d.value.outcome).join(', ')}` : '';
    return failureAt('order-approval', c, `${label} has no approved risk decision in the trail${denied}`);
  }
  if (!cmd.envelope.causation.includes(approved.value.envelope.eventId)) {
    return failureAt('order-approval', c, `${label}: causation does not hold the approving risk decision ${approved.value.envelope.eventId} (seq ${approved.record.seq})`);
  }
  if (approved.value.envelope.eventTimeUs > cmd.envelope.eventTimeUs) {
    return failureAt('order-approval', c, `${label} at ${cmd.envelope.eventTimeUs} us precedes its approval at ${approved.value.envelope.eventTimeUs} us`);
  }
  if (approved.value.instrument !== cmd.instrument || approved.value.intent.venue !== cmd.venue) {
    return failureAt('order-approval', c, `${label} is for ${cmd.venue} ${cmd.instrument}, the approval for ${approved.value.intent.venue} ${approved.value.instrument}`);
  }
  const reserve = (reservesByOrder.get(cmd.clientOrderId) ?? []).find((b) => b.value.intentId === cmd.intentId && b.value.budgetId === cmd.placement!.budgetId);
  if (!reserve) return failureAt('order-reservation', c, `${label} has no RESERVE budget delta for its clientOrderId, intentId and budget ${cmd.placement.budgetId}`);
  if (!toDecimal(reserve.value.amount).eq(toDecimal(cmd.placement.reservedAmount))) {
    return failureAt('order-reservation', c, `${label} says ${cmd.placement.reservedAmount} reserved, the RESERVE delta (seq ${reserve.record.seq}) moved ${reserve.value.amount}`);
  }
  return undefined;
}

function checkOrderEvent(e: Located<OrderEvent>, placesByOrder: Map<string, Located<OrderCommand>>): TrailFailure | undefined {
  const ev = e.value;
  if (ev.kind !== 'FILLED') return undefined;
  if (!ev.fill) return failureAt('fill-order', e, `FILLED order event for ${ev.clientOrderId} has no fill detail`);
  const place = placesByOrder.get(ev.clientOrderId);
  if (!place) return failureAt('fill-order', e, `fill ${ev.fill.fillId} is for client order id ${ev.clientOrderId}, which no PLACE order command in the trail has`);
  const p = place.value;
  if (p.venue !== ev.venue || p.instrument !== ev.instrument || p.placement?.side !== ev.side) {
    return failureAt('fill-order', e, `fill ${ev.fill.fillId} is ${ev.side} ${ev.venue} ${ev.instrument}, its order (seq ${place.record.seq}) is ${String(p.placement?.side)} ${p.venue} ${p.instrument}`);
  }
  return undefined;
}

function checkBudgetDelta(b: Located<BudgetDelta>, budgets: Map<string, BudgetState>): TrailFailure | undefined {
  const d = b.value;
  const before = budgets.get(d.budgetId) ?? { allocated: ZERO, reserved: ZERO, committed: ZERO };
  const amount = toDecimal(d.amount);
  const after = { allocated: toDecimal(d.allocatedAfter), reserved: toDecimal(d.reservedAfter), committed: toDecimal(d.committedAfter) };
  // ALLOCATE carries the new allocation (the core's semantics); RELEASE returns either a
  // reservation (cancel, reject) or committed capital (position close): the contract does not say which.
  const candidates: BudgetState[] = [];
  switch (d.kind) {
    case 'ALLOCATE':
      candidates.push({ ...before, allocated: amount });
      break;
    case 'RESERVE':
      candidates.push({ ...before, reserved: before.reserved.plus(amount) });
      break;
    case 'COMMIT':
      candidates.push({ ...before, reserved: before.reserved.minus(amount), committed: before.committed.plus(amount) });
      break;
    case 'RELEASE':
      // The cause says which side a release frees; records written before the cause existed may free either.
      if (d.releaseCause === 'POSITION_REDUCED') candidates.push({ ...before, committed: before.committed.minus(amount) });
      else if (d.releaseCause !== null) candidates.push({ ...before, reserved: before.reserved.minus(amount) });
      else candidates.push({ ...before, reserved: before.reserved.minus(amount) }, { ...before, committed: before.committed.minus(amount) });
      break;
    case 'DENIED':
      // A refused reservation changes nothing.
      candidates.push(before);
      break;
  }
  const matches = candidates.some((c) => c.allocated.eq(after.allocated) && c.reserved.eq(after.reserved) && c.committed.eq(after.committed));
  const text = (s: BudgetState): string => `allocated ${s.allocated.toFixed()} reserved ${s.reserved.toFixed()} committed ${s.committed.toFixed()}`;
  if (!matches) {
    return failureAt('budget-sum', b, `budget ${d.budgetId} ${d.kind} ${d.amount} from ${text(before)} should give ${candidates.map(text).join(' or ')}, the delta says ${text(after)}`);
  }
  if (after.reserved.isNegative() || after.committed.isNegative() || after.reserved.plus(after.committed).gt(after.allocated)) {
    return failureAt('budget-sum', b, `budget ${d.budgetId} after ${d.kind} breaks 0 <= reserved + committed <= allocated: ${text(after)}`);
  }
  budgets.set(d.budgetId, after);
  return undefined;
}

function checkPosition(p: Located<PositionState>, positionAtFill: Map<string, { key: string; quantity: ExactDecimal }>): TrailFailure | undefined {
  const s = p.value;
  const key = positionKey(s.venue, s.instrument, s.strategyId);
  let expected = ZERO;
  if (s.lastFillId !== null) {
    const at = positionAtFill.get(s.lastFillId);
    if (!at || at.key !== key) return failureAt('position-sum', p, `position ${key} names last fill ${s.lastFillId}, which is not a fill of that venue, instrument and strategy in the trail`);
    expected = at.quantity;
  }
  if (!toDecimal(s.quantity).eq(expected)) {
    return failureAt('position-sum', p, `position ${key} quantity ${s.quantity} is not the signed sum of its fills up to ${s.lastFillId ?? 'none'}: ${expected.toFixed()}`);
  }
  return undefined;
}
