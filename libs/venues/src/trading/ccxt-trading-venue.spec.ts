import { inspect } from 'node:util';
import { createOrder, deriveIntentId, Money, type Order, Price, Quantity } from '@fleet/core';
import { InstrumentMap } from '../ccxt/instrument-map';
import { LiveTradingNotEnabledError, VenueError } from '../errors';
import { FAKE_API_KEY, FAKE_SECRET, FakeBinanceUsdm } from '../testing/fake-venue';
import { CcxtTradingVenue, type CcxtTradingConfig, LIVE_TRADING_CONSENT, LIVE_TRADING_SETTING } from './ccxt-trading-venue';
import type { VenueLogger } from './redactor';
import { VenueOrderGateway } from './venue-order-gateway';

jest.setTimeout(30_000);

const T0 = 1_767_225_600_000_000;
const clock = { nowUs: () => T0 };
const KEY_ENV = 'FLEET_TEST_BINANCEUSDM_API_KEY';
const SECRET_ENV = 'FLEET_TEST_BINANCEUSDM_SECRET';

function limitOrder(n: number, side: 'buy' | 'sell' = 'buy', quantity = '0.010', price = '64000.5'): Order {
  return createOrder({
    strategyId: 'mm',
    bucketId: 'b1',
    venue: 'binanceusdm',
    instrument: 'BTC-PERP',
    side,
    quantity: Quantity.create(quantity),
    limitPrice: Price.create(price),
    intentId: deriveIntentId('mm', 'b1', T0, n),
    atUs: T0,
  });
}

/** A logger that keeps every line, to prove that no line carries a credential. */
function recordingLogger(): VenueLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m, f) => void lines.push(`${m} ${JSON.stringify(f ?? {})}`), warn: (m, f) => void lines.push(`${m} ${JSON.stringify(f ?? {})}`) };
}

describe('CcxtTradingVenue and VenueOrderGateway against the fake Binance USDⓈ-M venue (loopback)', () => {
  let fake: FakeBinanceUsdm;
  const venues: CcxtTradingVenue[] = [];

  beforeEach(async () => {
    fake = await FakeBinanceUsdm.start();
  });
  afterEach(async () => {
    await Promise.all(venues.splice(0).map((v) => v.close()));
    await fake.close();
  });

  const config = (over: Partial<CcxtTradingConfig> = {}, env: Record<string, string | undefined> = {}): CcxtTradingConfig => ({
    exchangeId: 'binanceusdm',
    instruments: InstrumentMap.ofPerpetuals(['BTC/USDT:USDT', 'ETH/USDT:USDT']),
    credentials: { apiKeyEnv: KEY_ENV, secretEnv: SECRET_ENV },
    env: { [LIVE_TRADING_SETTING]: LIVE_TRADING_CONSENT, [KEY_ENV]: FAKE_API_KEY, [SECRET_ENV]: FAKE_SECRET, ...env },
    urls: { http: fake.httpUrl, ws: fake.wsUrl },
    // Generous for ordinary requests; the timeout tests use a short one, and their fake never answers at all.
    timeoutMs: 10_000,
    ...over,
  });
  const open = (over: Partial<CcxtTradingConfig> = {}, env: Record<string, string | undefined> = {}): CcxtTradingVenue => {
    const v = CcxtTradingVenue.create(config(over, env));
    venues.push(v);
    return v;
  };

  it('refuses to start without the opt-in, naming the setting and the value it needs', () => {
    for (const value of [undefined, 'yes', 'true']) {
      const attempt = () => CcxtTradingVenue.create(config({}, { [LIVE_TRADING_SETTING]: value }));
      expect(attempt).toThrow(LiveTradingNotEnabledError);
      expect(attempt).toThrow(`set the environment variable ${LIVE_TRADING_SETTING}=${LIVE_TRADING_CONSENT}`);
    }
    expect(fake.log).toEqual([]);
  });

  it('names a missing credential variable, never a value', () => {
    expect(() => CcxtTradingVenue.create(config({}, { [SECRET_ENV]: undefined }))).toThrow(`needs the environment variable ${SECRET_ENV}, which is not set`);
  });

  it('places a limit order with our client order id and gets an ack', async () => {
    const gateway = new VenueOrderGateway(open(), { clock });
    const order = limitOrder(1);
    const step = await gateway.submit(order);
    expect(step.outcome).toMatchObject({ kind: 'accepted', order: { clientOrderId: order.clientOrderId, status: 'open', quantity: '0.01', filledQuantity: '0' } });
    expect(step.order.status).toBe('acked');
    expect(step.order.venueOrderId).toBe(String(fake.order(order.clientOrderId)!.orderId));
    expect(step.events.map((e) => e.type)).toEqual(['submit', 'ack']);
    expect(fake.order(order.clientOrderId)).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', origQty: '0.01', price: '64000.5' });
    expect(fake.submitsFor(order.clientOrderId)).toBe(1);
  });

  it('books a partial fill reported with the ack and later fills from a query, each once', async () => {
    const venue = open();
    const gateway = new VenueOrderGateway(venue, { clock });
    const order = limitOrder(2, 'sell', '0.004', '65000.1');
    fake.injectSubmitFault({ kind: 'fill', quantity: '0.001' });
    const step = await gateway.submit(order);
    expect(step.order.status).toBe('partially_filled');
    expect(step.order.filledQuantity.toString()).toBe('0.001');
    fake.fill(order.clientOrderId, '0.003', '65000.3');
    const q = await venue.fetchOrder(order.clientOrderId, 'BTC-PERP');
    expect(q.kind).toBe('found');
    if (q.kind !== 'found') return;
    const first = gateway.applySnapshot(order.clientOrderId, q.order);
    expect(first.order.status).toBe('filled');
    expect(first.order.fills.map((f) => [f.quantity.toString(), f.price.toString()])).toEqual([
      ['0.001', '65000.1'],
      ['0.003', '65000.3'],
    ]);
    // The same snapshot again is a no-op.
    const again = gateway.applySnapshot(order.clientOrderId, q.order);
    expect(again.events).toEqual([]);
    expect(again.order).toBe(first.order);
  });

  it('turns a venue rejection into a rejected order, not an exception', async () => {
    const gateway = new VenueOrderGateway(open(), { clock });
    const order = limitOrder(3);
    fake.injectSubmitFault({ kind: 'reject', code: -2019, msg: 'Margin is insufficient.' });
    const step = await gateway.submit(order);
    expect(step.outcome).toMatchObject({ kind: 'rejected' });
    expect(step.outcome.kind === 'rejected' && step.outcome.reason).toContain('Margin is insufficient.');
    expect(step.order.status).toBe('rejected');
    expect(fake.order(order.clientOrderId)).toBeUndefined();
  });

  it('keeps a timed-out submit in flight, resolves it by its client order id and never sends it twice', async () => {
    const venue = open({ timeoutMs: 1_500 });
    const gateway = new VenueOrderGateway(venue, { clock });
    const order = limitOrder(4);
    fake.injectSubmitFault({ kind: 'withhold' });
    const step = await gateway.submit(order);
    expect(step.outcome.kind).toBe('unknown');
    expect(step.order.status).toBe('unknown');
    // The venue did take it.
    expect(fake.order(order.clientOrderId)?.status).toBe('NEW');

    // A second submit of the same order (or of the same client order id) is refused locally.
    const resend = await gateway.submit(order);
    expect(resend.outcome).toEqual({ kind: 'refused', reason: 'already_sent' });
    expect(resend.order.status).toBe('unknown');

    const resolved = await gateway.resolve(order.clientOrderId);
    expect(resolved.outcome.kind).toBe('found');
    expect(resolved.order.status).toBe('acked');
    expect(resolved.order.venueOrderId).toBe(String(fake.order(order.clientOrderId)!.orderId));
    expect(resolved.events.map((e) => e.type)).toEqual(['query_result']);

    expect(fake.submitsFor(order.clientOrderId)).toBe(1);
    expect(fake.log.filter((e) => e.clientOrderId === order.clientOrderId).map((e) => `${e.method} ${e.outcome}`)).toEqual(['POST withheld', 'GET found']);
  });

  it('leaves an order unknown when the query finds nothing, unless not-found is declared final', async () => {
    const venue = open({ timeoutMs: 1_500 });
    const patient = new VenueOrderGateway(venue, { clock });
    const order = limitOrder(5);
    fake.injectSubmitFault({ kind: 'drop' });
    expect((await patient.submit(order)).order.status).toBe('unknown');
    const first = await patient.resolve(order.clientOrderId);
    expect(first.outcome).toEqual({ kind: 'not_found' });
    expect(first.events).toEqual([]);
    expect(first.order.status).toBe('unknown');

    const decisive = new VenueOrderGateway(venue, { clock, notFoundIsFinal: true });
    const other = limitOrder(6);
    fake.injectSubmitFault({ kind: 'drop' });
    await decisive.submit(other);
    const resolved = await decisive.resolve(other.clientOrderId);
    expect(resolved.order.status).toBe('rejected');
    expect(resolved.order.rejectReason).toBe('query: not_found');
    // Still never re-sent.
    expect((await decisive.submit(other)).outcome).toEqual({ kind: 'refused', reason: 'already_sent' });
    expect([fake.submitsFor(order.clientOrderId), fake.submitsFor(other.clientOrderId)]).toEqual([1, 1]);
  });

  it('refuses to send an id that an earlier life of the process already sent', async () => {
    const order = limitOrder(12);
    const gateway = new VenueOrderGateway(open(), { clock, alreadySent: [order.clientOrderId] });
    expect((await gateway.submit(order)).outcome).toEqual({ kind: 'refused', reason: 'already_sent' });
    expect(fake.submitsFor(order.clientOrderId)).toBe(0);
  });

  it('returns an order to its previous status when the venue refuses the cancel', async () => {
    const gateway = new VenueOrderGateway(open(), { clock });
    const order = limitOrder(13);
    await gateway.submit(order);
    fake.fill(order.clientOrderId, '0.01', '64000.5');
    const step = await gateway.cancel(order.clientOrderId);
    expect(step.outcome.kind).toBe('rejected');
    expect(step.order.status).toBe('acked');
    expect(step.events.map((e) => e.type)).toEqual(['cancel_request', 'cancel_rejected']);
  });

  it('cancels an open order by its client order id', async () => {
    const gateway = new VenueOrderGateway(open(), { clock });
    const order = limitOrder(7);
    await gateway.submit(order);
    const step = await gateway.cancel(order.clientOrderId);
    expect(step.outcome.kind).toBe('cancelled');
    expect(step.order.status).toBe('cancelled');
    expect(step.events.map((e) => e.type)).toEqual(['cancel_request', 'cancelled']);
    expect(fake.order(order.clientOrderId)?.status).toBe('CANCELED');
    // A cancelled order cannot be cancelled again: the core's order machine refuses before anything is sent.
    await expect(gateway.cancel(order.clientOrderId)).rejects.toThrow('cancel_request');
    expect(fake.log.filter((e) => e.method === 'DELETE')).toHaveLength(1);
  });

  it('lists open orders of one instrument and of all', async () => {
    const venue = open();
    const gateway = new VenueOrderGateway(venue, { clock });
    const a = limitOrder(8);
    const b = limitOrder(9, 'sell', '0.02', '66000');
    await gateway.submit(a);
    await gateway.submit(b);
    await gateway.cancel(a.clientOrderId);
    const openOrders = await venue.fetchOpenOrders('BTC-PERP');
    expect(openOrders.map((o) => [o.clientOrderId, o.status, o.quantity])).toEqual([[b.clientOrderId, 'open', '0.02']]);
    expect((await venue.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual([b.clientOrderId]);
  });

  it('applies a repeated venue event once', async () => {
    const gateway = new VenueOrderGateway(open(), { clock });
    const order = limitOrder(10, 'buy', '0.005');
    await gateway.submit(order);
    const fill = { type: 'fill' as const, venueTradeId: 'T-1', quantity: Quantity.create('0.002'), price: Price.create('64000.5'), fee: Money.create('0.01', 'USDT'), liquidity: 'maker' as const, atUs: T0 + 1 };
    const first = gateway.applyVenueEvent(order.clientOrderId, fill);
    const second = gateway.applyVenueEvent(order.clientOrderId, fill);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.order.filledQuantity.toString()).toBe('0.002');
    expect(second.order).toBe(first.order);
  });

  it('never lets the API key or secret into an error, a log line or a printout', async () => {
    const logger = recordingLogger();
    // The fake rejects a wrong key by echoing it back; use a wrong key and a wrong secret that are long and unique.
    const wrongKey = 'WRONG-KEY-9f8e7d6c5b4a39281706';
    const wrongSecret = 'WRONG-SECRET-0a1b2c3d4e5f60718293';
    const venue = open({ logger }, { [KEY_ENV]: wrongKey, [SECRET_ENV]: wrongSecret });
    const order = limitOrder(11);
    const placed = await venue.placeOrder({ clientOrderId: order.clientOrderId, instrument: 'BTC-PERP', side: 'buy', quantity: order.quantity, limitPrice: order.limitPrice });
    expect(placed.kind).toBe('rejected');
    // The venue really did echo the key: the adapter removed it.
    expect(fake.log.at(-1)!.outcome).toBe('rejected:-2015');
    const texts: string[] = [JSON.stringify(placed), ...logger.lines, JSON.stringify(venue), inspect(venue, { depth: 5, showHidden: true })];
    try {
      await venue.fetchOpenOrders();
    } catch (e) {
      expect(e).toBeInstanceOf(VenueError);
      texts.push((e as Error).message, String((e as Error).stack), inspect(e, { depth: 5 }), JSON.stringify(e));
    }
    expect(texts.length).toBeGreaterThan(6);
    expect(texts.join('\n')).toContain('[REDACTED]');
    for (const t of texts) {
      expect(t).not.toContain(wrongKey);
      expect(t).not.toContain(wrongSecret);
    }
  });
});
