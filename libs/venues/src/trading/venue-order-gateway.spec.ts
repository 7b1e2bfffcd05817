import { createOrder, deriveIntentId, Price, Quantity } from '@fleet/core';
import type { CancelOutcome, PlaceOrderRequest, PlaceOutcome, QueryOutcome, TradingVenue, VenueOrderSnapshot } from './trading-venue';
import { VenueOrderGateway } from './venue-order-gateway';
import { Redactor } from './redactor';

const T0 = 1_767_225_600_000_000;
const clock = { nowUs: () => T0 };

/** A hand-written venue stub whose submit answers only when the test says so. */
class StubVenue implements TradingVenue {
  readonly venue = 'stub';
  readonly placed: PlaceOrderRequest[] = [];
  private release: ((o: PlaceOutcome) => void) | undefined;
  placeOrder(request: PlaceOrderRequest): Promise<PlaceOutcome> {
    this.placed.push(request);
    return new Promise((resolve) => (this.release = resolve));
  }
  answer(outcome: PlaceOutcome): void {
    this.release!(outcome);
  }
  cancelOrder(): Promise<CancelOutcome> {
    return Promise.resolve({ kind: 'unknown', reason: 'stub' });
  }
  fetchOrder(): Promise<QueryOutcome> {
    return Promise.resolve({ kind: 'not_found' });
  }
  fetchOpenOrders(): Promise<VenueOrderSnapshot[]> {
    return Promise.resolve([]);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const order = createOrder({ strategyId: 's', bucketId: 'b', venue: 'stub', instrument: 'BTC-PERP', side: 'buy', quantity: Quantity.create('1'), limitPrice: Price.create('100'), intentId: deriveIntentId('s', 'b', T0, 1), atUs: T0 });

describe('VenueOrderGateway', () => {
  it('sends a client order id once even when a second submit arrives while the first is in flight', async () => {
    const venue = new StubVenue();
    const gateway = new VenueOrderGateway(venue, { clock });
    const first = gateway.submit(order);
    const second = await gateway.submit(order);
    expect(second.outcome).toEqual({ kind: 'refused', reason: 'already_sent' });
    expect(second.order.status).toBe('in_flight');
    venue.answer({ kind: 'accepted', order: { clientOrderId: order.clientOrderId, venueOrderId: 'V1', instrument: 'BTC-PERP', status: 'open', quantity: '1' as never, filledQuantity: '0' as never, averagePrice: null, updatedAtUs: null } });
    expect((await first).order.status).toBe('acked');
    expect(venue.placed).toHaveLength(1);
  });

  it('keeps what a query learned while the submit was out when the submit then times out', async () => {
    const venue = new StubVenue();
    venue.fetchOrder = () => Promise.resolve({ kind: 'found', order: { clientOrderId: order.clientOrderId, venueOrderId: 'V9', instrument: 'BTC-PERP', status: 'open', quantity: '1' as never, filledQuantity: '0' as never, averagePrice: null, updatedAtUs: null } });
    const gateway = new VenueOrderGateway(venue, { clock });
    const submitting = gateway.submit(order);
    const resolved = await gateway.resolve(order.clientOrderId);
    expect(resolved.order.status).toBe('acked');
    venue.answer({ kind: 'unknown', reason: 'RequestTimeout' });
    const step = await submitting;
    expect(step.order.status).toBe('acked');
    expect(step.order.venueOrderId).toBe('V9');
    expect(venue.placed).toHaveLength(1);
  });

  it('refuses an order that is past submission', async () => {
    const gateway = new VenueOrderGateway(new StubVenue(), { clock });
    const rejected = { ...order, status: 'rejected' as const };
    expect((await gateway.submit(rejected)).outcome).toEqual({ kind: 'refused', reason: 'not_submittable' });
  });
});

describe('Redactor', () => {
  it('removes every secret and its URL-encoded form, longest first', () => {
    const r = new Redactor(['abc/def+ghi', 'abc/def+ghi-longer', undefined, '']);
    expect(r.redact('k=abc/def+ghi-longer&s=abc%2Fdef%2Bghi')).toBe('k=[REDACTED]&s=[REDACTED]');
  });

  it('refuses a credential too short to redact safely', () => {
    expect(() => new Redactor(['ab'])).toThrow('shorter than 4 characters');
  });
});
