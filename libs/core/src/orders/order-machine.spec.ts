import fc from 'fast-check';
import { IllegalTransitionError, ValidationError } from '../errors';
import { Money, Price, Quantity } from '../money';
import {
  applyOrderEvent,
  createOrder,
  deriveClientOrderId,
  deriveFillId,
  deriveIdempotencyKey,
  idempotencyKeyOf,
  deriveIntentId,
  isValidClientOrderId,
  MAX_CLIENT_ORDER_ID_LENGTH,
  type Order,
  type OrderEvent,
  OverfillError,
  remainingQuantity,
  replayOrderEvents,
} from './index';

const intentId = deriveIntentId('mm-btc', 'bucket-crypto', 1_000_000, 1);
const newOrder = (qty = '2'): Order =>
  createOrder({
    strategyId: 'mm-btc',
    bucketId: 'bucket-crypto',
    venue: 'venue-a',
    instrument: 'BTC-PERP',
    side: 'buy',
    quantity: Quantity.create(qty),
    limitPrice: Price.create('50000'),
    intentId,
    atUs: 1_000_000,
  });
const fee = Money.create('0.5', 'USDT');
const fill = (id: string, qty: string, atUs = 3): OrderEvent => ({ type: 'fill', venueTradeId: id, quantity: Quantity.create(qty), price: Price.create('50000'), fee, liquidity: 'maker', atUs });
const submit: OrderEvent = { type: 'submit', atUs: 1 };
const ack: OrderEvent = { type: 'ack', venueEventId: 'e-ack', venueOrderId: 'v-1', atUs: 2 };
const run = (events: readonly OrderEvent[], qty = '2'): Order => replayOrderEvents(newOrder(qty), events);

describe('LiveOrderState state machine (transitions are explicit and auditable)', () => {
  it('Intent → Submitted (in flight) → Acked → PartiallyFilled → Filled → PositionClosed', () => {
    const statuses: string[] = [];
    let o = newOrder();
    for (const e of [submit, ack, fill('t1', '0.5'), fill('t2', '1.5'), { type: 'position_closed', closeId: 'c1', atUs: 9 } as OrderEvent]) {
      o = applyOrderEvent(o, e).order;
      statuses.push(o.status);
    }
    expect(statuses).toEqual(['in_flight', 'acked', 'partially_filled', 'filled', 'position_closed']);
    expect(o.filledQuantity.toString()).toBe('2');
    expect(o.fills.map((f) => f.fillId)).toEqual([deriveFillId('venue-a', 't1'), deriveFillId('venue-a', 't2')]);
  });

  it('in flight → rejected keeps the reason and ends the working life', () => {
    const t = applyOrderEvent(run([submit]), { type: 'reject', venueEventId: 'e1', reason: 'insufficient margin', atUs: 2 });
    expect(t.order.status).toBe('rejected');
    expect(t.order.rejectReason).toBe('insufficient margin');
    expect(t.finishedWorking).toBe(true);
    expect(remainingQuantity(t.order).isZero()).toBe(true);
  });

  it('cancel requested → cancelled; cancel rejected returns to the open status', () => {
    const requested = run([submit, ack, fill('t1', '0.5'), { type: 'cancel_request', atUs: 4 }]);
    expect(requested.status).toBe('cancel_requested');
    expect(applyOrderEvent(requested, { type: 'cancelled', venueEventId: 'e-c', atUs: 5 }).order.status).toBe('cancelled');
    expect(applyOrderEvent(requested, { type: 'cancel_rejected', venueEventId: 'e-cr', reason: 'too late', atUs: 5 }).order.status).toBe('partially_filled');
  });

  it('a fill racing a cancel request may complete the order', () => {
    const o = run([submit, ack, { type: 'cancel_request', atUs: 4 }, fill('t1', '2')]);
    expect(o.status).toBe('filled');
  });

  it('illegal transitions are typed errors', () => {
    expect(() => applyOrderEvent(newOrder(), ack)).toThrow(IllegalTransitionError);
    expect(() => applyOrderEvent(run([submit, ack]), submit)).toThrow('order: event "submit" is not allowed in state "acked"');
    expect(() => applyOrderEvent(run([submit, ack, fill('t1', '2')]), { type: 'cancel_request', atUs: 9 })).toThrow(IllegalTransitionError);
    expect(() => applyOrderEvent(run([submit, ack]), { type: 'position_closed', closeId: 'c', atUs: 9 })).toThrow(IllegalTransitionError);
    expect(() => applyOrderEvent(run([submit, { type: 'reject', venueEventId: 'r', reason: 'x', atUs: 2 }]), fill('t1', '1'))).toThrow(IllegalTransitionError);
  });

  it('fill quantities never exceed the order quantity', () => {
    const o = run([submit, ack, fill('t1', '1.5')]);
    expect(() => applyOrderEvent(o, fill('t2', '0.6'))).toThrow(OverfillError);
    expect(() => applyOrderEvent(o, fill('t3', '0'))).toThrow(ValidationError);
  });
});

describe('Unknown submit outcome is never guessed', () => {
  it('a timeout leaves the order unknown until a query result resolves it', () => {
    const unknown = run([submit, { type: 'submit_timeout', atUs: 5 }]);
    expect(unknown.status).toBe('unknown');
    expect(applyOrderEvent(unknown, { type: 'submit_timeout', atUs: 6 }).order.status).toBe('unknown');
    expect(applyOrderEvent(unknown, { type: 'query_result', queryId: 'q1', venueStatus: 'open', venueOrderId: 'v-9', atUs: 7 }).order).toMatchObject({ status: 'acked', venueOrderId: 'v-9' });
    expect(applyOrderEvent(unknown, { type: 'query_result', queryId: 'q1', venueStatus: 'not_found', atUs: 7 }).order.status).toBe('rejected');
    expect(applyOrderEvent(unknown, { type: 'query_result', queryId: 'q1', venueStatus: 'cancelled', atUs: 7 }).order.status).toBe('cancelled');
  });

  it('a fill proves the order reached the venue', () => {
    expect(applyOrderEvent(run([submit, { type: 'submit_timeout', atUs: 5 }]), fill('t1', '1')).order.status).toBe('partially_filled');
  });

  it('a query result is refused once the order is known', () => {
    expect(() => applyOrderEvent(run([submit, ack]), { type: 'query_result', queryId: 'q', venueStatus: 'open', atUs: 7 })).toThrow(IllegalTransitionError);
  });
});

describe('IdempotencyKey: idempotent processing of exchange events (no double-commit)', () => {
  it('a repeated venue event is a no-op flagged duplicate', () => {
    const o = run([submit, ack, fill('t1', '1')]);
    const again = applyOrderEvent(o, fill('t1', '1'));
    expect(again.duplicate).toBe(true);
    expect(again.order).toBe(o);
    expect(again.fill).toBeUndefined();
    expect(applyOrderEvent(o, ack).duplicate).toBe(true);
  });

  it('local commands are not deduplicated: a second submit is illegal', () => {
    expect(() => run([submit, submit])).toThrow(IllegalTransitionError);
  });
});

describe('ClientOrderId derivation (deterministic, at most 32 characters)', () => {
  it('is the same for the same intent and venue and fits venue limits', () => {
    const id = deriveClientOrderId(intentId, 'venue-a');
    expect(id).toBe(deriveClientOrderId(intentId, 'venue-a'));
    expect(id).toHaveLength(32);
    expect(isValidClientOrderId(id)).toBe(true);
    expect(deriveClientOrderId(intentId, 'venue-a', 1)).not.toBe(id);
    expect(newOrder().clientOrderId).toBe(id);
  });

  it('property: ids are at most 32 of [A-Za-z0-9-_] and distinct for distinct inputs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string(), fc.string(), fc.nat(1e9), fc.nat(1000), fc.nat(3)), { minLength: 2, maxLength: 40, selector: (t) => JSON.stringify(t) }), (inputs) => {
        const ids = inputs.map(([s, b, t, q, attempt]) => deriveClientOrderId(deriveIntentId(s, b, t, q), 'venue-a', attempt));
        for (const id of ids) {
          expect(id.length).toBeLessThanOrEqual(MAX_CLIENT_ORDER_ID_LENGTH);
          expect(isValidClientOrderId(id)).toBe(true);
        }
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});

describe('IntentId, FillId and IdempotencyKey derivation (deterministic, no UUIDs)', () => {
  it('depends only on its inputs', () => {
    expect(deriveIntentId('mm-btc', 'bucket-crypto', 1_000_000, 1)).toBe(intentId);
    expect(intentId).toMatch(/^[0-9a-f]{64}$/);
    expect(deriveIntentId('mm-btc', 'bucket-crypto', 1_000_000, 2)).not.toBe(intentId);
    expect(deriveFillId('venue-a', 't1')).toBe(deriveFillId('venue-a', 't1'));
    expect(deriveFillId('venue-b', 't1')).not.toBe(deriveFillId('venue-a', 't1'));
    const o = newOrder();
    expect(idempotencyKeyOf(o, fill('t1', '1'))).toBe(deriveIdempotencyKey(o.clientOrderId, 'fill', 't1'));
    expect(idempotencyKeyOf(o, fill('t1', '1', 99))).toBe(idempotencyKeyOf(o, fill('t1', '1', 3)));
    expect(idempotencyKeyOf(o, submit)).toBeUndefined();
  });
});

describe('Idempotency (property): replaying a venue event sequence with duplicates interleaved gives the same state as once', () => {
  /** Builds a legal event sequence from random choices: some fills, maybe a cancel, maybe a close. */
  const scenario = fc.record({
    timeout: fc.boolean(),
    fills: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 6 }),
    cancel: fc.boolean(),
    close: fc.boolean(),
    dupes: fc.array(fc.nat(), { maxLength: 10 }),
  });

  it('holds for random legal sequences', () => {
    fc.assert(
      fc.property(scenario, ({ timeout, fills, cancel, close, dupes }) => {
        const events: OrderEvent[] = [submit];
        if (timeout) events.push({ type: 'submit_timeout', atUs: 2 }, { type: 'query_result', queryId: 'q1', venueStatus: 'open', venueOrderId: 'v1', atUs: 3 });
        else events.push(ack);
        let filled = 0;
        fills.forEach((f, i) => {
          if (filled + f <= 10) {
            filled += f;
            events.push(fill(`t${i}`, String(f), 10 + i));
          }
        });
        if (filled < 10 && cancel) events.push({ type: 'cancel_request', atUs: 50 }, { type: 'cancelled', venueEventId: 'c1', atUs: 51 });
        const stopped = filled === 10 || (filled < 10 && cancel);
        if (close && stopped && filled > 0) events.push({ type: 'position_closed', closeId: 'p1', atUs: 60 });
        const once = replayOrderEvents(newOrder('10'), events);
        const venueEvents = events.filter((e) => e.type !== 'submit' && e.type !== 'submit_timeout' && e.type !== 'cancel_request');
        const withDupes: OrderEvent[] = [];
        events.forEach((e, i) => {
          withDupes.push(e);
          dupes.filter((d) => d % events.length === i).forEach((d) => {
            const earlier = venueEvents.filter((v) => events.indexOf(v) <= i);
            if (earlier.length > 0) withDupes.push(earlier[d % earlier.length]);
          });
        });
        withDupes.push(...venueEvents);
        const twice = replayOrderEvents(newOrder('10'), withDupes);
        expect(twice).toEqual(once);
      }),
    );
  });
});
