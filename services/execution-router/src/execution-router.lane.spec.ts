import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, ORDER_COMMAND_TYPE, type OrderEvent as OrderEventRecord, RISK_STATE_TYPE, Topics, TRADE_TYPE } from '@fleet/contracts';
import { deriveFillId, digestOf, ExactDecimal } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { type LaneSessionConfig, type LaneTick } from '@fleet/service';
import { EXECUTION_ROUTER_INPUTS, EXECUTION_ROUTER_OUTPUTS, ExecutionRouterHandler, type ExecutionRouterLaneState } from './execution-router.lane';
import { book, cancel, closeOf, laneTick, place, riskState, SPEC_SESSION, specVenue, START_US, trade } from './testing/lane-fixtures';
import { simulatedLaneTicks } from './testing/sim-lane';

function handler(session: LaneSessionConfig = SPEC_SESSION, metrics: FleetMetrics = createIsolatedMetrics({ service: 'execution-router', instance: 'spec' })): ExecutionRouterHandler {
  return new ExecutionRouterHandler({ service: 'execution-router', instance: 'spec', session, config: { service: {} as never, session, venue: 'paper', live: null }, metrics });
}

function records(h: ExecutionRouterHandler, tick: LaneTick): OrderEventRecord[] {
  return h.onTick(tick).map((o) => {
    expect(o.spec).toBe(Topics.orderEvent);
    expect(o.key).toBe((o.value as OrderEventRecord).instrument);
    return o.value as OrderEventRecord;
  });
}

async function metricValue(metrics: FleetMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

/** Returns the exact fee price × size × bps / 10⁴, as the venue charges it. */
function fee(price: string, size: string, bps: number): string {
  return new ExactDecimal(price).times(size).times(bps).div(10_000).toFixed();
}

describe('ExecutionRouterHandler (paper exchange)', () => {
  it('declares market data, risk state and order commands in, order.event out', () => {
    expect(EXECUTION_ROUTER_INPUTS).toEqual([
      { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: ['market-gateway'] },
      { spec: Topics.mdTrade, schema: AVRO_SCHEMAS[TRADE_TYPE], producers: ['market-gateway'] },
      { spec: Topics.riskState, schema: AVRO_SCHEMAS[RISK_STATE_TYPE], producers: ['risk-shield'] },
      { spec: Topics.orderCommand, schema: AVRO_SCHEMAS[ORDER_COMMAND_TYPE], producers: ['budget-ledger'] },
    ]);
    expect(EXECUTION_ROUTER_OUTPUTS).toEqual([Topics.orderEvent]);
  });

  it('fills a resting post-only quote as maker, at its price, when a trade trades through it', async () => {
    const metrics = createIsolatedMetrics({ service: 'execution-router', instance: 'spec' });
    const h = handler(SPEC_SESSION, metrics);
    const quote = place({ venue: 'venue-a', side: 'BUY', price: '2999.9', size: '0.5', timeInForce: 'POST_ONLY', n: 1 }, closeOf(0));
    const first = records(h, laneTick(0, { books: [book('venue-a', 3000, 3000.1, START_US + 10_000)], commands: [quote] }));
    expect(first.map((r) => [r.kind, r.envelope.eventTimeUs])).toEqual([['SUBMITTED', closeOf(0)]]);
    expect(first[0]).toMatchObject({ clientOrderId: quote.clientOrderId, intentId: quote.intentId, strategyId: 'mm-1', venue: 'venue-a', side: 'BUY', price: '2999.9', size: '0.5', idempotencyKey: quote.idempotencyKey });
    expect(await metricValue(metrics, 'fleet_open_orders', { venue: 'venue-a' })).toBe(0);

    const latency = specVenue('venue-a').latencyUs;
    const above = trade('venue-a', 2999.95, 3, 'sell', closeOf(0) + 50_000);
    const through = trade('venue-a', 2999.8, 0.1, 'sell', closeOf(0) + 100_000);
    const second = records(h, laneTick(1, { trades: [above, through] }));
    expect(second.map((r) => [r.kind, r.envelope.eventTimeUs])).toEqual([
      ['ACKED', closeOf(0) + latency],
      ['FILLED', closeOf(0) + 100_000],
    ]);
    const fill = second[1]!;
    expect(fill.fill).toEqual({
      fillId: deriveFillId('venue-a', fill.fill!.venueFillId),
      venueFillId: fill.fill!.venueFillId,
      quantity: '0.5',
      price: '2999.9',
      fee: fee('2999.9', '0.5', specVenue('venue-a').makerFeeBps),
      feeCurrency: 'USDT',
      liquidity: 'MAKER',
      cumulativeQuantity: '0.5',
      remainingQuantity: '0',
    });
    expect(fill.fill!.fee).toBe('0.0749975');
    expect(fill.envelope.causation).toEqual([quote.envelope.eventId, through.envelope.eventId]);
    expect(fill.envelope.correlationId).toBe(quote.envelope.correlationId);
    expect([...first, ...second].map((r) => r.envelope.sequence)).toEqual([1, 2, 3]);
    for (const r of [...first, ...second]) expect(checkEnvelope(r)).toBeUndefined();
    expect(await metricValue(metrics, 'fleet_fills_total', { venue: 'venue-a', liquidity: 'maker' })).toBe(1);
  });

  it('fills an IOC against the displayed book as taker, with the taker fee, and cancels the rest', async () => {
    const metrics = createIsolatedMetrics({ service: 'execution-router', instance: 'spec' });
    const h = handler(SPEC_SESSION, metrics);
    const ioc = place({ venue: 'venue-b', side: 'BUY', price: '3000.12', size: '1', timeInForce: 'IOC', n: 1 }, closeOf(0));
    records(h, laneTick(0, { books: [book('venue-b', 3000, 3000.1, START_US + 10_000, { askSize: 0.25 })], commands: [ioc] }));
    const out = records(h, laneTick(1, {}));
    const at = closeOf(0) + specVenue('venue-b').latencyUs;
    expect(out.map((r) => [r.kind, r.envelope.eventTimeUs])).toEqual([
      ['ACKED', at],
      ['FILLED', at],
      ['FILLED', at],
      ['FILLED', at],
      ['CANCELLED', at],
    ]);
    const taker = specVenue('venue-b').takerFeeBps;
    expect(out.filter((r) => r.kind === 'FILLED').map((r) => [r.fill!.price, r.fill!.quantity, r.fill!.liquidity, r.fill!.fee, r.fill!.cumulativeQuantity])).toEqual([
      ['3000.1', '0.25', 'TAKER', fee('3000.1', '0.25', taker), '0.25'],
      ['3000.11', '0.25', 'TAKER', fee('3000.11', '0.25', taker), '0.5'],
      ['3000.12', '0.25', 'TAKER', fee('3000.12', '0.25', taker), '0.75'],
    ]);
    expect(out[1]!.fill!.fee).toBe('0.3750125');
    expect(out[4]!.cancel).toEqual({ cancelledQuantity: '0.25', requested: false });
    expect(out[1]!.envelope.causation).toEqual([ioc.envelope.eventId]);
    expect(await metricValue(metrics, 'fleet_fills_total', { venue: 'venue-b', liquidity: 'taker' })).toBe(3);
  });

  it('rejects a post-only order that would take, with the normalised reason', async () => {
    const metrics = createIsolatedMetrics({ service: 'execution-router', instance: 'spec' });
    const h = handler(SPEC_SESSION, metrics);
    const crossing = place({ venue: 'venue-a', side: 'SELL', price: '3000', size: '0.1', timeInForce: 'POST_ONLY', n: 1 }, closeOf(0));
    records(h, laneTick(0, { books: [book('venue-a', 3000, 3000.1, START_US + 10_000)], commands: [crossing] }));
    const [rejected] = records(h, laneTick(1, {}));
    expect(rejected).toMatchObject({ kind: 'REJECTED', clientOrderId: crossing.clientOrderId, reject: { reason: 'POST_ONLY_WOULD_TAKE', venueCode: 'post-only-would-cross' } });
    expect(await metricValue(metrics, 'fleet_order_rejections_total', { venue: 'venue-a', reason: 'POST_ONLY_WOULD_TAKE' })).toBe(1);
  });

  it('on a newly latched kill switch cancels every working order and rejects every later PLACE', async () => {
    const metrics = createIsolatedMetrics({ service: 'execution-router', instance: 'spec' });
    const h = handler(SPEC_SESSION, metrics);
    const bid = place({ venue: 'venue-a', side: 'BUY', price: '2999.9', size: '0.5', timeInForce: 'POST_ONLY', n: 1 }, closeOf(0));
    const ask = place({ venue: 'venue-b', side: 'SELL', price: '3000.2', size: '0.5', timeInForce: 'GTC', n: 2 }, closeOf(0));
    records(h, laneTick(0, { books: [book('venue-a', 3000, 3000.1, START_US + 10_000), book('venue-b', 3000, 3000.1, START_US + 20_000)], commands: [bid, ask] }));
    expect(records(h, laneTick(1, {})).map((r) => r.kind)).toEqual(['ACKED', 'ACKED']);
    expect(await metricValue(metrics, 'fleet_open_orders', { venue: 'venue-a' })).toBe(1);
    expect(await metricValue(metrics, 'fleet_open_orders', { venue: 'venue-b' })).toBe(1);

    const kill = riskState(true, closeOf(2) - 1_000);
    const late = place({ venue: 'venue-a', side: 'BUY', price: '2999.8', size: '0.5', timeInForce: 'POST_ONLY', n: 3 }, closeOf(2));
    const killTick = records(h, laneTick(2, { risk: [kill], commands: [late, cancel(bid, closeOf(2))] }));
    expect(killTick.map((r) => [r.kind, r.clientOrderId, r.reject?.reason])).toEqual([['REJECTED', late.clientOrderId, 'KILL_SWITCH']]);
    expect(killTick[0]!.envelope.causation).toEqual([late.envelope.eventId, kill.envelope.eventId]);
    expect(killTick[0]!.reject!.message).toContain('DAILY_LOSS_LIMIT');

    const after = records(h, laneTick(3, { risk: [riskState(true, closeOf(3) - 1_000)], commands: [place({ venue: 'venue-b', side: 'SELL', price: '3000.3', size: '0.5', timeInForce: 'GTC', n: 4 }, closeOf(3))] }));
    expect(after.map((r) => [r.kind, r.venue, r.reject?.reason ?? null, r.cancel])).toEqual([
      ['CANCELLED', 'venue-a', null, { cancelledQuantity: '0.5', requested: true }],
      ['CANCELLED', 'venue-b', null, { cancelledQuantity: '0.5', requested: true }],
      ['REJECTED', 'venue-b', 'KILL_SWITCH', null],
    ]);
    expect(after[0]!.envelope.causation).toEqual([bid.envelope.eventId, kill.envelope.eventId]);
    expect(await metricValue(metrics, 'fleet_open_orders', { venue: 'venue-a' })).toBe(0);
    expect(await metricValue(metrics, 'fleet_open_orders', { venue: 'venue-b' })).toBe(0);
    expect(await metricValue(metrics, 'fleet_order_rejections_total', { venue: 'venue-a', reason: 'KILL_SWITCH' })).toBe(1);
    expect(await metricValue(metrics, 'fleet_order_rejections_total', { venue: 'venue-b', reason: 'KILL_SWITCH' })).toBe(1);

    const reset = records(h, laneTick(4, { risk: [riskState(false, closeOf(4) - 1_000)], commands: [place({ venue: 'venue-a', side: 'BUY', price: '2999.7', size: '0.5', timeInForce: 'POST_ONLY', n: 5 }, closeOf(4))] }));
    expect(reset.map((r) => r.kind)).toEqual(['SUBMITTED']);
  });

  it('executes a PLACE once: the same client order id again is the same order', () => {
    const h = handler();
    const quote = place({ venue: 'venue-a', side: 'BUY', price: '2999.9', size: '0.5', timeInForce: 'POST_ONLY', n: 1 }, closeOf(0));
    const first = records(h, laneTick(0, { books: [book('venue-a', 3000, 3000.1, START_US + 10_000)], commands: [quote, quote] }));
    const second = records(h, laneTick(1, { commands: [quote] }));
    expect([...first, ...second].map((r) => r.kind)).toEqual(['SUBMITTED', 'ACKED']);
    const lane = h.exportLane(2);
    expect(lane.instruments[0]!.orders.map((o) => o.order.clientOrderId)).toEqual([quote.clientOrderId]);
    expect(lane.instruments[0]!.orders[0]!.order.status).toBe('acked');
  });

  describe('over a simulated session with two instruments on one lane', () => {
    const session: LaneSessionConfig = { ...SPEC_SESSION, durationUs: 8_000_000, instruments: ['ETH-PERP', 'BTC-PERP'] };
    const ticks = simulatedLaneTicks(session);
    const run = (from = 0, h = handler(session)): OrderEventRecord[] => ticks.slice(from).flatMap((t) => records(h, t));

    it('routes real traffic: maker and taker fills, cancels and rejects on both instruments', () => {
      const out = run();
      const kinds = (instrument: string): Set<string> => new Set(out.filter((r) => r.instrument === instrument).map((r) => (r.fill === null ? r.kind : `${r.kind}:${r.fill.liquidity}`)));
      for (const instrument of session.instruments) expect([...kinds(instrument)].sort()).toEqual(['ACKED', 'CANCELLED', 'FILLED:MAKER', 'FILLED:TAKER', 'REJECTED', 'SUBMITTED']);
      for (const instrument of session.instruments) expect(out.filter((r) => r.instrument === instrument).map((r) => r.envelope.sequence)).toEqual(out.filter((r) => r.instrument === instrument).map((_, i) => i + 1));
    });

    it('gives the same events, ids and digests for the same ticks', () => {
      const a = run();
      const b = run();
      expect(a.length).toBeGreaterThan(100);
      expect(digestOf(a)).toBe(digestOf(b));
      expect(a.map((r) => r.envelope.eventId)).toEqual(b.map((r) => r.envelope.eventId));
    });

    it('continues identically from a lane exported and imported mid-run, with a short exchange log', () => {
      const whole = run();
      const half = Math.floor(ticks.length / 2);
      const first = handler(session);
      const before = ticks.slice(0, half).flatMap((t) => records(first, t));
      const snapshot = JSON.parse(JSON.stringify(first.exportLane(2))) as ExecutionRouterLaneState;
      const second = handler(session);
      second.importLane(2, snapshot);
      const after = run(half, second);
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(50);
      expect(digestOf([...before, ...after])).toBe(digestOf(whole));
      // The exchange log holds the last few ticks (orders rest two ticks here), not the session.
      for (const instrument of snapshot.instruments) expect(instrument.exchange.base).toBeGreaterThan(3 * instrument.exchange.calls.length);
    });

    it('rebuilds the same lane from the log after a reset', () => {
      const h = handler(session);
      const half = Math.floor(ticks.length / 2);
      ticks.slice(0, half).forEach((t) => h.onTick(t));
      const exported = JSON.stringify(h.exportLane(2));
      h.resetLane(2);
      expect(h.exportLane(2).instruments).toEqual([]);
      ticks.slice(0, half).forEach((t) => h.onTick(t));
      expect(JSON.stringify(h.exportLane(2))).toBe(exported);
    });
  });
});
