import fc from 'fast-check';
import { ValidationError } from '../errors';
import { type DecimalInput, Money, Price, Quantity } from '../money';
import { type Side, sideSign } from '../types';
import {
  applyPortfolioFill,
  applyPortfolioFunding,
  averageEntryPrice,
  createPortfolio,
  findPosition,
  type Portfolio,
  type PositionFill,
  snapshotPortfolio,
} from './index';

const usdt = (a: DecimalInput): Money => Money.create(a, 'USDT');
const fill = (side: Side, qty: string, price: string, fee = '0', venue = 'venue-a', instrument = 'BTC-PERP', atUs = 1): PositionFill => ({
  venue,
  instrument,
  side,
  quantity: Quantity.create(qty),
  price: Price.create(price),
  fee: usdt(fee),
  atUs,
});
const book = (fills: readonly PositionFill[], p: Portfolio = createPortfolio('USDT')): Portfolio => fills.reduce(applyPortfolioFill, p);

describe('Paper execution PnL (phase 14.2b): positions, average entry and realised PnL', () => {
  it('averages the entry price when increasing', () => {
    const p = book([fill('buy', '1', '100'), fill('buy', '3', '104')]);
    const pos = findPosition(p, 'venue-a', 'BTC-PERP')!;
    expect(pos.netQuantity.toString()).toBe('4');
    expect(averageEntryPrice(pos)!.toString()).toBe('103');
    expect(pos.realisedPnl.amountText()).toBe('0');
  });

  it('realises PnL on a reducing fill at the average entry', () => {
    const pos = findPosition(book([fill('buy', '2', '100'), fill('sell', '0.5', '110')]), 'venue-a', 'BTC-PERP')!;
    expect(pos.realisedPnl.amountText()).toBe('5');
    expect(pos.netQuantity.toString()).toBe('1.5');
    expect(averageEntryPrice(pos)!.toString()).toBe('100');
  });

  it('realises a short’s PnL on a buy', () => {
    const pos = findPosition(book([fill('sell', '2', '100'), fill('buy', '2', '90')]), 'venue-a', 'BTC-PERP')!;
    expect(pos.realisedPnl.amountText()).toBe('20');
    expect(pos.netQuantity.isZero()).toBe(true);
    expect(averageEntryPrice(pos)).toBeUndefined();
  });

  it('flips through zero: closes the long and opens a short at the fill price', () => {
    const pos = findPosition(book([fill('buy', '1', '100'), fill('sell', '3', '120')]), 'venue-a', 'BTC-PERP')!;
    expect(pos.realisedPnl.amountText()).toBe('20');
    expect(pos.netQuantity.toString()).toBe('-2');
    expect(averageEntryPrice(pos)!.toString()).toBe('120');
  });

  it('books maker rebates (negative fees), taker fees and funding', () => {
    let p = book([fill('buy', '1', '100', '-0.01'), fill('sell', '1', '101', '0.05')]);
    p = applyPortfolioFunding(p, { venue: 'venue-a', instrument: 'BTC-PERP', amount: usdt('-0.2'), atUs: 5 });
    const s = snapshotPortfolio(p, {}, 10);
    expect(s.total.realised.amountText()).toBe('1');
    expect(s.total.fees.amountText()).toBe('0.04');
    expect(s.total.funding.amountText()).toBe('-0.2');
    expect(s.total.net.amountText()).toBe('0.76');
  });

  it('refuses fees in another currency', () => {
    expect(() => applyPortfolioFill(createPortfolio('USDT'), { ...fill('buy', '1', '1'), fee: Money.create('1', 'USD') })).toThrow(ValidationError);
  });
});

describe('Portfolio snapshot: per venue and global totals, marked to fair value', () => {
  const p = book([fill('buy', '2', '100', '0.1', 'venue-a'), fill('sell', '1', '102', '0.1', 'venue-b'), fill('buy', '10', '2', '0', 'venue-b', 'ETH-PERP')]);

  it('marks unrealised PnL and sums per venue and globally', () => {
    const s = snapshotPortfolio(p, { 'BTC-PERP': Price.create('101'), 'ETH-PERP': Price.create('2.5') }, 100);
    expect(s.venues.map((v) => [v.venue, v.unrealised.amountText(), v.net.amountText()])).toEqual([
      ['venue-a', '2', '1.9'],
      ['venue-b', '6', '5.9'],
    ]);
    expect(s.total.unrealised.amountText()).toBe('8');
    expect(s.total.net.amountText()).toBe('7.8');
    expect(s.positions.map((x) => `${x.venue}/${x.instrument}`)).toEqual(['venue-a/BTC-PERP', 'venue-b/BTC-PERP', 'venue-b/ETH-PERP']);
  });

  it('never guesses a missing mark for an open position', () => {
    expect(() => snapshotPortfolio(p, { 'BTC-PERP': Price.create('101') }, 100)).toThrow('no mark for open position venue-b/ETH-PERP');
  });

  it('gives the same digest for the same inputs', () => {
    const marks = { 'BTC-PERP': Price.create('101'), 'ETH-PERP': Price.create('2.5') };
    expect(snapshotPortfolio(p, marks, 100).digest).toBe(snapshotPortfolio(book([...[fill('buy', '2', '100', '0.1', 'venue-a'), fill('sell', '1', '102', '0.1', 'venue-b'), fill('buy', '10', '2', '0', 'venue-b', 'ETH-PERP')]]), marks, 100).digest);
    expect(snapshotPortfolio(p, { ...marks, 'ETH-PERP': Price.create('2.6') }, 100).digest).not.toBe(snapshotPortfolio(p, marks, 100).digest);
  });
});

describe('PnL conservation (property): realised + unrealised − fees + funding equals cash-flow accounting', () => {
  const decimal = (max: number, scale: number): fc.Arbitrary<string> => fc.integer({ min: 1, max }).map((n) => (n / 10 ** scale).toFixed(scale));
  const arbFill = fc.record({
    side: fc.constantFrom<Side>('buy', 'sell'),
    qty: decimal(5000, 3),
    price: decimal(2_000_000, 2),
    fee: fc.integer({ min: -500, max: 2000 }).map((n) => (n / 1000).toFixed(3)),
    venue: fc.constantFrom('venue-a', 'venue-b'),
    instrument: fc.constantFrom('BTC-PERP', 'ETH-PERP'),
  });

  it('holds exactly for random fill and funding sequences', () => {
    fc.assert(
      fc.property(fc.array(arbFill, { maxLength: 40 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5 }), decimal(2_000_000, 2), decimal(2_000_000, 2), (fills, funding, btc, eth) => {
        let p = createPortfolio('USDT');
        let cash = usdt(0);
        for (const f of fills) {
          p = applyPortfolioFill(p, fill(f.side, f.qty, f.price, f.fee, f.venue, f.instrument));
          cash = cash.minus(usdt(f.qty).times(f.price).times(sideSign(f.side))).minus(usdt(f.fee));
        }
        for (const amount of funding) {
          p = applyPortfolioFunding(p, { venue: 'venue-a', instrument: 'BTC-PERP', amount: usdt(amount / 100), atUs: 2 });
          cash = cash.plus(usdt(amount / 100));
        }
        const marks = { 'BTC-PERP': Price.create(btc), 'ETH-PERP': Price.create(eth) };
        const markValue = p.positions.reduce((a, pos) => a.plus(usdt(pos.netQuantity.value.times(marks[pos.instrument as 'BTC-PERP'].value))), usdt(0));
        const s = snapshotPortfolio(p, marks, 3);
        expect(s.total.net.amountText()).toBe(cash.plus(markValue).amountText());
        expect(s.total.realised.plus(s.total.unrealised).minus(s.total.fees).plus(s.total.funding).amountText()).toBe(s.total.net.amountText());
      }),
    );
  });
});
