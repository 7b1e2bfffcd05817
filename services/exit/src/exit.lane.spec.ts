import { type StrategyIntent, Topics } from '@fleet/contracts';
import { computeExitPlan, deriveClientOrderId, deriveIntentId, digestOf, HEALTHY_VENUE, initialRiskState, type VenueBookTop, type VenueSnapshot } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { laneRunnerConfig, type LaneTick } from '@fleet/service';
import { fillEvent, funding, INSTRUMENT, laneTick, mark, market, orderEvent, type OrderRef, quote, riskState, SESSION, tickTime } from '@fleet/strategy-lanes/testing';
import { EXIT_INPUTS, EXIT_OUTPUTS, ExitHandler } from './exit.lane';

const cfg = laneRunnerConfig(SESSION, INSTRUMENT);

function handler(metrics: FleetMetrics = createIsolatedMetrics({ service: 'exit', instance: 'spec' })): ExitHandler {
  return new ExitHandler({ service: 'exit', instance: 'spec', session: SESSION, config: { service: {} as never, session: SESSION }, metrics });
}

function intentsOf(h: ExitHandler, ticks: readonly LaneTick[]): StrategyIntent[][] {
  return ticks.map((t) => h.onTick(t).map((o) => o.value as StrategyIntent));
}

/** Ticks 1..n of fresh market data; `extra[n]` adds events to tick n. */
function ticks(n: number, extra: Record<number, Parameters<typeof laneTick>[1]> = {}): LaneTick[] {
  return Array.from({ length: n }, (_, i) => laneTick(i + 1, [...market(i + 1), ...(extra[i + 1] ?? [])]));
}

const before = tickTime(1) - 5_000;
/** Tick 1: long 8 on venue-a bought at 2900, short 2 on venue-b sold at 2990 (global +6), a mark on venue-a and funding on both. */
const profitable = [
  fillEvent(quote('venue-a', 'BUY', '8', '2900'), '8', '2900', '0', before),
  fillEvent(quote('venue-b', 'SELL', '2', '2990'), '2', '2990', '0', before),
  mark('venue-a', '3000.4', before),
  funding('venue-a', '0.0001', before),
  funding('venue-b', '0.00015', before),
];
/** Tick 1: long 2 on venue-a bought at 2999.9, too close to the bid to pay for an exit. */
const thin = [fillEvent(quote('venue-a', 'BUY', '2', '2999.9'), '2', '2999.9', '0', before)];

type Position = readonly [qty: number, avg: number];

/** Returns the core exit plan on the context of tick `n` (built here from the inputs, not from the handler). */
function coreExit(n: number, positions: readonly [Position, Position], rates: readonly [number, number]): ReturnType<typeof computeExitPlan> {
  const at = tickTime(n) - 10_000;
  const top = (venueId: string): VenueBookTop => ({ venueId, bestBid: 2999.95, bestAsk: 3000.05, bidDepth: 20, askDepth: 20, timestampUs: at });
  const venues: VenueSnapshot[] = ['venue-a', 'venue-b'].map((venueId, i) => ({
    venueId,
    book: top(venueId),
    fundingRate8h: rates[i],
    positionQty: positions[i][0],
    avgEntryPrice: positions[i][1],
    distLiqSigma: Infinity,
    marginAvailableUsd: cfg.marginPerVenueUsd,
    health: HEALTHY_VENUE,
  }));
  return computeExitPlan(cfg.strategy, { risk: initialRiskState(), fairValue: 3000, fvAvailable: true, sigmaEff: 0.00015, venues, nowUs: tickTime(n) });
}

function refOf(intent: StrategyIntent): OrderRef {
  return { intentId: intent.intentId, clientOrderId: intent.modelLabels.clientOrderId, venue: intent.venue, side: intent.side, price: intent.price, size: intent.size };
}

describe('exit lane', () => {
  it('declares its inputs in canonical order with the feedback edges delayed, and produces strategy.intent', () => {
    expect(EXIT_INPUTS.map((i) => [i.spec.name, i.producers, i.delayed ?? false])).toEqual([
      [Topics.mdBook.name, ['market-gateway'], false],
      [Topics.mdMark.name, ['market-gateway'], false],
      [Topics.mdFunding.name, ['market-gateway'], false],
      [Topics.fvState.name, ['fair-value'], false],
      [Topics.riskState.name, ['risk-shield'], true],
      [Topics.orderEvent.name, ['execution-router'], true],
    ]);
    expect(EXIT_OUTPUTS).toEqual([Topics.strategyIntent]);
  });

  it('exits where the core exit allocator finds net edge, with its sizes, prices and figures', () => {
    const input = ticks(4, { 1: profitable });
    const out = intentsOf(handler(), input);
    expect(out.slice(0, 3).flat()).toEqual([]);
    const plan = coreExit(4, [[8, 2900], [-2, 2990]], [0.0001, 0.00015]);
    expect(plan.idleReason).toBeNull();
    expect(plan.orders.length).toBeGreaterThan(1);
    const intents = out[3];
    expect(intents).toHaveLength(plan.orders.length);
    intents.forEach((intent, i) => {
      const order = plan.orders[i];
      const candidate = plan.candidates.find((c) => c.venueIndex === order.venueIndex)!;
      expect(intent).toMatchObject({
        kind: 'EXIT',
        action: 'PLACE',
        strategyId: cfg.strategyId,
        bucketId: `${INSTRUMENT}:exit`,
        venue: order.venueId,
        side: order.side === 'sell' ? 'SELL' : 'BUY',
        price: order.limitPriceText,
        size: order.sizeText,
        guardPrice: order.limitPriceText,
        timeInForce: 'IOC',
        fairValue: 3000,
      });
      expect(intent.modelInputs).toMatchObject({ qGlobal: plan.qGlobal, entryPrice: plan.entryPrice, netEdgePerUnit: order.netEdgePerUnit, score: order.score, baseProfit: candidate.edge.baseProfit, volBuffer: candidate.edge.volBuffer });
      const intentId = deriveIntentId(cfg.strategyId, `${INSTRUMENT}:exit`, tickTime(4), i);
      expect(intent.intentId).toBe(intentId);
      expect(intent.modelLabels).toEqual({ purpose: 'exit', regime: 'NORMAL', clientOrderId: deriveClientOrderId(intentId, order.venueId) });
      expect(checkEnvelope(intent)).toBeUndefined();
    });
    // venue-a (long 8) sells within its position; venue-b (short 2) takes the rest and opens a leg there.
    expect(intents.map((i) => [i.venue, i.reduceOnly])).toEqual([
      ['venue-a', true],
      ['venue-b', false],
    ]);
    expect(intents[0].modelInputs.markPrice).toBe(3000.4);
    expect(intents[1].modelInputs.markPrice).toBeUndefined();
    const [bookA, bookB, fv] = input[3].events.map((e) => (e.value as { envelope: { eventId: string } }).envelope.eventId);
    expect(intents[0].envelope.causation).toEqual([fv, bookA, bookB]);
  });

  it('does not exit where the core exit allocator finds no profitable venue', () => {
    expect(coreExit(4, [[2, 2999.9], [0, 0]], [0, 0]).idleReason).toBe('no-profitable-venue');
    expect(intentsOf(handler(), ticks(12, { 1: thin })).flat()).toEqual([]);
  });

  it('does nothing while its own exit is working, and exits again once it is cancelled', () => {
    const h = handler();
    const first = intentsOf(h, ticks(4, { 1: profitable }))[3];
    const live = first.map((i) => orderEvent('ACKED', refOf(i), tickTime(4) + 1_000));
    expect(intentsOf(h, [5, 6, 7, 8].map((n) => laneTick(n, [...market(n), ...(n === 5 ? live : [])]))).flat()).toEqual([]);
    const cancelled = first.map((i) => orderEvent('CANCELLED', refOf(i), tickTime(9) - 5_000));
    const later = intentsOf(h, [9, 10, 11, 12].map((n) => laneTick(n, [...market(n), ...(n === 9 ? cancelled : [])])));
    expect(later.slice(0, 3).flat()).toEqual([]);
    expect(later[3].map((i) => [i.venue, i.size])).toEqual(first.map((i) => [i.venue, i.size]));
  });

  it('stops exiting once its fills flatten the position', () => {
    const h = handler();
    const first = intentsOf(h, ticks(4, { 1: [fillEvent(quote('venue-a', 'BUY', '2', '2900'), '2', '2900', '0', before)] }))[3];
    expect(first.map((i) => [i.venue, i.side, i.size, i.reduceOnly])).toEqual([['venue-a', 'SELL', '2', true]]);
    const filled = [fillEvent(refOf(first[0]), '2', first[0].price, '0', tickTime(4) + 30_000)];
    const later = intentsOf(h, [5, 6, 7, 8].map((n) => laneTick(n, [...market(n), ...(n === 5 ? filled : [])])));
    expect(later.flat()).toEqual([]);
    expect(h.exportLane(0).instruments[INSTRUMENT].positions.map((p) => p.netQuantity)).toEqual(['0']);
  });

  it('does nothing while risk is halted', () => {
    expect(intentsOf(handler(), ticks(8, { 1: [...profitable, riskState('HARD_LIMIT', true, tickTime(1))] })).flat()).toEqual([]);
    expect(intentsOf(handler(), ticks(8, { 1: [...profitable, riskState('HARD_LIMIT', false, tickTime(1))] })).flat()).toEqual([]);
  });

  it('decides only on the ticks that cross a timer boundary', () => {
    const out = intentsOf(handler(), ticks(12, { 1: profitable }));
    expect(out.map((o, i) => (o.length > 0 ? i + 1 : 0)).filter((n) => n > 0)).toEqual([4, 8, 12]);
  });

  it('gives the same outputs for the same ticks', () => {
    const input = ticks(12, { 1: profitable });
    const a = intentsOf(handler(), input);
    const b = intentsOf(handler(), input);
    expect(digestOf(a)).toBe(digestOf(b));
    expect(a.flat().map((i) => i.envelope.eventId)).toEqual(b.flat().map((i) => i.envelope.eventId));
  });

  it('continues identically from an exported and imported lane', () => {
    const head = ticks(4, { 1: profitable });
    const exits = intentsOf(handler(), head)[3];
    const input = [...head, ...ticks(12).slice(4)];
    input[4] = laneTick(5, [...market(5), ...exits.map((i) => orderEvent('SUBMITTED', refOf(i), tickTime(4) + 1_000))]);
    input[8] = laneTick(9, [...market(9), fillEvent(refOf(exits[0]), '1', exits[0].price, String(Number(exits[0].size) - 1), tickTime(9) - 5_000), ...exits.map((i) => orderEvent('CANCELLED', refOf(i), tickTime(9) - 4_000))]);
    const whole = intentsOf(handler(), input);
    expect(whole[11].length).toBeGreaterThan(0);
    const first = handler();
    intentsOf(first, input.slice(0, 6));
    const snapshot = JSON.parse(JSON.stringify(first.exportLane(0)));
    expect(snapshot.instruments[INSTRUMENT].working).toHaveLength(exits.length);
    const second = handler();
    second.importLane(0, snapshot);
    expect(digestOf(intentsOf(second, input.slice(6)))).toBe(digestOf(whole.slice(6)));
  });

  it('counts its intents by purpose', async () => {
    const metrics = createIsolatedMetrics({ service: 'exit', instance: 'spec' });
    const out = intentsOf(handler(metrics), ticks(4, { 1: profitable }));
    const text = (await metrics.exposition()).body;
    expect(text).toContain(`fleet_strategy_intents_total{purpose="exit",service="exit",instance="spec"} ${out.flat().length}`);
  });
});
