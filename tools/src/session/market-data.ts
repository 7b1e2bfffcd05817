/** The scenario's market data as the events the main job publishes to md.book and md.trade. */
import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, TRADE_TYPE, Topics } from '@fleet/contracts';
import { generateMarketEvents, type Scenario, type SimVenueSpec } from '@fleet/core';
import { bookSnapshotFromSim, tradeFromSim } from '@fleet/events';
import { type OutboundEvent } from '@fleet/kafka';

/** The market-data events of a scenario, in publish order. */
export interface MarketData {
  readonly events: OutboundEvent[];
  /** The envelope eventId of each event, in publish order. */
  readonly eventIds: string[];
  /** How many events the simulator generated (books and trades, and everything else). */
  readonly scenarioEvents: number;
}

/** Returns the market-data events of the scenario as Avro records for md.book and md.trade; deterministic in (scenario, seed). */
export function marketDataRecords(scenario: Scenario, seed: number): MarketData {
  const venues = new Map<string, SimVenueSpec>(scenario.sim.venues.map((v) => [v.venue, v]));
  const sequence = new Map<string, number>();
  const next = (key: string): number => {
    const n = (sequence.get(key) ?? 0) + 1;
    sequence.set(key, n);
    return n;
  };
  const events: OutboundEvent[] = [];
  const simEvents = generateMarketEvents(scenario, seed);
  for (const e of simEvents) {
    const venue = venues.get(e.venue);
    if (!venue) continue;
    if (e.type === 'book') {
      events.push({ spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE]!, key: e.instrument, value: bookSnapshotFromSim(e, venue, next(`book:${e.instrument}`)) });
    } else if (e.type === 'trade') {
      events.push({ spec: Topics.mdTrade, schema: AVRO_SCHEMAS[TRADE_TYPE]!, key: e.instrument, value: tradeFromSim(e, venue, next(`trade:${e.instrument}`)) });
    }
  }
  const eventIds = events.map((r) => (r.value as { envelope: { eventId: string } }).envelope.eventId);
  return { events, eventIds, scenarioEvents: simEvents.length };
}
