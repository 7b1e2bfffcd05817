/**
 * Kafka headers of the lane protocol (docs/ARCHITECTURE.md, "Lock-step lanes"). Every record a
 * lane service writes names the tick it was written in and its producer; a *tick mark* is a
 * record with an empty value and the mark header that closes a tick on one partition for one
 * producer. Marks are punctuation, not events: consumers skip them (never dead-letter them).
 */
export const LANE_HEADER = {
  tick: 'fleet-tick',
  producer: 'fleet-producer',
  mark: 'fleet-mark',
  tickTimeUs: 'fleet-tick-time-us',
} as const;

/** Returns true when a record with these headers is a tick mark. */
export function isLaneMark(headers: Readonly<Record<string, string>>): boolean {
  return headers[LANE_HEADER.mark] !== undefined;
}
