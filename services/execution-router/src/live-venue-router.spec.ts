import { type OrderEvent as OrderEventRecord } from '@fleet/contracts';
import { checkEnvelope } from '@fleet/events';
import { CcxtTradingVenue, InstrumentMap, LIVE_TRADING_CONSENT, LIVE_TRADING_SETTING, VenueOrderGateway } from '@fleet/venues';
import { FAKE_API_KEY, FAKE_SECRET, FakeBinanceUsdm } from '@fleet/venues/testing';
import { LiveVenueRouter } from './live-venue-router';
import { cancel, place, riskState } from './testing/lane-fixtures';

jest.setTimeout(30_000);

const T0 = 1_767_225_600_000_000;
const clock = { nowUs: (): number => T0 };
const KEY_ENV = 'FLEET_SPEC_BINANCEUSDM_API_KEY';
const SECRET_ENV = 'FLEET_SPEC_BINANCEUSDM_API_SECRET';

const btc = (n: number, over: { side?: 'BUY' | 'SELL'; size?: string; price?: string; timeInForce?: 'GTC' | 'IOC' | 'POST_ONLY' } = {}) =>
  place({ instrument: 'BTC-PERP', venue: 'binanceusdm', side: over.side ?? 'BUY', price: over.price ?? '64000.5', size: over.size ?? '0.01', timeInForce: over.timeInForce ?? 'GTC', n }, T0);

const summary = (records: readonly OrderEventRecord[]) => records.map((r) => [r.kind, r.fill?.quantity ?? r.reject?.reason ?? r.cancel?.cancelledQuantity ?? null]);

describe('LiveVenueRouter against the fake Binance USDⓈ-M venue (loopback)', () => {
  let fake: FakeBinanceUsdm;
  let venue: CcxtTradingVenue;

  const router = (timeoutMs = 10_000): LiveVenueRouter => {
    venue = CcxtTradingVenue.create({
      exchangeId: 'binanceusdm',
      instruments: InstrumentMap.ofPerpetuals(['BTC/USDT:USDT', 'ETH/USDT:USDT']),
      credentials: { apiKeyEnv: KEY_ENV, secretEnv: SECRET_ENV },
      env: { [LIVE_TRADING_SETTING]: LIVE_TRADING_CONSENT, [KEY_ENV]: FAKE_API_KEY, [SECRET_ENV]: FAKE_SECRET },
      urls: { http: fake.httpUrl, ws: fake.wsUrl },
      timeoutMs,
    });
    return new LiveVenueRouter({ gateways: { binanceusdm: new VenueOrderGateway(venue, { clock }) }, clock });
  };

  beforeEach(async () => {
    fake = await FakeBinanceUsdm.start();
  });
  afterEach(async () => {
    await venue?.close();
    await fake.close();
  });

  it('places an order under its client order id and reports SUBMITTED then ACKED with the venue order id; a repeated PLACE sends nothing', async () => {
    const r = router();
    const command = btc(1);
    const records = await r.onCommand(command);
    expect(summary(records)).toEqual([
      ['SUBMITTED', null],
      ['ACKED', null],
    ]);
    expect(records[1]).toMatchObject({ clientOrderId: command.clientOrderId, venue: 'binanceusdm', instrument: 'BTC-PERP', side: 'BUY', price: '64000.5', size: '0.01', venueOrderId: String(fake.order(command.clientOrderId!)!.orderId) });
    expect(records.map((x) => x.envelope.sequence)).toEqual([1, 2]);
    expect(records[1]!.envelope.causation).toEqual([command.envelope.eventId]);
    for (const x of records) expect(checkEnvelope(x)).toBeUndefined();
    expect(await r.onCommand(command)).toEqual([]);
    expect(fake.submitsFor(command.clientOrderId!)).toBe(1);
  });

  it('reports a venue rejection with the normalised reason, the venue code and message', async () => {
    const r = router();
    fake.injectSubmitFault({ kind: 'reject', code: -4050, msg: 'Cross balance insufficient.' });
    const records = await r.onCommand(btc(2));
    expect(summary(records)).toEqual([
      ['SUBMITTED', null],
      ['REJECTED', 'INSUFFICIENT_MARGIN'],
    ]);
    expect(records[1]!.reject!.venueCode).toBe('InsufficientFunds');
    expect(records[1]!.reject!.message).toContain('Cross balance insufficient.');
  });

  it('books a fill reported with the ack and cancels the rest on a CANCEL', async () => {
    const r = router();
    const command = btc(3, { side: 'SELL', size: '0.01', price: '65000.1' });
    fake.injectSubmitFault({ kind: 'fill', quantity: '0.004' });
    expect(summary(await r.onCommand(command))).toEqual([
      ['SUBMITTED', null],
      ['ACKED', null],
      ['FILLED', '0.004'],
    ]);
    const cancelCommand = cancel(command, T0);
    const cancelled = await r.onCommand(cancelCommand);
    expect(summary(cancelled)).toEqual([['CANCELLED', '0.006']]);
    expect(cancelled[0]!.cancel!.requested).toBe(true);
    expect(cancelled[0]!.envelope.causation).toEqual([command.envelope.eventId, cancelCommand.envelope.eventId]);
    expect(fake.order(command.clientOrderId!)!.status).toBe('CANCELED');
  });

  it('keeps a timed-out submit in flight, never sends it again, and resolves it by querying its client order id', async () => {
    const r = router(1_500);
    const command = btc(4);
    fake.injectSubmitFault({ kind: 'withhold' });
    expect(summary(await r.onCommand(command))).toEqual([['SUBMITTED', null]]);
    expect(r.order(command.clientOrderId!)!.order.status).toBe('unknown');
    expect(await r.onCommand(command)).toEqual([]);

    const resolved = await r.resolveInFlight();
    expect(summary(resolved)).toEqual([['ACKED', null]]);
    expect(resolved[0]!.venueOrderId).toBe(String(fake.order(command.clientOrderId!)!.orderId));
    expect(r.order(command.clientOrderId!)!.order.status).toBe('acked');
    expect(await r.resolveInFlight()).toEqual([]);

    expect(fake.submitsFor(command.clientOrderId!)).toBe(1);
    expect(fake.log.filter((e) => e.method === 'POST').map((e) => e.outcome)).toEqual(['withheld']);
    expect(fake.log.filter((e) => e.clientOrderId === command.clientOrderId).map((e) => `${e.method} ${e.outcome}`)).toEqual(['POST withheld', 'GET found']);
  });

  it('on a latched kill switch cancels the working orders of the instrument and refuses every later PLACE without sending it', async () => {
    const r = router();
    const working = btc(5);
    await r.onCommand(working);
    const kill = riskState(true, T0, 'DELTA_LIMIT', 'BTC-PERP');
    const cancelled = await r.onRiskState(kill);
    expect(summary(cancelled)).toEqual([['CANCELLED', '0.01']]);
    expect(cancelled[0]!.envelope.causation).toEqual([working.envelope.eventId, kill.envelope.eventId]);
    const late = btc(6);
    const refused = await r.onCommand(late);
    expect(summary(refused)).toEqual([['REJECTED', 'KILL_SWITCH']]);
    expect(refused[0]!.reject!.message).toContain('DELTA_LIMIT');
    expect(fake.submitsFor(late.clientOrderId!)).toBe(0);
  });

  it('refuses a post-only or IOC order rather than send it as a plain limit order', async () => {
    const r = router();
    const postOnly = btc(7, { timeInForce: 'POST_ONLY' });
    expect(summary(await r.onCommand(postOnly))).toEqual([['REJECTED', 'OTHER']]);
    expect(fake.submitsFor(postOnly.clientOrderId!)).toBe(0);
  });
});
