import {
  AVRO_SCHEMAS,
  type BookSnapshot,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState as FairValueStateEvent,
  type VenueGateStatus,
  type VenueObservation,
} from '@fleet/contracts';
import {
  bookMid,
  computeVolScalars,
  type FairValueState,
  gateVenueBook,
  healthyVenueIds,
  initialFairValueState,
  stepFairValue,
  type StrategyConfig,
  type VenueBookTop,
  type VenueGate,
} from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { FAIR_VALUE_SERVICE } from './fair-value.constants';

/** The fair-value state of one instrument: the filter, the latest book per venue (config order) and the output sequence. */
export interface InstrumentFairValue {
  readonly fv: FairValueState;
  readonly books: readonly (VenueBookTop | null)[];
  /** The sequence of the last fv.state produced for the instrument (0 before the first). */
  readonly sequence: number;
}

/** The snapshot payload of one partition: its instruments by name. */
export interface PartitionFairValues {
  readonly instruments: Readonly<Record<string, InstrumentFairValue>>;
}

/** Returns the top of a BookSnapshot as the core reads it, or null when a side is empty. */
export function venueBookTop(book: BookSnapshot): VenueBookTop | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid === undefined || ask === undefined) return null;
  return {
    venueId: book.venue,
    bestBid: Number(bid.price),
    bestAsk: Number(ask.price),
    bidDepth: Number(bid.size),
    askDepth: Number(ask.size),
    timestampUs: book.envelope.eventTimeUs,
  };
}

const GATE_STATUS: Readonly<Record<VenueGate, VenueGateStatus>> = {
  healthy: 'HEALTHY',
  missing: 'NO_BOOK',
  // A crossed or non-positive book takes the venue out of the filter; the contract names that DISABLED.
  invalid: 'DISABLED',
  stale: 'STALE',
  outlier: 'OUTLIER',
};

function byVenue<T extends { readonly venue: string }>(a: T, b: T): number {
  return a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0;
}

/**
 * Returns the fv.state payload after a step: the filter output, the healthy venues used, the
 * volatility and its scalars, and per venue the gate (HEALTHY when used; otherwise the gate of
 * its book against the resulting estimate), its mid and the age of its book at `nowUs`.
 */
export function fairValuePayload(cfg: StrategyConfig, instrument: string, fv: FairValueState, books: readonly (VenueBookTop | null)[], nowUs: number): Omit<FairValueStateEvent, 'envelope'> {
  const scalars = computeVolScalars(cfg.volatility, fv.sigmaEff);
  const observations: VenueObservation[] = cfg.venues
    .map((venue, i) => {
      const book = books[i] ?? null;
      const used = (fv.healthyVenueMask & (1 << i)) !== 0;
      return {
        venue: venue.venueId,
        status: used ? 'HEALTHY' : GATE_STATUS[gateVenueBook(cfg, book, fv.fairValue, nowUs)],
        mid: book === null ? null : bookMid(book),
        ageUs: book === null ? null : nowUs - book.timestampUs,
      } satisfies VenueObservation;
    })
    .sort(byVenue);
  const used = [...healthyVenueIds(cfg, fv)].sort();
  return {
    instrument,
    fvAvailable: fv.fvAvailable,
    fairValue: fv.fairValue,
    fairValueVariance: fv.fairValue === null ? null : fv.variance,
    healthyVenuesUsed: used,
    healthyVenuesUsedCount: fv.healthyVenueCount,
    minHealthyVenues: cfg.fairValue.minHealthyVenues,
    observations,
    sigmaShort: fv.sigmaShort,
    sigmaLong: fv.sigmaLong,
    sigmaEff: fv.sigmaEff,
    sigmaMin: cfg.volatility.sigmaMin,
    spreadVolScalar: scalars.spreadMult,
    sizeVolScalar: scalars.sizeMult,
    bandVolScalar: scalars.bandMult,
  };
}

/** The Avro schema fv.state is written with. */
export const FAIR_VALUE_STATE_SCHEMA = AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE];

/**
 * The fair-value state of every instrument, per input partition; pure (no I/O, no clock). Each
 * book replaces its venue's latest book and steps the instrument's filter at the book's event
 * time; the result is one fv.state whose causation is the book.
 */
export class FairValueTracker {
  private readonly partitions = new Map<number, Map<string, InstrumentFairValue>>();

  /** Returns a tracker for `cfg`. */
  constructor(readonly cfg: StrategyConfig) {}

  /** Folds `book` (read from `partition`) and returns the fv.state event and the instrument's new state. */
  onBook(book: BookSnapshot, partition: number): { readonly event: FairValueStateEvent; readonly state: InstrumentFairValue } {
    let instruments = this.partitions.get(partition);
    if (!instruments) {
      instruments = new Map();
      this.partitions.set(partition, instruments);
    }
    const prior = instruments.get(book.instrument) ?? { fv: initialFairValueState(this.cfg), books: this.cfg.venues.map(() => null), sequence: 0 };
    const nowUs = book.envelope.eventTimeUs;
    const index = this.cfg.venues.findIndex((v) => v.venueId === book.venue);
    const books = index < 0 ? prior.books : prior.books.map((b, i) => (i === index ? venueBookTop(book) : b));
    const fv = stepFairValue(this.cfg, prior.fv, books, nowUs);
    const state: InstrumentFairValue = { fv, books, sequence: prior.sequence + 1 };
    instruments.set(book.instrument, state);
    const event = withEnvelope(
      {
        producer: FAIR_VALUE_SERVICE,
        valueType: FAIR_VALUE_STATE_TYPE,
        instrument: book.instrument,
        sequence: state.sequence,
        eventTimeUs: nowUs,
        causation: [book.envelope.eventId],
        correlationId: book.envelope.correlationId,
      },
      fairValuePayload(this.cfg, book.instrument, fv, books, nowUs),
    );
    return { event, state };
  }

  /** Forgets every instrument of `partition`. */
  resetPartition(partition: number): void {
    this.partitions.delete(partition);
  }

  /** Returns the instruments of `partition`, sorted by name. */
  exportPartition(partition: number): PartitionFairValues {
    const instruments = this.partitions.get(partition) ?? new Map<string, InstrumentFairValue>();
    return { instruments: Object.fromEntries([...instruments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  }

  /** Replaces the instruments of `partition` with `payload`. */
  importPartition(partition: number, payload: PartitionFairValues): void {
    this.partitions.set(partition, new Map(Object.entries(payload.instruments)));
  }

  /** Returns the state of `instrument`, when it was seen. */
  instrument(instrument: string): InstrumentFairValue | undefined {
    for (const instruments of this.partitions.values()) {
      const found = instruments.get(instrument);
      if (found) return found;
    }
    return undefined;
  }
}
