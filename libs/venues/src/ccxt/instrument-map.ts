import type { InstrumentId } from '@fleet/core';

/** One instrument as the fleet names it and as ccxt names it on a venue. */
export interface InstrumentMapping {
  /** Canonical instrument, for example BTC-PERP. */
  readonly instrument: InstrumentId;
  /** ccxt unified symbol, for example BTC/USDT:USDT. */
  readonly symbol: string;
}

const UNIFIED_PERP = /^([A-Z0-9]+)\/([A-Z0-9]+):([A-Z0-9]+)$/;

/**
 * Returns the canonical instrument of a ccxt unified perpetual symbol: BTC/USDT:USDT → BTC-PERP.
 * Throws a RangeError naming the symbol when it is not a perpetual (`BASE/QUOTE:SETTLE`).
 */
export function canonicalPerpOf(symbol: string): InstrumentId {
  const m = UNIFIED_PERP.exec(symbol);
  if (m === null) throw new RangeError(`expected a ccxt perpetual symbol such as "BTC/USDT:USDT", received "${symbol}"`);
  return `${m[1]}-PERP`;
}

/** A two-way map between canonical instruments and one venue's ccxt unified symbols. */
export class InstrumentMap {
  private readonly bySymbol = new Map<string, InstrumentId>();
  private readonly byInstrument = new Map<InstrumentId, string>();

  /** Returns a map of the given pairs; throws when an instrument or a symbol appears twice. */
  constructor(mappings: readonly InstrumentMapping[]) {
    for (const { instrument, symbol } of mappings) {
      if (this.byInstrument.has(instrument)) throw new RangeError(`instrument ${instrument} is mapped twice`);
      if (this.bySymbol.has(symbol)) throw new RangeError(`symbol ${symbol} is mapped twice`);
      this.byInstrument.set(instrument, symbol);
      this.bySymbol.set(symbol, instrument);
    }
  }

  /** Returns the map of perpetual symbols to their derived canonical names (BTC/USDT:USDT → BTC-PERP). */
  static ofPerpetuals(symbols: readonly string[]): InstrumentMap {
    return new InstrumentMap(symbols.map((symbol) => ({ symbol, instrument: canonicalPerpOf(symbol) })));
  }

  /** Returns the ccxt symbol of `instrument`; throws a RangeError naming it when unmapped. */
  symbolOf(instrument: InstrumentId): string {
    const s = this.byInstrument.get(instrument);
    if (s === undefined) throw new RangeError(`instrument ${instrument} is not mapped to a venue symbol (mapped: ${[...this.byInstrument.keys()].join(', ')})`);
    return s;
  }

  /** Returns the instrument of the ccxt `symbol`; throws a RangeError naming it when unmapped. */
  instrumentOf(symbol: string): InstrumentId {
    const i = this.bySymbol.get(symbol);
    if (i === undefined) throw new RangeError(`venue symbol ${symbol} is not mapped to an instrument`);
    return i;
  }

  /** Returns every mapping, in insertion order. */
  entries(): InstrumentMapping[] {
    return [...this.byInstrument].map(([instrument, symbol]) => ({ instrument, symbol }));
  }
}
