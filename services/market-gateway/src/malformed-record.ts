import { Topics } from '@fleet/contracts';
import { type GatewayTick, type TickSource } from './tick-source';

/**
 * The bytes of the deliberately malformed book record: text, so the first byte is not the
 * Confluent magic byte 0 and no consumer can decode it; every consumer must dead-letter it.
 */
export const MALFORMED_BOOK_BYTES = Buffer.from(`malformed ${Topics.mdBook.name} record: not Confluent-framed Avro`, 'utf8');

/**
 * Returns `source` with one malformed book record (keyed by its first instrument) added to tick
 * `atTick`, for FLEET_INJECT_MALFORMED_AT_TICK (a test and chaos setting); `source` itself when
 * `atTick` is undefined.
 */
export function withMalformedRecord(source: TickSource, atTick: number | undefined): TickSource {
  if (atTick === undefined) return source;
  return {
    instruments: source.instruments,
    ticks: source.ticks,
    close: () => source.close(),
    next: async (): Promise<GatewayTick | undefined> => {
      const tick = await source.next();
      if (tick === undefined || tick.tick !== atTick) return tick;
      return { ...tick, raw: [...(tick.raw ?? []), { spec: Topics.mdBook, key: source.instruments[0]!, value: MALFORMED_BOOK_BYTES }] };
    },
  };
}
