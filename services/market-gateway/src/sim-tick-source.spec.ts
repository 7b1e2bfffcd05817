import { type BookSnapshot, type Envelope, type FundingRate, type IndexPrice, type MarkPrice, Topics } from '@fleet/contracts';
import { canonicalJson, generateMarketEvents, type MarketEvent } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { type LaneOutput, type LaneSessionConfig, laneScenario, laneSeed } from '@fleet/service';
import { compareMdEvents, MD_KINDS, MD_TOPICS, type MdKind } from './md-events';
import { SimTickSource } from './sim-tick-source';
import { type GatewayTick } from './tick-source';

const session: LaneSessionConfig = { scenario: 'calm', seed: 7, durationUs: 3_000_000, tickUs: 250_000, venueCount: 3, instruments: ['ETH-PERP', 'BTC-PERP'] };

type Md = { readonly envelope: Envelope; readonly instrument: string; readonly venue: string };

function drain(source: SimTickSource): GatewayTick[] {
  const ticks: GatewayTick[] = [];
  for (let t = source.nextTick(); t !== undefined; t = source.nextTick()) ticks.push(t);
  return ticks;
}

const kindOf = (o: LaneOutput): MdKind => MD_KINDS.find((k) => MD_TOPICS[k] === o.spec)!;
const md = (o: LaneOutput): Md => o.value as Md;
const published = (e: MarketEvent): boolean => e.type !== 'venue-status';

describe('SimTickSource', () => {
  it('gives identical ticks for the same session, and different ones for another seed', async () => {
    const a = drain(new SimTickSource(session));
    const b = drain(new SimTickSource(session));
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    const other = drain(new SimTickSource({ ...session, seed: 8 }));
    expect(canonicalJson(other)).not.toBe(canonicalJson(a));
  });

  it('covers the whole duration in consecutive ticks, each event inside its tick, in canonical order', () => {
    const source = new SimTickSource(session);
    const ticks = drain(source);
    expect(source.ticks).toBe(12);
    expect(ticks.map((t) => t.tick)).toEqual([...Array(12).keys()]);
    for (const t of ticks) {
      expect(t.tickTimeUs).toBe(source.startUs + (t.tick + 1) * session.tickUs);
      const opensUs = t.tickTimeUs - session.tickUs;
      for (const o of t.outputs) {
        const time = md(o).envelope.eventTimeUs;
        expect(time <= t.tickTimeUs && (time > opensUs || (t.tick === 0 && time === opensUs))).toBe(true);
      }
      const keys = t.outputs.map((o) => ({ kind: kindOf(o), instrument: md(o).instrument, venue: md(o).venue, eventTimeUs: md(o).envelope.eventTimeUs }));
      expect([...keys].sort(compareMdEvents)).toEqual(keys);
    }
  });

  it('publishes every simulated event of every instrument exactly once, keyed by its instrument', () => {
    const outputs = drain(new SimTickSource(session)).flatMap((t) => t.outputs);
    for (const instrument of session.instruments) {
      const events = generateMarketEvents(laneScenario(session, instrument), laneSeed(session, instrument)).filter(published);
      const mine = outputs.filter((o) => md(o).instrument === instrument);
      expect(mine.length).toBe(events.length);
      expect(mine.every((o) => o.key === instrument)).toBe(true);
      for (const kind of MD_KINDS) expect(mine.filter((o) => kindOf(o) === kind).length).toBe(events.filter((e) => e.type === kind).length);
      const books = mine.filter((o) => o.spec === Topics.mdBook).map((o) => o.value as BookSnapshot);
      expect(books.map((b) => [b.venue, b.venueSequence])).toEqual(events.filter((e) => e.type === 'book').map((e) => [e.venue, e.sequence]));
    }
    expect(new Set(outputs.map((o) => md(o).envelope.eventId)).size).toBe(outputs.length);
    expect(outputs.every((o) => checkEnvelope(md(o)) === undefined && md(o).envelope.producer === 'market-gateway' && md(o).envelope.causation.length === 0)).toBe(true);
  });

  it('numbers each (instrument, venue, kind) from 1 without gaps', () => {
    const outputs = drain(new SimTickSource(session)).flatMap((t) => t.outputs);
    const byKey = new Map<string, number[]>();
    for (const o of outputs) {
      const key = `${md(o).instrument}/${md(o).venue}/${kindOf(o)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), md(o).envelope.sequence]);
    }
    expect(byKey.size).toBe(session.instruments.length * session.venueCount * MD_KINDS.length);
    for (const sequences of byKey.values()) expect(sequences).toEqual(sequences.map((_, i) => i + 1));
  });

  it('carries funding, mark and index exactly as the simulator published them', () => {
    const scenario = laneScenario(session, 'ETH-PERP');
    const events = generateMarketEvents(scenario, laneSeed(session, 'ETH-PERP'));
    const outputs = drain(new SimTickSource(session)).flatMap((t) => t.outputs).filter((o) => o.key === 'ETH-PERP');
    const funding = outputs.filter((o) => o.spec === Topics.mdFunding).map((o) => o.value as FundingRate);
    const simFunding = events.flatMap((e) => (e.type === 'funding' ? [e] : []));
    expect(funding.map((f) => [f.venue, Number(f.rate), f.nextFundingTimeUs, f.intervalUs, f.predictedRate])).toEqual(
      simFunding.map((e) => [e.venue, e.rate, e.nextSettlementUs, scenario.sim.fundingSettlementUs, null]),
    );
    const marks = outputs.filter((o) => o.spec === Topics.mdMark).map((o) => o.value as MarkPrice);
    expect(marks.map((m) => [m.venue, Number(m.markPrice), m.exchangeTimeUs])).toEqual(events.flatMap((e) => (e.type === 'mark' ? [[e.venue, e.price, e.eventTimeUs]] : [])));
    const indexes = outputs.filter((o) => o.spec === Topics.mdIndex).map((o) => o.value as IndexPrice);
    expect(indexes.map((i) => [i.venue, Number(i.indexPrice)])).toEqual(events.flatMap((e) => (e.type === 'index' ? [[e.venue, e.price]] : [])));
    expect(marks.every((m) => /^\d+(\.\d{1,2})?$/.test(m.markPrice))).toBe(true);
  });

  it('publishes nothing from a venue during its outage', () => {
    const outage = { ...session, scenario: 'venue-outage' as const, instruments: ['ETH-PERP'] };
    const { sim, knobs } = laneScenario(outage, 'ETH-PERP');
    const [window] = knobs.outages;
    const from = sim.startTimeUs + window!.fromUs;
    const to = sim.startTimeUs + window!.toUs;
    const outputs = drain(new SimTickSource(outage)).flatMap((t) => t.outputs);
    const during = (o: LaneOutput): boolean => md(o).envelope.eventTimeUs >= from && md(o).envelope.eventTimeUs < to;
    const down = outputs.filter((o) => md(o).venue === window!.venue);
    expect(down.filter(during)).toEqual([]);
    expect(down.some((o) => md(o).envelope.eventTimeUs < from)).toBe(true);
    expect(down.some((o) => md(o).envelope.eventTimeUs >= to)).toBe(true);
    expect(outputs.filter((o) => md(o).venue !== window!.venue && o.spec === Topics.mdBook).some(during)).toBe(true);
  });

  it('ends after the last tick, and at once when closed', async () => {
    const source = new SimTickSource({ ...session, durationUs: 500_000 });
    expect((await source.next())?.tick).toBe(0);
    await source.close();
    expect(await source.next()).toBeUndefined();
  });
});
