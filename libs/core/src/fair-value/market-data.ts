import { type TimeUs, type VenueId } from '../types';

/** The top of one venue's order book. */
export interface VenueBookTop {
  readonly venueId: VenueId;
  /** The best bid price. */
  readonly bestBid: number;
  /** The best ask price. */
  readonly bestAsk: number;
  /** Size resting at the best bid, in base units. */
  readonly bidDepth: number;
  /** Size resting at the best ask, in base units. */
  readonly askDepth: number;
  /** When the venue produced this book (event time). */
  readonly timestampUs: TimeUs;
}

/** Mark, index and funding of one venue's perpetual. */
export interface VenuePerpMarks {
  readonly venueId: VenueId;
  /** The venue's mark price. */
  readonly markPrice: number;
  /** The venue's index (spot reference) price. */
  readonly indexPrice: number;
  /** The current 8-hour funding rate, as a fraction (positive: longs pay shorts). */
  readonly fundingRate8h: number;
  readonly timestampUs: TimeUs;
}

/** Returns the mid price of a book top. */
export function bookMid(book: VenueBookTop): number {
  return (book.bestBid + book.bestAsk) / 2;
}

/** Returns true when the book top is usable: finite, positive prices and bid strictly below ask. */
export function isBookValid(book: VenueBookTop): boolean {
  return Number.isFinite(book.bestBid) && Number.isFinite(book.bestAsk) && book.bestBid > 0 && book.bestAsk > book.bestBid;
}

/** Returns true when the book is older than `maxAgeUs` at `nowUs` (a book from the future is not stale). */
export function isBookStale(book: VenueBookTop, nowUs: TimeUs, maxAgeUs: number): boolean {
  return nowUs - book.timestampUs > maxAgeUs;
}
