import { type DecimalString, isDecimalString, type PriceLevel } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { compareMarketEvents, type MarketEvent, MARKET_EVENT_TYPES } from '../market-data/market-events';

/** The value of `format` in the header line of a recorded market-data file. */
export const RECORDED_FORMAT = 'fleet-market-data';

/** The format version this code reads and writes. */
export const RECORDED_FORMAT_VERSION = 1;

/** The first line of a recorded market-data file. */
export interface RecordedHeader {
  readonly format: typeof RECORDED_FORMAT;
  readonly version: number;
  /** Every venue that appears in the file, sorted. */
  readonly venues: readonly string[];
  /** Every canonical instrument that appears in the file, sorted. */
  readonly instruments: readonly string[];
  /** Free text: where the data came from. */
  readonly description?: string;
}

/** Returns the header line (without the newline) of a recorded file. */
export function formatHeader(header: RecordedHeader): string {
  return canonicalJson(header);
}

/** Returns the line (without the newline) that records `event`. */
export function formatEvent(event: MarketEvent): string {
  return canonicalJson(event);
}

type Fields = Record<string, unknown>;

const COMMON = ['type', 'venue', 'instrument', 'eventTimeUs', 'exchangeTimeUs', 'sequence'];
const FIELDS: Record<MarketEvent['type'], readonly string[]> = {
  book: [...COMMON, 'venueSymbol', 'venueSequence', 'bids', 'asks', 'tickSize', 'lotSize'],
  trade: [...COMMON, 'venueTradeId', 'price', 'size', 'aggressorSide'],
  funding: [...COMMON, 'rate', 'predictedRate', 'intervalUs', 'nextFundingTimeUs'],
  mark: [...COMMON, 'markPrice'],
  index: [...COMMON, 'indexPrice'],
};

/** A problem found in one line; the reader adds the file name and line number. */
export class LineProblem extends Error {}

function fail(problem: string): never {
  throw new LineProblem(problem);
}

function parseJsonObject(text: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
  return value as Fields;
}

function str(o: Fields, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) fail(`field "${key}" must be a non-empty string, received ${JSON.stringify(v)}`);
  return v;
}

function int(o: Fields, key: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(`field "${key}" must be an integer >= ${min}, received ${JSON.stringify(v)}`);
  return v;
}

function intOrNull(o: Fields, key: string): number | null {
  if (o[key] === null) return null;
  return int(o, key);
}

function decimal(o: Fields, key: string, sign: 'positive' | 'non-negative' | 'any'): DecimalString {
  const v = o[key];
  if (typeof v !== 'string' || !isDecimalString(v)) fail(`field "${key}" must be a plain decimal string such as "65000.5", received ${JSON.stringify(v)}`);
  const negative = v.startsWith('-');
  const zero = /^-?0(\.0+)?$/.test(v);
  if (sign === 'positive' && (negative || zero)) fail(`field "${key}" must be positive, received "${v}"`);
  if (sign === 'non-negative' && negative && !zero) fail(`field "${key}" must not be negative, received "${v}"`);
  return v;
}

function decimalOrNull(o: Fields, key: string): DecimalString | null {
  return o[key] === null ? null : decimal(o, key, 'any');
}

function levels(o: Fields, key: string, descending: boolean): PriceLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`field "${key}" must be an array of {price, size}`);
  const out = v.map((level: unknown, i) => {
    if (typeof level !== 'object' || level === null || Array.isArray(level)) fail(`${key}[${i}] must be an object {price, size}`);
    const l = level as Fields;
    const extra = Object.keys(l).filter((k) => k !== 'price' && k !== 'size');
    if (extra.length > 0) fail(`${key}[${i}] has unknown field(s) ${extra.join(', ')}`);
    return { price: decimal(l, 'price', 'positive'), size: decimal(l, 'size', 'positive') };
  });
  for (let i = 1; i < out.length; i++) {
    const prev = Number(out[i - 1].price);
    const cur = Number(out[i].price);
    if (descending ? !(cur < prev) : !(cur > prev)) fail(`${key} must be sorted best first with distinct prices; level ${i} (${out[i].price}) is out of order`);
  }
  return out;
}

/** Returns the header parsed from the first line; throws LineProblem when it is not a valid header. */
export function parseHeader(text: string): RecordedHeader {
  const o = parseJsonObject(text);
  if (o['format'] !== RECORDED_FORMAT) fail(`the first line must be a header with "format": "${RECORDED_FORMAT}", received ${JSON.stringify(o['format'])}`);
  if (o['version'] !== RECORDED_FORMAT_VERSION) fail(`unsupported format version ${JSON.stringify(o['version'])}; this reader reads version ${RECORDED_FORMAT_VERSION}`);
  const list = (key: string): string[] => {
    const v = o[key];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x.length > 0)) fail(`header field "${key}" must be a non-empty array of strings`);
    return v as string[];
  };
  const extra = Object.keys(o).filter((k) => !['format', 'version', 'venues', 'instruments', 'description'].includes(k));
  if (extra.length > 0) fail(`header has unknown field(s) ${extra.join(', ')}`);
  if (o['description'] !== undefined && typeof o['description'] !== 'string') fail('header field "description" must be a string');
  return { format: RECORDED_FORMAT, version: RECORDED_FORMAT_VERSION, venues: list('venues'), instruments: list('instruments'), description: o['description'] as string | undefined };
}

/** Returns the event parsed from one line, checked against the header; throws LineProblem naming the problem. */
export function parseEvent(text: string, header: RecordedHeader): MarketEvent {
  const o = parseJsonObject(text);
  const type = o['type'];
  if (typeof type !== 'string' || !(MARKET_EVENT_TYPES as readonly string[]).includes(type)) fail(`field "type" must be one of ${MARKET_EVENT_TYPES.join(', ')}, received ${JSON.stringify(type)}`);
  const t = type as MarketEvent['type'];
  const extra = Object.keys(o).filter((k) => !FIELDS[t].includes(k));
  if (extra.length > 0) fail(`a ${t} event has unknown field(s) ${extra.join(', ')}`);
  const venue = str(o, 'venue');
  if (!header.venues.includes(venue)) fail(`venue "${venue}" is not listed in the header`);
  const instrument = str(o, 'instrument');
  if (!header.instruments.includes(instrument)) fail(`instrument "${instrument}" is not listed in the header`);
  const base = { venue, instrument, eventTimeUs: int(o, 'eventTimeUs'), exchangeTimeUs: intOrNull(o, 'exchangeTimeUs'), sequence: int(o, 'sequence', 1) };
  switch (t) {
    case 'book':
      return {
        type: t,
        ...base,
        venueSymbol: str(o, 'venueSymbol'),
        venueSequence: intOrNull(o, 'venueSequence'),
        bids: levels(o, 'bids', true),
        asks: levels(o, 'asks', false),
        tickSize: decimal(o, 'tickSize', 'positive'),
        lotSize: decimal(o, 'lotSize', 'positive'),
      } as MarketEvent;
    case 'trade': {
      const side = o['aggressorSide'];
      if (side !== null && side !== 'BUY' && side !== 'SELL') fail(`field "aggressorSide" must be "BUY", "SELL" or null, received ${JSON.stringify(side)}`);
      return { type: t, ...base, venueTradeId: str(o, 'venueTradeId'), price: decimal(o, 'price', 'positive'), size: decimal(o, 'size', 'positive'), aggressorSide: side } as MarketEvent;
    }
    case 'funding':
      return {
        type: t,
        ...base,
        rate: decimal(o, 'rate', 'any'),
        predictedRate: decimalOrNull(o, 'predictedRate'),
        intervalUs: int(o, 'intervalUs', 1),
        nextFundingTimeUs: int(o, 'nextFundingTimeUs'),
      } as MarketEvent;
    case 'mark':
      return { type: t, ...base, markPrice: decimal(o, 'markPrice', 'positive') } as MarketEvent;
    case 'index':
      return { type: t, ...base, indexPrice: decimal(o, 'indexPrice', 'positive') } as MarketEvent;
  }
}

/**
 * Checks the order rules across lines: events strictly ordered by (eventTimeUs, sequence,
 * venue, instrument) and each (venue, instrument) sequence strictly increasing.
 */
export class OrderChecker {
  private previous: MarketEvent | undefined;
  private readonly lastSequence = new Map<string, number>();

  /** Accepts the next event or throws LineProblem naming the rule it breaks. */
  accept(event: MarketEvent): void {
    if (this.previous !== undefined && compareMarketEvents(this.previous, event) >= 0) {
      fail(`events must be sorted by eventTimeUs, then sequence (then venue, instrument); this event (eventTimeUs ${event.eventTimeUs}, sequence ${event.sequence}) does not come after the previous one (eventTimeUs ${this.previous.eventTimeUs}, sequence ${this.previous.sequence})`);
    }
    const key = `${event.venue}\u0000${event.instrument}`;
    const last = this.lastSequence.get(key);
    if (last !== undefined && event.sequence <= last) fail(`sequence ${event.sequence} of ${event.venue}/${event.instrument} is not above the previous ${last}`);
    this.lastSequence.set(key, event.sequence);
    this.previous = event;
  }
}
