import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, type BookSnapshot, type FairValueState, Topics } from '@fleet/contracts';
import { type BookEvent, digestOf, generateMarketEvents, initialFairValueState, stepFairValue, type VenueBookTop } from '@fleet/core';
import { bookSnapshotFromSim, checkEnvelope } from '@fleet/events';
import { createIsolatedMetrics } from '@fleet/metrics';
import { ConfigurationError, type LaneSessionConfig, type LaneTick, laneRunnerConfig, laneScenario, laneSeed } from '@fleet/service';
import { FAIR_VALUE_INPUTS, FAIR_VALUE_OUTPUTS, FairValueHandler, type FairValueLaneConfig, readFairValueLaneConfig } from './fair-value.lane';
import { venueBookTop } from './fair-value-tracker';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };
const session: LaneSessionConfig = { scenario: 'calm', seed: 11, durationUs: 4_000_000, tickUs: 250_000, venueCount: 3, instruments: ['ETH-PERP', 'BTC-PERP'] };
const PARTITION = 3;

/** Returns the md.book events of `instrument` in the session, as market-gateway publishes them (sequenced per venue). */
function books(instrument: string): BookSnapshot[] {
  const scenario = laneScenario(session, instrument);
  const sequences = new Map<string, number>();
  return generateMarketEvents(scenario, laneSeed(session, instrument))
    .filter((e): e is BookEvent => e.type === 'book')
    .map((e) => {
      const sequence = (sequences.get(e.venue) ?? 0) + 1;
      sequences.set(e.venue, sequence);
      return bookSnapshotFromSim(e, scenario.sim.venues.find((v) => v.venue === e.venue)!, sequence);
    });
}

/** Returns lane ticks of `tickUs` holding `input` in event-time order (ticks closed on the right). */
function ticksOf(input: readonly BookSnapshot[]): LaneTick[] {
  const startUs = laneScenario(session, session.instruments[0]!).sim.startTimeUs;
  const ticks: LaneTick[] = [];
  const sorted = [...input].sort((a, b) => a.envelope.eventTimeUs - b.envelope.eventTimeUs);
  sorted.forEach((book, offset) => {
    const t = book.envelope.eventTimeUs;
    const tick = t <= startUs ? 0 : Math.ceil((t - startUs) / session.tickUs) - 1;
    while (ticks.length <= tick) ticks.push({ partition: PARTITION, tick: ticks.length, tickTimeUs: startUs + (ticks.length + 1) * session.tickUs, events: [] });
    const event = { topic: Topics.mdBook.name, partition: PARTITION, offset: String(offset), tick, producer: 'market-gateway', timestampMs: '0', value: book };
    ticks[tick] = { ...ticks[tick]!, events: [...ticks[tick]!.events, event] };
  });
  return ticks;
}

function config(): FairValueLaneConfig {
  return readFairValueLaneConfig({ ...stack, FLEET_SCENARIO: session.scenario, FLEET_SEED: String(session.seed), FLEET_DURATION_S: '4', FLEET_VENUE_COUNT: '3', FLEET_INSTRUMENTS: session.instruments.join(',') });
}

function handler(metrics = createIsolatedMetrics({ service: 'fair-value', instance: 'spec' })): FairValueHandler {
  return new FairValueHandler({ service: 'fair-value', instance: 'spec', session, config: config(), metrics });
}

function run(ticks: readonly LaneTick[], h = handler()): FairValueState[] {
  return ticks.flatMap((t) => h.onTick(t).map((o) => o.value as FairValueState));
}

describe('FairValueHandler', () => {
  const eth = books('ETH-PERP');
  const ticks = ticksOf(eth);

  it('declares md.book from market-gateway in, fv.state out', () => {
    expect(FAIR_VALUE_INPUTS).toEqual([{ spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: ['market-gateway'] }]);
    expect(FAIR_VALUE_OUTPUTS).toEqual([Topics.fvState]);
  });

  it('yields one fv.state per book, keyed by instrument and caused by the book', () => {
    const h = handler();
    const outputs = ticks.flatMap((t) => h.onTick(t));
    expect(outputs).toHaveLength(eth.length);
    outputs.forEach((o, i) => {
      const value = o.value as FairValueState;
      expect(o.spec).toBe(Topics.fvState);
      expect(o.key).toBe('ETH-PERP');
      expect(value.envelope).toMatchObject({ causation: [eth[i]!.envelope.eventId], eventTimeUs: eth[i]!.envelope.eventTimeUs, sequence: i + 1, producer: 'fair-value' });
      expect(checkEnvelope(value)).toBeUndefined();
    });
  });

  it('computes what the core computes with the session strategy of the instrument', () => {
    const strategy = laneRunnerConfig(session, 'ETH-PERP').strategy;
    const outputs = run(ticks);
    let fv = initialFairValueState(strategy);
    const latest: (VenueBookTop | null)[] = strategy.venues.map(() => null);
    eth.forEach((b, i) => {
      latest[strategy.venues.findIndex((v) => v.venueId === b.venue)] = venueBookTop(b);
      fv = stepFairValue(strategy, fv, latest, b.envelope.eventTimeUs);
      expect([outputs[i]!.fairValue, outputs[i]!.fvAvailable, outputs[i]!.sigmaEff]).toEqual([fv.fairValue, fv.fvAvailable, fv.sigmaEff]);
    });
    const last = outputs.at(-1)!;
    expect(last.fvAvailable).toBe(true);
    expect(last.healthyVenuesUsed).toEqual(strategy.venues.map((v) => v.venueId));
  });

  it('gives the same outputs for the same ticks', () => {
    expect(digestOf(run(ticks))).toBe(digestOf(run(ticks)));
    expect(digestOf(run(ticks.slice(1)))).not.toBe(digestOf(run(ticks).slice(ticks[0]!.events.length)));
  });

  it('continues identically from an exported and imported lane, and after a reset and replay', () => {
    const half = Math.floor(ticks.length / 2);
    const a = handler();
    run(ticks.slice(0, half), a);
    const exported = a.exportLane(PARTITION);
    const snapshot = JSON.parse(JSON.stringify(exported));
    expect(snapshot).toEqual(exported);
    const b = handler();
    b.importLane(PARTITION, snapshot);
    const full = run(ticks);
    const done = ticks.slice(0, half).reduce((n, t) => n + t.events.length, 0);
    expect(digestOf(run(ticks.slice(half), b))).toBe(digestOf(full.slice(done)));
    a.resetLane(PARTITION);
    expect(a.exportLane(PARTITION)).toEqual({ instruments: {} });
    expect(digestOf(run(ticks, a))).toBe(digestOf(full));
  });

  it('keeps the instruments of one lane apart', () => {
    const btc = books('BTC-PERP');
    const mixed = run(ticksOf([...eth, ...btc]));
    expect(digestOf(mixed.filter((o) => o.instrument === 'ETH-PERP'))).toBe(digestOf(run(ticks)));
    expect(digestOf(mixed.filter((o) => o.instrument === 'BTC-PERP'))).toBe(digestOf(run(ticksOf(btc))));
    const h = handler();
    run(ticksOf([...eth, ...btc]), h);
    expect(Object.keys(h.exportLane(PARTITION).instruments)).toEqual(['BTC-PERP', 'ETH-PERP']);
  });

  it('reports fair value, effective volatility and gating per instrument', async () => {
    const metrics = createIsolatedMetrics({ service: 'fair-value', instance: 'spec' });
    const h = handler(metrics);
    const first = h.onTick({ ...ticks[0]!, events: ticks[0]!.events.slice(0, 1) }).map((o) => o.value as FairValueState);
    const gauge = async (name: string): Promise<number> => Number(new RegExp(`^${name}\\{instrument="ETH-PERP"[^}]*\\} (\\S+)$`, 'm').exec((await metrics.exposition()).body)?.[1]);
    expect(first[0]!.fvAvailable).toBe(false);
    expect(await gauge('fleet_fv_gated')).toBe(1);
    const rest = run(ticks.slice(1), h);
    const last = rest.at(-1)!;
    expect(await gauge('fleet_fv_gated')).toBe(0);
    expect(await gauge('fleet_fair_value')).toBe(last.fairValue);
    expect(await gauge('fleet_sigma_eff')).toBe(last.sigmaEff);
  });
});

describe('fair-value lane configuration', () => {
  it('takes each instrument strategy from the session, venues included', () => {
    const c = config();
    expect(c.service.service).toBe('fair-value');
    expect(Object.keys(c.strategies)).toEqual(session.instruments);
    for (const instrument of session.instruments) expect(c.strategies[instrument]).toEqual(laneRunnerConfig(session, instrument).strategy);
    expect(c.strategies['ETH-PERP']!.venues.map((v) => v.venueId)).toEqual(['venue-a', 'venue-b', 'venue-c']);
  });

  it('applies the gating overrides to every instrument', () => {
    const c = readFairValueLaneConfig({ ...stack, FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_FV_MIN_HEALTHY_VENUES: '1', FLEET_FV_STALE_BOOK_MAX_AGE_US: '750000' });
    expect(c.overrides).toEqual({ minHealthyVenues: 1, staleBookMaxAgeUs: 750_000 });
    expect(Object.values(c.strategies).map((s) => [s.fairValue.minHealthyVenues, s.fairValue.staleBookMaxAgeUs])).toEqual([
      [1, 750_000],
      [1, 750_000],
    ]);
  });

  it('names the variable behind a strategy the core validator rejects, once', () => {
    try {
      readFairValueLaneConfig({ ...stack, FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_VENUE_COUNT: '2', FLEET_FV_MIN_HEALTHY_VENUES: '3' });
      throw new Error('configuration was accepted');
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      expect(error.issues.map((i) => [i.setting, i.received, i.message])).toEqual([
        ['FLEET_FV_MIN_HEALTHY_VENUES', '3', 'FLEET_FV_MIN_HEALTHY_VENUES is invalid: fairValue.minHealthyVenues must be at most the number of venues (2), received 3'],
      ]);
    }
  });
});
