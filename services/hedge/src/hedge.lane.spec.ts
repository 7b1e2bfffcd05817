import { type StrategyIntent, Topics } from '@fleet/contracts';
import {
  computeHedgeAllocation,
  computeVolScalars,
  deriveClientOrderId,
  deriveIntentId,
  digestOf,
  HEALTHY_VENUE,
  initialRiskState,
  type VenueBookTop,
  type VenueSnapshot,
} from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { laneRunnerConfig, type LaneTick } from '@fleet/service';
import { fillEvent, funding, INSTRUMENT, laneTick, market, orderEvent, type OrderRef, quote, riskState, SESSION, tickTime } from '@fleet/strategy-lanes/testing';
import { HEDGE_INPUTS, HEDGE_OUTPUTS, HedgeHandler } from './hedge.lane';

const cfg = laneRunnerConfig(SESSION, INSTRUMENT);

function handler(metrics: FleetMetrics = createIsolatedMetrics({ service: 'hedge', instance: 'spec' })): HedgeHandler {
  return new HedgeHandler({ service: 'hedge', instance: 'spec', session: SESSION, config: { service: {} as never, session: SESSION }, metrics });
}

function intentsOf(h: HedgeHandler, ticks: readonly LaneTick[]): StrategyIntent[][] {
  return ticks.map((t) => h.onTick(t).map((o) => o.value as StrategyIntent));
}

/** Ticks 1..n of fresh market data; `extra[n]` adds events to tick n. */
function ticks(n: number, extra: Record<number, Parameters<typeof laneTick>[1]> = {}): LaneTick[] {
  return Array.from({ length: n }, (_, i) => laneTick(i + 1, [...market(i + 1), ...(extra[i + 1] ?? [])]));
}

const longA = quote('venue-a', 'BUY', '10', '2990');
const longB = quote('venue-b', 'BUY', '4', '2995');
/** Tick 1 puts +10 on venue-a and +4 on venue-b (global +14) and funding that favours selling on venue-b. */
const opening = [fillEvent(longA, '10', '2990', '0', tickTime(1) - 5_000), fillEvent(longB, '4', '2995', '0', tickTime(1) - 5_000), funding('venue-a', '0.0001', tickTime(1) - 5_000), funding('venue-b', '0.0003', tickTime(1) - 5_000)];

/** Returns the core allocation on the context of tick `n` (built here from the inputs, not from the handler). */
function coreHedge(n: number, positions: readonly [number, number, number, number], rates: readonly [number, number]): ReturnType<typeof computeHedgeAllocation> {
  const at = tickTime(n) - 10_000;
  const top = (venueId: string): VenueBookTop => ({ venueId, bestBid: 2999.95, bestAsk: 3000.05, bidDepth: 20, askDepth: 20, timestampUs: at });
  const venues: VenueSnapshot[] = ['venue-a', 'venue-b'].map((venueId, i) => ({
    venueId,
    book: top(venueId),
    fundingRate8h: rates[i],
    positionQty: positions[2 * i],
    avgEntryPrice: positions[2 * i + 1],
    distLiqSigma: Infinity,
    marginAvailableUsd: cfg.marginPerVenueUsd,
    health: HEALTHY_VENUE,
  }));
  return computeHedgeAllocation(cfg.strategy, { risk: initialRiskState(), fairValue: 3000, fvAvailable: true, volScalars: computeVolScalars(cfg.strategy.volatility, 0.00015), venues, nowUs: tickTime(n) });
}

function refOf(intent: StrategyIntent): OrderRef {
  return { intentId: intent.intentId, clientOrderId: intent.modelLabels.clientOrderId, venue: intent.venue, side: intent.side, price: intent.price, size: intent.size };
}

describe('hedge lane', () => {
  it('declares its inputs in canonical order with the feedback edges delayed, and produces strategy.intent', () => {
    expect(HEDGE_INPUTS.map((i) => [i.spec.name, i.producers, i.delayed ?? false])).toEqual([
      [Topics.mdBook.name, ['market-gateway'], false],
      [Topics.mdFunding.name, ['market-gateway'], false],
      [Topics.fvState.name, ['fair-value'], false],
      [Topics.riskState.name, ['risk-shield'], true],
      [Topics.orderEvent.name, ['execution-router'], true],
    ]);
    expect(HEDGE_INPUTS.every((i) => (i.schema as { name?: string }).name !== undefined)).toBe(true);
    expect(HEDGE_OUTPUTS).toEqual([Topics.strategyIntent]);
  });

  it('hedges when the global position leaves the deadband, sized and placed as the core allocator says', () => {
    const out = intentsOf(handler(), ticks(4, { 1: opening }));
    expect(out.slice(0, 3).flat()).toEqual([]);
    const alloc = coreHedge(4, [10, 2990, 4, 2995], [0.0001, 0.0003]);
    expect(alloc.qGlobal).toBe(14);
    expect(alloc.desiredStep).toBe(-Math.min(cfg.strategy.hedge.gain * 14, cfg.strategy.hedge.maxStep));
    expect(alloc.orders.length).toBeGreaterThan(1);
    const intents = out[3];
    expect(intents).toHaveLength(alloc.orders.length);
    intents.forEach((intent, i) => {
      const order = alloc.orders[i];
      expect(intent).toMatchObject({
        instrument: INSTRUMENT,
        kind: 'HEDGE',
        action: 'PLACE',
        strategyId: cfg.strategyId,
        bucketId: `${INSTRUMENT}:hedge`,
        venue: order.venueId,
        side: order.side === 'sell' ? 'SELL' : 'BUY',
        price: order.limitPriceText,
        size: order.sizeText,
        guardPrice: order.limitPriceText,
        timeInForce: 'IOC',
        reduceOnly: false,
        targetClientOrderId: null,
        fairValue: 3000,
      });
      expect(intent.modelInputs).toMatchObject({ qGlobal: alloc.qGlobal, band: alloc.band, desiredStep: alloc.desiredStep, costPerUnit: order.costPerUnit, rank: i });
      const intentId = deriveIntentId(cfg.strategyId, `${INSTRUMENT}:hedge`, tickTime(4), i);
      expect(intent.intentId).toBe(intentId);
      expect(intent.modelLabels).toEqual({ purpose: 'hedge', regime: 'NORMAL', clientOrderId: deriveClientOrderId(intentId, order.venueId) });
      expect(intent.envelope).toMatchObject({ producer: 'hedge', sequence: i + 1, eventTimeUs: tickTime(4) });
      expect(checkEnvelope(intent)).toBeUndefined();
    });
    // The funding rates decide the venue: selling where shorts receive more is cheaper.
    expect(intents[0].venue).toBe('venue-b');
  });

  it('names the fair value and the books it decided on as causes', () => {
    const input = ticks(4, { 1: opening });
    const out = intentsOf(handler(), input);
    const [bookA, bookB, fv] = input[3].events.map((e) => (e.value as { envelope: { eventId: string } }).envelope.eventId);
    expect(out[3][0].envelope.causation).toEqual([fv, bookA, bookB]);
  });

  it('does nothing inside the deadband', () => {
    const inside = [fillEvent(quote('venue-a', 'BUY', '4', '2990'), '4', '2990', '0', tickTime(1) - 5_000)];
    const alloc = coreHedge(4, [4, 2990, 0, 0], [0, 0]);
    expect(alloc.idleReason).toBe('inside-deadband');
    expect(intentsOf(handler(), ticks(8, { 1: inside })).flat()).toEqual([]);
  });

  it('does nothing while its own hedge is working, and hedges the rest once it is done', () => {
    const h = handler();
    const first = intentsOf(h, ticks(4, { 1: opening }))[3];
    const live = first.map((i) => orderEvent('SUBMITTED', refOf(i), tickTime(4) + 1_000));
    const middle = intentsOf(h, [5, 6, 7, 8].map((n) => laneTick(n, [...market(n), ...(n === 5 ? live : [])])));
    expect(middle.flat()).toEqual([]);
    // The first order fills completely, the second is cancelled (the IOC remainder).
    const [a, b] = first.map(refOf);
    const done = [fillEvent(a, a.size, a.price, '0', tickTime(9) - 5_000), orderEvent('CANCELLED', b, tickTime(9) - 5_000)];
    const later = intentsOf(h, [9, 10, 11, 12].map((n) => laneTick(n, [...market(n), ...(n === 9 ? done : [])])));
    expect(later.slice(0, 3).flat()).toEqual([]);
    // venue-b sold 5 from +4: it is now short 1 at the fill price.
    expect(a.venue).toBe('venue-b');
    const alloc = coreHedge(12, [10, 2990, 4 - Number(a.size), Number(a.price)], [0.0001, 0.0003]);
    expect(later[3].map((i) => [i.venue, i.size, i.modelInputs.qGlobal])).toEqual(alloc.orders.map((o) => [o.venueId, o.sizeText, alloc.qGlobal]));
    expect(later[3][0].envelope.sequence).toBe(first.length + 1);
  });

  it('forgets an intent that never became an order (denied upstream) and hedges again on the next timer', () => {
    const out = intentsOf(handler(), ticks(8, { 1: opening }));
    expect(out[3].length).toBeGreaterThan(0);
    expect(out[7].map((i) => [i.venue, i.size])).toEqual(out[3].map((i) => [i.venue, i.size]));
    expect(out[7].map((i) => i.intentId)).not.toEqual(out[3].map((i) => i.intentId));
  });

  it('does nothing while risk is halted (kill switch or HardLimit) and resumes when it is not', () => {
    const killed = intentsOf(handler(), ticks(8, { 1: [...opening, riskState('HARD_LIMIT', true, tickTime(1))] }));
    expect(killed.flat()).toEqual([]);
    const hard = intentsOf(handler(), ticks(8, { 1: [...opening, riskState('HARD_LIMIT', false, tickTime(1))], 5: [riskState('WARNING', false, tickTime(5))] }));
    expect(hard.slice(0, 7).flat()).toEqual([]);
    expect(hard[7].length).toBeGreaterThan(0);
    expect(hard[7][0].modelLabels.regime).toBe('WARNING');
  });

  it('decides only on the ticks that cross a timer boundary', () => {
    const out = intentsOf(handler(), ticks(12, { 1: opening }));
    expect(out.map((o, i) => (o.length > 0 ? i + 1 : 0)).filter((n) => n > 0)).toEqual([4, 8, 12]);
  });

  it('gives the same outputs for the same ticks', () => {
    const input = ticks(12, { 1: opening });
    const a = intentsOf(handler(), input);
    const b = intentsOf(handler(), input);
    expect(digestOf(a)).toBe(digestOf(b));
    expect(a.flat().map((i) => i.envelope.eventId)).toEqual(b.flat().map((i) => i.envelope.eventId));
  });

  it('continues identically from an exported and imported lane, and forgets a reset lane', () => {
    const head = ticks(4, { 1: opening });
    const hedges = intentsOf(handler(), head)[3];
    // Tick 5 reports the hedges live, so the snapshot holds working orders, a position and a sequence.
    const input = [...head, ...ticks(12).slice(4)];
    input[4] = laneTick(5, [...market(5), ...hedges.map((i) => orderEvent('SUBMITTED', refOf(i), tickTime(4) + 1_000))]);
    input[8] = laneTick(9, [...market(9), ...hedges.map((i) => orderEvent('CANCELLED', refOf(i), tickTime(9) - 5_000))]);
    const whole = intentsOf(handler(), input);
    expect(whole[11].length).toBeGreaterThan(0);
    const first = handler();
    intentsOf(first, input.slice(0, 6));
    const snapshot = JSON.parse(JSON.stringify(first.exportLane(0)));
    expect(snapshot).toEqual(first.exportLane(0));
    expect(snapshot.instruments[INSTRUMENT].working).toHaveLength(hedges.length);
    const second = handler();
    second.importLane(0, snapshot);
    expect(digestOf(intentsOf(second, input.slice(6)))).toBe(digestOf(whole.slice(6)));
    second.resetLane(0);
    expect(second.exportLane(0)).toEqual({ instruments: {} });
  });

  it('keeps lanes apart', () => {
    const h = handler();
    const lane0 = intentsOf(h, ticks(4, { 1: opening }));
    const lane3 = h.onTick({ ...laneTick(4, market(4), 3) });
    expect(lane0[3].length).toBeGreaterThan(0);
    expect(lane3).toEqual([]);
  });

  it('counts its intents by purpose', async () => {
    const metrics = createIsolatedMetrics({ service: 'hedge', instance: 'spec' });
    const out = intentsOf(handler(metrics), ticks(4, { 1: opening }));
    const text = (await metrics.exposition()).body;
    expect(text).toContain(`fleet_strategy_intents_total{purpose="hedge",service="hedge",instance="spec"} ${out.flat().length}`);
  });
});
