import { unitsText, toUnits, type BookEvent, type SimVenueSpec, type TradeEvent } from '@fleet/core';
import { BOOK_SNAPSHOT_TYPE, TRADE_TYPE, decimalString, type BookSnapshot, type PriceLevel, type Trade } from '@fleet/contracts';
import { withEnvelope } from './envelope';

/** The producer name of market data. */
export const MARKET_GATEWAY = 'market-gateway';

function exactText(value: number, decimals: number): string {
  return unitsText(toUnits(value, decimals), decimals);
}

function levels(side: BookEvent['bids'], venue: SimVenueSpec): PriceLevel[] {
  return side.map((level) => ({
    price: decimalString(exactText(level.price, venue.priceDecimals)),
    size: decimalString(exactText(level.size, venue.sizeDecimals)),
  }));
}

/** Returns the BookSnapshot event of a simulated book, with exact decimal prices and sizes. */
export function bookSnapshotFromSim(event: BookEvent, venue: SimVenueSpec, sequence: number): BookSnapshot {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: BOOK_SNAPSHOT_TYPE, instrument: event.instrument, sequence, eventTimeUs: event.eventTimeUs, causation: [] },
    {
      instrument: event.instrument,
      venue: event.venue,
      venueSymbol: event.instrument,
      venueSequence: event.sequence,
      exchangeTimeUs: event.eventTimeUs,
      bids: levels(event.bids, venue),
      asks: levels(event.asks, venue),
      tickSize: decimalString(unitsText(1, venue.priceDecimals)),
      lotSize: decimalString(unitsText(1, venue.sizeDecimals)),
    },
  );
}

/** Returns the Trade event of a simulated public trade. */
export function tradeFromSim(event: TradeEvent, venue: SimVenueSpec, sequence: number): Trade {
  return withEnvelope(
    { producer: MARKET_GATEWAY, valueType: TRADE_TYPE, instrument: event.instrument, sequence, eventTimeUs: event.eventTimeUs, causation: [] },
    {
      instrument: event.instrument,
      venue: event.venue,
      venueTradeId: `${event.venue}-${event.sequence}`,
      price: decimalString(exactText(event.price, venue.priceDecimals)),
      size: decimalString(exactText(event.size, venue.sizeDecimals)),
      aggressorSide: event.aggressor === 'buy' ? 'BUY' : 'SELL',
      exchangeTimeUs: event.eventTimeUs,
    },
  );
}
