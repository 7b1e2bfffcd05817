import { Money, Price, Quantity, SignedQuantity } from '@fleet/core';
import { decodeState, encodeState } from './state-codec';

describe('lane state codec', () => {
  it('writes exact values as tagged text and reads them back as the same types', () => {
    const state = { cash: Money.create('10.50', 'USDT'), px: Price.create('3000.25'), qty: Quantity.create('2'), net: SignedQuantity.create('-1.5'), list: [1, 'a', null, true], gone: undefined };
    const encoded = encodeState(state);
    expect(encoded).toEqual({ cash: { $money: ['10.5', 'USDT'] }, px: { $price: '3000.25' }, qty: { $quantity: '2' }, net: { $signed: '-1.5' }, list: [1, 'a', null, true] });
    const decoded = decodeState(JSON.parse(JSON.stringify(encoded))) as typeof state;
    expect(decoded.cash).toBeInstanceOf(Money);
    expect(decoded.cash.equals(state.cash) && decoded.cash.currency === 'USDT').toBe(true);
    expect(decoded.px).toBeInstanceOf(Price);
    expect(decoded.qty).toBeInstanceOf(Quantity);
    expect(decoded.net).toBeInstanceOf(SignedQuantity);
    expect(decoded.net.toString()).toBe('-1.5');
    expect(decoded.list).toEqual([1, 'a', null, true]);
    expect('gone' in decoded).toBe(false);
  });

  it('refuses what JSON cannot carry, naming where it is', () => {
    expect(() => encodeState({ a: [{ b: Number.NaN }] })).toThrow('state at a[0].b is the non-finite number NaN');
    expect(() => encodeState({ m: new Map() })).toThrow('state at m has no JSON form (Map)');
  });
});
