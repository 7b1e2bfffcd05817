import { type BookSnapshot, type FairValueState as FairValueStateEvent, type OrderEvent, type RiskState, type StrategyIntent, Topics } from '@fleet/contracts';
import { canonicalJson, deriveClientOrderId } from '@fleet/core';
import { createIsolatedMetrics, type FleetMetrics } from '@fleet/metrics';
import { laneRunnerConfig, type LaneSessionConfig } from '@fleet/service';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { FairValueTracker } from '../../fair-value/src/fair-value-tracker';
import { quotingBucketId } from './quote-decision';
import { readQuotingConfig } from './quoting.config';
import { QUOTING_INPUTS, QUOTING_OUTPUTS, QuotingHandler } from './quoting.lane';
import { fixedBook, intentsOf, type MarketTick, movedFairValue, quotingTick, riskState, simulatedMarketTicks, TestRouter } from './testing/quoting-ticks';

const ENV = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379', FLEET_SCENARIO: 'calm', FLEET_DURATION_S: '6' };
const CONFIG = readQuotingConfig(ENV);
const SESSION = CONFIG.session;
const RUNNER = laneRunnerConfig(SESSION, 'ETH-PERP');
const MARKET = simulatedMarketTicks(SESSION, 'ETH-PERP');

function handler(session: LaneSessionConfig = SESSION, metrics: FleetMetrics = createIsolatedMetrics({ service: 'quoting', instance: 'quoting-0' })): QuotingHandler {
  return new QuotingHandler({ service: 'quoting', instance: 'quoting-0', session, config: { ...CONFIG, session }, metrics });
}

/** What the runtime would hand the handler on the delayed inputs of a tick. */
interface Feedback {
  readonly risk?: (tick: number) => readonly RiskState[];
  /** Execution-router's events of the previous tick's intents (a router that carries out everything unless told otherwise). */
  readonly router?: (intents: readonly StrategyIntent[], atUs: number) => readonly OrderEvent[];
}

/** Runs `h` over `market` with the order events of each tick's intents fed back at the next tick; returns the intents per tick. */
function run(h: QuotingHandler, market: readonly MarketTick[], feedback: Feedback = {}): StrategyIntent[][] {
  const router = new TestRouter();
  const carryOut = feedback.router ?? ((intents, atUs) => router.carryOut(intents, atUs));
  let orders: readonly OrderEvent[] = [];
  return market.map((m) => {
    const intents = intentsOf(h.onTick(quotingTick(0, m, { risk: feedback.risk?.(m.tick) ?? [], orders })));
    orders = carryOut(intents, m.tickTimeUs);
    return intents;
  });
}

/** Returns the latest book per venue as of each tick of `market`. */
function latestBooks(market: readonly MarketTick[]): Map<string, BookSnapshot>[] {
  const latest = new Map<string, BookSnapshot>();
  return market.map((m) => {
    for (const b of m.books) latest.set(b.venue, b);
    return new Map(latest);
  });
}

function firstQuotingTick(intents: readonly StrategyIntent[][]): number {
  return intents.findIndex((i) => i.length > 0);
}

describe('quoting lane declaration', () => {
  it('reads the books and fair value of the tick, then risk and order events of the tick before, and writes strategy.intent', () => {
    expect(QUOTING_INPUTS.map((i) => [i.spec.name, i.producers, i.delayed ?? false])).toEqual([
      [Topics.mdBook.name, ['market-gateway'], false],
      [Topics.fvState.name, ['fair-value'], false],
      [Topics.riskState.name, ['risk-shield'], true],
      [Topics.orderEvent.name, ['execution-router'], true],
    ]);
    expect(QUOTING_OUTPUTS.map((o) => o.name)).toEqual([Topics.strategyIntent.name]);
  });
});

describe('QuotingHandler', () => {
  it('places nothing on books alone, then a bid and an ask on every healthy venue after the first available fv.state', () => {
    const h = handler();
    const booksOnly = { ...MARKET[0]!, fairValues: [] };
    expect(h.onTick(quotingTick(0, booksOnly))).toEqual([]);

    const market = MARKET[1]!;
    const intents = intentsOf(h.onTick(quotingTick(0, market)));
    const fv = market.fairValues.at(-1)!;
    expect(fv.fvAvailable).toBe(true);
    const healthy = fv.healthyVenuesUsed;
    expect(healthy.length).toBe(RUNNER.strategy.venues.length);
    expect(intents.map((i) => [i.action, i.venue, i.side])).toEqual(healthy.flatMap((v) => [['PLACE', v, 'BUY'], ['PLACE', v, 'SELL']]));

    const latest = latestBooks([booksOnly, market]).at(-1)!;
    const bookIds = RUNNER.strategy.venues.map((v) => latest.get(v.venueId)!.envelope.eventId);
    intents.forEach((intent, i) => {
      expect(intent.envelope).toMatchObject({ producer: 'quoting', sequence: i + 1, eventTimeUs: market.tickTimeUs, causation: [fv.envelope.eventId, ...bookIds], correlationId: fv.envelope.correlationId });
      expect(intent).toMatchObject({ instrument: 'ETH-PERP', kind: 'MM', strategyId: RUNNER.strategyId, bucketId: quotingBucketId('ETH-PERP'), timeInForce: 'POST_ONLY', reduceOnly: false, guardPrice: null, targetClientOrderId: null, fairValue: fv.fairValue });
      expect(intent.modelLabels).toMatchObject({ purpose: 'mm', regime: 'NORMAL', decision: 'no-live-order', healthyVenues: healthy.join(','), clientOrderId: deriveClientOrderId(intent.intentId, intent.venue) });
      const m = intent.modelInputs;
      expect(m.inventory).toBe(0);
      expect(m.sigmaEff).toBe(fv.sigmaEff);
      const price = Number(intent.price);
      // The bid is at most r − δ and the ask at least r + δ (passivity only pushes them further out).
      if (intent.side === 'BUY') expect(price).toBeLessThanOrEqual(m.reservationPrice! - m.halfSpread! + 1e-9);
      else expect(price).toBeGreaterThanOrEqual(m.reservationPrice! + m.halfSpread! - 1e-9);
    });
    expect(new Set(intents.map((i) => i.modelLabels.clientOrderId)).size).toBe(intents.length);
  });

  it('quotes strictly passively on every generated book', () => {
    const intents = run(handler(), MARKET);
    const books = latestBooks(MARKET);
    let places = 0;
    intents.forEach((tickIntents, t) => {
      for (const intent of tickIntents.filter((i) => i.action === 'PLACE')) {
        const book = books[t]!.get(intent.venue)!;
        const bestBid = Number(book.bids[0]!.price);
        const bestAsk = Number(book.asks[0]!.price);
        const price = Number(intent.price);
        if (intent.side === 'BUY') {
          expect(price).toBeLessThan(bestAsk);
          expect(price).toBeLessThan(bestBid);
        } else {
          expect(price).toBeGreaterThan(bestBid);
          expect(price).toBeGreaterThan(bestAsk);
        }
        places += 1;
      }
    });
    expect(places).toBeGreaterThan(20);
  });

  it('sends nothing new while risk.state says kill or hard limit', () => {
    const normal = run(handler(), MARKET);
    const killAt = 8;
    expect(normal.slice(killAt).flat().length).toBeGreaterThan(0);
    const killed = run(handler(), MARKET, { risk: (tick) => (tick === killAt + 1 ? [riskState('ETH-PERP', 1, MARKET[killAt - 1]!.tickTimeUs, 'HARD_LIMIT', true)] : []) });
    expect(killed.slice(0, killAt)).toEqual(normal.slice(0, killAt));
    expect(killed.slice(killAt).flat()).toEqual([]);

    const hardLimit = run(handler(), MARKET, { risk: (tick) => (tick === 1 ? [riskState('ETH-PERP', 1, MARKET[0]!.tickTimeUs - SESSION.tickUs, 'HARD_LIMIT', false)] : []) });
    expect(hardLimit.flat()).toEqual([]);
  });

  it('widens the half-spread by the warning multiplier in the WARNING regime', () => {
    const normal = run(handler(), MARKET.slice(0, 2));
    const warning = run(handler(), MARKET.slice(0, 2), { risk: (tick) => (tick === 1 ? [riskState('ETH-PERP', 1, MARKET[0]!.tickTimeUs - SESSION.tickUs, 'WARNING', false)] : []) });
    const t = firstQuotingTick(normal);
    expect(warning[t]!.map((i) => i.modelLabels.regime)).toEqual(warning[t]!.map(() => 'WARNING'));
    warning[t]!.forEach((intent, i) => {
      expect(intent.modelInputs.halfSpread).toBeCloseTo(normal[t]![i]!.modelInputs.halfSpread! * RUNNER.strategy.quoting.warningSpreadMult, 9);
    });
  });

  describe('on fixed books', () => {
    const start = MARKET[0]!.tickTimeUs - SESSION.tickUs;
    const tickUs = SESSION.tickUs;
    const at = (tick: number): number => start + tick * tickUs;
    const books = [fixedBook(SESSION, 'ETH-PERP', 'venue-a', at(1) - 50_000, 1, 2999.9, 3000.1), fixedBook(SESSION, 'ETH-PERP', 'venue-b', at(1) - 50_000, 2, 2999.9, 3000.1)];
    const tracker = new FairValueTracker(RUNNER.strategy);
    const fvs = books.map((b) => tracker.onBook(b, 0).event);
    const fv = fvs.at(-1)!;
    const tick = (n: number, fairValues: readonly FairValueStateEvent[] = []): MarketTick => ({ tick: n, tickTimeUs: at(n), books: n === 1 ? books : [], fairValues });
    const tickSize = RUNNER.strategy.venues[0]!.tickSize;
    const tolerance = RUNNER.strategy.quoting.priceToleranceTicks;

    it('keeps quotes within the price tolerance and replaces them when fair value moves beyond it', () => {
      const h = handler();
      const router = new TestRouter();
      const placed = intentsOf(h.onTick(quotingTick(0, tick(1, fvs))));
      expect(placed).toHaveLength(4);
      // Acknowledged, younger than the minimum quote life: kept.
      expect(intentsOf(h.onTick(quotingTick(0, tick(2), { orders: router.carryOut(placed, at(1)) })))).toEqual([]);
      // A move of the reservation price below the tolerance: kept.
      expect(intentsOf(h.onTick(quotingTick(0, tick(3, [movedFairValue(fv, 0.04, at(3) - 1, 10)]))))).toEqual([]);
      const moved = intentsOf(h.onTick(quotingTick(0, tick(4, [movedFairValue(fv, 0.4, at(4) - 1, 11)]))));
      expect(moved.map((i) => [i.action, i.venue, i.side])).toEqual(
        ['venue-a', 'venue-b'].flatMap((v) => [['CANCEL', v, 'BUY'], ['PLACE', v, 'BUY'], ['CANCEL', v, 'SELL'], ['PLACE', v, 'SELL']]),
      );
      placed.forEach((old, k) => {
        const cancel = moved[2 * k]!;
        const place = moved[2 * k + 1]!;
        const oldId = deriveClientOrderId(old.intentId, old.venue);
        expect(cancel).toMatchObject({ targetClientOrderId: oldId, price: old.price, size: old.size, side: old.side, venue: old.venue });
        expect(cancel.modelLabels).toMatchObject({ decision: 'price-moved', reason: 'replace' });
        expect(place.modelLabels).toMatchObject({ decision: 'price-moved', replaces: oldId });
        expect(Math.abs(Number(place.price) - Number(old.price)) / tickSize).toBeGreaterThanOrEqual(tolerance);
        expect(place.modelInputs.reservationPrice! - old.modelInputs.reservationPrice!).toBeCloseTo(0.4 * (1 - RUNNER.strategy.quoting.betaBasis), 9);
      });
    });

    it('books fills into the inventory, which skews the reservation price down', () => {
      const h = handler();
      const router = new TestRouter();
      const placed = intentsOf(h.onTick(quotingTick(0, tick(1, fvs))));
      const bid = placed.find((i) => i.venue === 'venue-a' && i.side === 'BUY')!;
      const events = [...router.carryOut(placed, at(1)), router.fill(bid, bid.size, '0', at(1))];
      const after = intentsOf(h.onTick(quotingTick(0, tick(2), { orders: events })));
      // The filled bid is gone, so venue-a gets a new one; the other quotes are younger than the minimum life.
      expect(after.map((i) => [i.action, i.venue, i.side])).toEqual([['PLACE', 'venue-a', 'BUY']]);
      const next = after[0]!;
      const q = Number(bid.size);
      expect(next.modelInputs).toMatchObject({ inventory: q, venueInventory: q });
      const { gamma, sigmaEff, tauSec } = next.modelInputs;
      const S = next.fairValue!;
      const dev = next.modelInputs.inventoryDeviation! - bid.modelInputs.inventoryDeviation!;
      expect(dev).toBeGreaterThan(0);
      expect(next.modelInputs.reservationPrice! - bid.modelInputs.reservationPrice!).toBeCloseTo(-gamma! * (sigmaEff! * S) ** 2 * tauSec! * dev, 9);
      expect(Number(next.price)).toBeLessThan(Number(bid.price));
      expect(h.exportLane(0).instruments['ETH-PERP']!.positions).toEqual([expect.objectContaining({ venue: 'venue-a', netQuantity: bid.size })]);
    });

    it('pulls every quote and places none while an operator pause is in force', () => {
      const h = handler();
      const router = new TestRouter();
      const placed = intentsOf(h.onTick(quotingTick(0, tick(1, fvs))));
      const pause = riskState('ETH-PERP', 1, at(1), 'NORMAL', false, true);
      const pulled = intentsOf(h.onTick(quotingTick(0, tick(2), { risk: [pause], orders: router.carryOut(placed, at(1)) })));
      expect(pulled.map((i) => [i.action, i.targetClientOrderId, i.modelLabels.reason])).toEqual(placed.map((i) => ['CANCEL', deriveClientOrderId(i.intentId, i.venue), 'no-quote']));
      expect(intentsOf(h.onTick(quotingTick(0, tick(3, [movedFairValue(fv, 0.4, at(3) - 1, 10)]), { orders: router.carryOut(pulled, at(2)) })))).toEqual([]);
      expect(h.exportLane(0).instruments['ETH-PERP']!.orders).toEqual([]);
    });

    it('places again when the router never reported an order (denied or not reserved)', () => {
      const h = handler();
      const placed = intentsOf(h.onTick(quotingTick(0, tick(1, fvs))));
      const again = intentsOf(h.onTick(quotingTick(0, tick(2))));
      expect(again.map((i) => [i.action, i.venue, i.side, i.price, i.modelLabels.decision])).toEqual(placed.map((i) => ['PLACE', i.venue, i.side, i.price, 'no-live-order']));
      expect(again.map((i) => i.intentId).filter((id) => placed.some((p) => p.intentId === id))).toEqual([]);
    });

    it('reports the distance of each resting quote from fair value', async () => {
      const metrics = createIsolatedMetrics({ service: 'quoting', instance: 'quoting-0' });
      const h = handler(SESSION, metrics);
      const placed = intentsOf(h.onTick(quotingTick(0, tick(1, fvs))));
      const gauge = metrics.registry.getSingleMetric('fleet_quote_spread_bps')!;
      const values = (await gauge.get()).values.map((v) => [v.labels.venue, v.labels.side, v.value]);
      const S = fv.fairValue!;
      expect(values).toEqual(placed.map((i) => [i.venue, i.side === 'BUY' ? 'bid' : 'ask', ((i.side === 'BUY' ? S - Number(i.price) : Number(i.price) - S) / S) * 1e4]));
      expect(values.every(([, , v]) => (v as number) > 0)).toBe(true);
    });
  });

  it('is deterministic: the same ticks give byte-identical outputs and state', () => {
    const a = handler();
    const b = handler();
    expect(canonicalJson(run(a, MARKET))).toBe(canonicalJson(run(b, MARKET)));
    expect(canonicalJson(a.exportLane(0))).toBe(canonicalJson(b.exportLane(0)));
  });

  it('continues identically from a snapshot exported mid-run', () => {
    const original = handler();
    const split = 12;
    const router = new TestRouter();
    let orders: readonly OrderEvent[] = [];
    for (const m of MARKET.slice(0, split)) {
      orders = router.carryOut(intentsOf(original.onTick(quotingTick(0, m, { orders }))), m.tickTimeUs);
    }
    const snapshot = original.exportLane(0);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    const restored = handler();
    restored.importLane(0, snapshot);
    let outputs = 0;
    for (const m of MARKET.slice(split)) {
      const tick = quotingTick(0, m, { orders });
      const expected = intentsOf(original.onTick(tick));
      const actual = intentsOf(restored.onTick(tick));
      expect(canonicalJson(actual)).toBe(canonicalJson(expected));
      outputs += expected.length;
      orders = router.carryOut(expected, m.tickTimeUs);
    }
    expect(outputs).toBeGreaterThan(0);
    expect(canonicalJson(restored.exportLane(0))).toBe(canonicalJson(original.exportLane(0)));
  });

  it('quotes each instrument of a lane on its own, in name order, with its own sequence', () => {
    const session = { ...SESSION, instruments: ['ETH-PERP', 'BTC-PERP'] };
    const btc = simulatedMarketTicks(session, 'BTC-PERP');
    const eth = simulatedMarketTicks(session, 'ETH-PERP');
    const merged = eth.slice(0, 2).map((m, i) => ({ ...m, books: [...m.books, ...btc[i]!.books], fairValues: [...m.fairValues, ...btc[i]!.fairValues] }));
    const h = handler(session);
    const perTick = run(h, merged);
    for (const intents of perTick) {
      const names = intents.map((i) => i.instrument);
      expect(names).toEqual([...names].sort());
    }
    const all = perTick.flat();
    expect([...new Set(all.map((i) => i.instrument))].sort()).toEqual(['BTC-PERP', 'ETH-PERP']);
    for (const instrument of ['BTC-PERP', 'ETH-PERP']) {
      const sequences = all.filter((i) => i.instrument === instrument).map((i) => i.envelope.sequence);
      expect(sequences).toEqual(sequences.map((_, k) => k + 1));
      expect(sequences.length).toBeGreaterThanOrEqual(4);
    }
    h.resetLane(0);
    expect(h.exportLane(0)).toEqual({ instruments: {} });
  });
});
