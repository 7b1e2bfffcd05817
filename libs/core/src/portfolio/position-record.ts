import { type CurrencyCode, Money, SignedQuantity } from '../money';
import { type TimeUs } from '../types';
import { type Portfolio } from './portfolio';
import { type Position } from './position';

/**
 * One venue position of an instrument as plain JSON (exact decimals as text), so that state
 * kept outside the process (a Redis snapshot) holds no class instances.
 */
export interface PositionRecord {
  readonly venue: string;
  /** The signed position, exact text. */
  readonly netQuantity: string;
  readonly costBasis: string;
  readonly realisedPnl: string;
  /** Fees paid net of rebates. */
  readonly fees: string;
  readonly funding: string;
  readonly updatedAtUs: TimeUs;
}

/** Returns the portfolio of `instrument`, booked in `currency`, from its position records. */
export function portfolioFromRecords(currency: CurrencyCode, instrument: string, records: readonly PositionRecord[]): Portfolio {
  const positions: Position[] = records.map((r) => ({
    venue: r.venue,
    instrument,
    netQuantity: SignedQuantity.create(r.netQuantity),
    costBasis: Money.create(r.costBasis, currency),
    realisedPnl: Money.create(r.realisedPnl, currency),
    fees: Money.create(r.fees, currency),
    funding: Money.create(r.funding, currency),
    updatedAtUs: r.updatedAtUs,
  }));
  return { currency, positions };
}

/** Returns the record of one position. */
export function positionRecordOf(p: Position): PositionRecord {
  return {
    venue: p.venue,
    netQuantity: p.netQuantity.toString(),
    costBasis: p.costBasis.amountText(),
    realisedPnl: p.realisedPnl.amountText(),
    fees: p.fees.amountText(),
    funding: p.funding.amountText(),
    updatedAtUs: p.updatedAtUs,
  };
}

/** Returns the records of a portfolio's positions, in its order. */
export function positionRecordsOf(portfolio: Portfolio): PositionRecord[] {
  return portfolio.positions.map(positionRecordOf);
}
