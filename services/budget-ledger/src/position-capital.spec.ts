import { ExactDecimal, Money, Price, Quantity, SignedQuantity } from '@fleet/core';
import { backingAfterFill } from './position-capital';

const usdt = (v: string): Money => Money.create(v, 'USDT');
const after = (backing: string, net: string, side: 'buy' | 'sell', qty: string, price: string) => {
  const r = backingAfterFill(usdt(backing), SignedQuantity.create(net), side, Quantity.create(qty), Price.create(price));
  return [r.backing.amountText(), r.released.amountText()];
};

describe('committed capital behind a venue position', () => {
  it('adds the commitment of a fill that opens or increases the position', () => {
    expect(after('0', '0', 'buy', '2', '3000')).toEqual(['6000', '0']);
    expect(after('6000', '2', 'buy', '1', '3010')).toEqual(['9010', '0']);
    expect(after('3000', '-1', 'sell', '0.5', '2990')).toEqual(['4495', '0']);
  });

  it('frees the closed share of the backing and the closing commitment on a reduce', () => {
    const freed = new ExactDecimal('9010').times('1').div('3').toDecimalPlaces(18);
    expect(after('9010', '3', 'sell', '1', '3020')).toEqual([new ExactDecimal('9010').minus(freed).toFixed(), freed.plus('3020').toFixed()]);
    expect(after('6000', '2', 'sell', '2', '3005')).toEqual(['0', new ExactDecimal('6000').plus(new ExactDecimal('3005').times(2)).toFixed()]);
  });

  it('frees the whole backing on a fill through zero and backs the new side at the reserve price', () => {
    expect(after('6000', '2', 'sell', '3', '3005')).toEqual(['3005', new ExactDecimal('6000').plus(new ExactDecimal('3005').times(2)).toFixed()]);
  });

  it('conserves capital: backing before + commitment = backing after + released', () => {
    const cases: [string, string, 'buy' | 'sell', string, string][] = [
      ['9010', '3', 'sell', '1', '3020'],
      ['100.1', '-0.7', 'buy', '1.3', '2999.99'],
      ['7', '0.3', 'sell', '0.1', '25'],
    ];
    for (const [backing, net, side, qty, price] of cases) {
      const [b, r] = after(backing, net, side, qty, price);
      const commit = new ExactDecimal(price).times(qty);
      expect(new ExactDecimal(backing).plus(commit).eq(new ExactDecimal(b!).plus(r!))).toBe(true);
    }
  });
});
