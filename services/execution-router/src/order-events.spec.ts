import { Money, type OrderEvent, Price, Quantity } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { applyStep, orderEventRecord, orderOfPlace, type RoutedOrder, routedFromJson, routedToJson } from './order-events';
import { closeOf, place } from './testing/lane-fixtures';

const command = place({ venue: 'venue-a', side: 'SELL', price: '3000.5', size: '2', timeInForce: 'GTC', n: 7 }, closeOf(0));
const t = closeOf(0);

function run(routed: RoutedOrder, events: readonly OrderEvent[]): { routed: RoutedOrder; kinds: string[] } {
  const kinds: string[] = [];
  let current = routed;
  for (const e of events) {
    const step = applyStep(current, e);
    current = step.routed;
    kinds.push(step.duplicate ? 'duplicate' : (step.body?.kind ?? 'none'));
  }
  return { routed: current, kinds };
}

const fill = (id: string, qty: string): OrderEvent => ({ type: 'fill', venueTradeId: id, quantity: Quantity.create(qty), price: Price.create('3000.5'), fee: Money.create('0.3', 'USDT'), liquidity: 'maker', atUs: t + 2 });

describe('order events', () => {
  it('binds a PLACE to a core order under the command client order id, and refuses a command that cannot be one', () => {
    const routed = orderOfPlace(command, t)!;
    expect(routed.order).toMatchObject({ clientOrderId: command.clientOrderId, intentId: command.intentId, strategyId: 'mm-1', bucketId: 'mm-budget', venue: 'venue-a', side: 'sell', status: 'intent' });
    expect(routed.order.quantity.toString()).toBe('2');
    expect(routed.order.limitPrice!.toString()).toBe('3000.5');
    expect(orderOfPlace({ ...command, placement: { ...command.placement!, size: '0' as never } }, t)).toBeUndefined();
    expect(orderOfPlace({ ...command, clientOrderId: 'not a valid id!' }, t)).toBeUndefined();
    expect(orderOfPlace({ ...command, intentId: null }, t)).toBeUndefined();
    expect(orderOfPlace({ ...command, kind: 'CANCEL' }, t)).toBeUndefined();
  });

  it('applies an ack, a fill, a cancel or a reject once: the same venue event again changes nothing', () => {
    const routed = applyStep(orderOfPlace(command, t)!, { type: 'submit', atUs: t }).routed;
    const ack: OrderEvent = { type: 'ack', venueEventId: 'a1', venueOrderId: 'V1', atUs: t + 1 };
    const cancelled: OrderEvent = { type: 'cancelled', venueEventId: 'c1', atUs: t + 4 };
    const once = run(routed, [ack, fill('f1', '0.5'), { type: 'cancel_request', atUs: t + 3 }, cancelled]);
    const twice = run(routed, [ack, ack, fill('f1', '0.5'), fill('f1', '0.5'), ack, { type: 'cancel_request', atUs: t + 3 }, cancelled, cancelled, fill('f1', '0.5')]);
    expect(once.kinds).toEqual(['ACKED', 'FILLED', 'none', 'CANCELLED']);
    expect(twice.kinds).toEqual(['ACKED', 'duplicate', 'FILLED', 'duplicate', 'duplicate', 'none', 'CANCELLED', 'duplicate', 'duplicate']);
    expect(routedToJson(twice.routed)).toEqual(routedToJson(once.routed));
    expect(once.routed.order.filledQuantity.toString()).toBe('0.5');

    const reject: OrderEvent = { type: 'reject', venueEventId: 'r1', reason: 'post-only', atUs: t + 1 };
    const rejected = run(routed, [reject, reject]);
    expect(rejected.kinds).toEqual(['REJECTED', 'duplicate']);
    expect(rejected.routed.order.status).toBe('rejected');
  });

  it('writes every field of the fill and cancel details from the order after the step', () => {
    const routed = run(applyStep(orderOfPlace(command, t)!, { type: 'submit', atUs: t }).routed, [{ type: 'ack', venueEventId: 'a1', venueOrderId: 'V1', atUs: t + 1 }]).routed;
    const filled = applyStep(routed, fill('f1', '0.75'));
    expect(filled.body).toMatchObject({ kind: 'FILLED', venueOrderId: 'V1', side: 'SELL', price: '3000.5', size: '2', fill: { venueFillId: 'f1', quantity: '0.75', fee: '0.3', feeCurrency: 'USDT', liquidity: 'MAKER', cumulativeQuantity: '0.75', remainingQuantity: '1.25' } });
    const cancelled = applyStep(filled.routed, { type: 'cancelled', venueEventId: 'c1', atUs: t + 9 });
    expect(cancelled.body).toMatchObject({ kind: 'CANCELLED', cancel: { cancelledQuantity: '1.25', requested: false }, fill: null, reject: null, positionClose: null });
    const record = orderEventRecord(cancelled.body!, { producer: 'execution-router', sequence: 4, eventTimeUs: t + 9, causation: [command.envelope.eventId], correlationId: 'flow' });
    expect(record.envelope).toMatchObject({ producer: 'execution-router', sequence: 4, eventTimeUs: t + 9, causation: [command.envelope.eventId], correlationId: 'flow' });
    expect(checkEnvelope(record)).toBeUndefined();
  });

  it('maps a query result to the step it resolves', () => {
    const inFlight = applyStep(orderOfPlace(command, t)!, { type: 'submit', atUs: t }).routed;
    const timedOut = applyStep(inFlight, { type: 'submit_timeout', atUs: t + 1 });
    expect(timedOut.body).toBeUndefined();
    expect(applyStep(timedOut.routed, { type: 'query_result', queryId: 'q1', venueStatus: 'open', venueOrderId: 'V9', atUs: t + 2 }).body).toMatchObject({ kind: 'ACKED', venueOrderId: 'V9' });
    expect(applyStep(timedOut.routed, { type: 'query_result', queryId: 'q1', venueStatus: 'not_found', atUs: t + 2 }).body).toMatchObject({ kind: 'REJECTED', reject: { reason: 'OTHER', message: 'query: not_found' } });
  });

  it('round-trips a routed order through JSON', () => {
    const routed = run(applyStep(orderOfPlace(command, t)!, { type: 'submit', atUs: t }).routed, [{ type: 'ack', venueEventId: 'a1', venueOrderId: 'V1', atUs: t + 1 }, fill('f1', '1')]).routed;
    const back = routedFromJson(JSON.parse(JSON.stringify(routedToJson(routed))));
    expect(routedToJson(back)).toEqual(routedToJson(routed));
    // The rebuilt order keeps its idempotency keys: the same fill is still a duplicate.
    expect(applyStep(back, fill('f1', '1')).duplicate).toBe(true);
  });
});
