import { type BookSnapshot } from '@fleet/contracts';
import { type BookEvent, calmScenario, generateMarketEvents } from '@fleet/core';
import { bookSnapshotFromSim } from '@fleet/events';

/** Returns the BookSnapshot events of a calm simulated session of `durationUs` on `instrument`, sequenced per instrument from 1. */
export function simulatedBooks(instrument: string, seed: number | string, durationUs = 3_000_000): BookSnapshot[] {
  const scenario = calmScenario({ instrument, durationUs });
  const venues = new Map(scenario.sim.venues.map((v) => [v.venue, v] as const));
  const books = generateMarketEvents(scenario, seed).filter((e): e is BookEvent => e.type === 'book');
  return books.map((e, i) => bookSnapshotFromSim(e, venues.get(e.venue)!, i + 1));
}
