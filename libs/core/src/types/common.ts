/** A canonical instrument identifier, for example `BTC-PERP`. Every topic is keyed by it. */
export type InstrumentId = string;

/** A venue identifier, for example `venue-a` or `binanceusdm`. */
export type VenueId = string;

/** The side of an order or a fill. */
export type Side = 'buy' | 'sell';

/** Returns +1 for a buy and -1 for a sell. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

/** Returns the opposite side. */
export function oppositeSide(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}

/** Simulated or event time, in integer microseconds since the Unix epoch. */
export type TimeUs = number;
