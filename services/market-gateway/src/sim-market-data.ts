import {
  decimalString,
  type DecimalString,
  FUNDING_RATE_TYPE,
  type FundingRate,
  INDEX_PRICE_TYPE,
  type IndexPrice,
  MARK_PRICE_TYPE,
  type MarkPrice,
} from '@fleet/contracts';
import {
  type FundingEvent,
  type IndexEvent,
  type MarkEvent,
  type MarketEvent,
  type SimConfig,
  type SimVenueSpec,
  toUnits,
  unitsText,
} from '@fleet/core';
import { bookSnapshotFromSim, MARKET_GATEWAY, tradeFromSim, withEnvelope } from '@fleet/events';
import { type MdItem } from './md-events';

/** The simulator rounds funding rates to 1e-8, so eight decimals carry them exactly. */
const FUNDING_RATE_DECIMALS = 8;

function priceText(price: number, venue: SimVenueSpec): DecimalString {
  return decimalString(unitsText(toUnits(price, venue.priceDecimals), venue.priceDecimals));
}

/**
 * Returns the FundingRate event of a simulated funding publication: the exact rate, the
 * settlement interval of the market and the next settlement time. The simulator predicts no
 * next rate, so `predictedRate` is null.
 */
export function fundingRateFromSim(event: FundingEvent, sim: SimConfig, sequence: number): FundingRate {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: FUNDING_RATE_TYPE, instrument: event.instrument, sequence, eventTimeUs: event.eventTimeUs, causation: [] },
    {
      instrument: event.instrument,
      venue: event.venue,
      rate: decimalString(unitsText(toUnits(event.rate, FUNDING_RATE_DECIMALS), FUNDING_RATE_DECIMALS)),
      predictedRate: null,
      intervalUs: sim.fundingSettlementUs,
      nextFundingTimeUs: event.nextSettlementUs,
    },
  );
}

/** Returns the MarkPrice event of a simulated mark, exact on the venue's price grid. */
export function markPriceFromSim(event: MarkEvent, venue: SimVenueSpec, sequence: number): MarkPrice {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: MARK_PRICE_TYPE, instrument: event.instrument, sequence, eventTimeUs: event.eventTimeUs, causation: [] },
    { instrument: event.instrument, venue: event.venue, markPrice: priceText(event.price, venue), exchangeTimeUs: event.eventTimeUs },
  );
}

/** Returns the IndexPrice event of a simulated index, exact on the venue's price grid. */
export function indexPriceFromSim(event: IndexEvent, venue: SimVenueSpec, sequence: number): IndexPrice {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: INDEX_PRICE_TYPE, instrument: event.instrument, sequence, eventTimeUs: event.eventTimeUs, causation: [] },
    { instrument: event.instrument, venue: event.venue, indexPrice: priceText(event.price, venue), exchangeTimeUs: event.eventTimeUs },
  );
}

/**
 * Returns the market-data item of a simulated event, or undefined for a venue-status change
 * (no contract carries it: an outage shows as the venue publishing nothing).
 */
export function simMdItem(event: MarketEvent, sim: SimConfig): MdItem | undefined {
  if (event.type === 'venue-status') return undefined;
  const venue = sim.venues.find((v) => v.venue === event.venue);
  if (venue === undefined) throw new RangeError(`simulated event of unknown venue ${JSON.stringify(event.venue)} on ${event.instrument}`);
  const key = { kind: event.type, instrument: event.instrument, venue: event.venue, eventTimeUs: event.eventTimeUs };
  switch (event.type) {
    case 'book':
      return { ...key, build: (sequence) => bookSnapshotFromSim(event, venue, sequence) };
    case 'trade':
      return { ...key, build: (sequence) => tradeFromSim(event, venue, sequence) };
    case 'funding':
      return { ...key, build: (sequence) => fundingRateFromSim(event, sim, sequence) };
    case 'mark':
      return { ...key, build: (sequence) => markPriceFromSim(event, venue, sequence) };
    case 'index':
      return { ...key, build: (sequence) => indexPriceFromSim(event, venue, sequence) };
  }
}
