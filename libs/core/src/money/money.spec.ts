import fc from 'fast-check';
import Decimal from 'decimal.js';
import { canonicalJson, digestOf } from '../canonical';
import { ValidationError } from '../errors';
import { ExactDecimal, isMultipleOf, Money, Price, Quantity, roundToIncrement, SignedQuantity, toDecimal } from './index';

describe('Price', () => {
  it('is created from strings, numbers and bigints and normalised', () => {
    expect(Price.create('101.500').toString()).toBe('101.5');
    expect(Price.create(0.1).toString()).toBe('0.1');
    expect(Price.create(5n).toString()).toBe('5');
    expect(Price.create('1e-8').toString()).toBe('0.00000001');
  });

  it('rejects zero, negatives and non-numbers with a message naming what was received', () => {
    expect(() => Price.create('0')).toThrow('price must be positive, received 0');
    expect(() => Price.create(-1)).toThrow(ValidationError);
    const bad = Price.tryCreate('abc');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe('price must be a positive decimal, received "abc" is not a decimal number');
    expect(Price.tryCreate(Number.NaN).ok).toBe(false);
    expect(Price.tryCreate(Infinity).ok).toBe(false);
  });

  it('rounds to a tick floor, ceil and nearest (ties to even multiple)', () => {
    expect(Price.create('100.07').roundToTick('0.05', 'floor').toString()).toBe('100.05');
    expect(Price.create('100.07').roundToTick('0.05', 'ceil').toString()).toBe('100.1');
    expect(Price.create('100.07').roundToTick('0.05', 'nearest').toString()).toBe('100.05');
    expect(Price.create('100.125').roundToTick('0.25', 'nearest').toString()).toBe('100');
    expect(Price.create('100.375').roundToTick('0.25', 'nearest').toString()).toBe('100.5');
    expect(() => Price.create('0.01').roundToTick('0.05', 'floor')).toThrow(ValidationError);
  });

  it('computes notional exactly', () => {
    expect(Price.create('0.1').notional(Quantity.create('0.2')).toFixed()).toBe('0.02');
  });
});

describe('Quantity and SignedQuantity', () => {
  it('allows zero, refuses negatives, and subtracts only down to zero', () => {
    expect(Quantity.zero().isZero()).toBe(true);
    expect(() => Quantity.create('-0.1')).toThrow('quantity must not be negative, received -0.1');
    expect(Quantity.create('1').minus(Quantity.create('0.4')).toString()).toBe('0.6');
    expect(() => Quantity.create('1').minus(Quantity.create('1.1'))).toThrow(ValidationError);
  });

  it('rounds to a lot', () => {
    expect(Quantity.create('0.0129').roundToLot('0.001', 'floor').toString()).toBe('0.012');
    expect(Quantity.create('0.0121').roundToLot('0.001', 'ceil').toString()).toBe('0.013');
  });

  it('keeps the sign of a net position', () => {
    const q = SignedQuantity.create('-2').plus(SignedQuantity.create('0.5'));
    expect(q.toString()).toBe('-1.5');
    expect(q.sign()).toBe(-1);
    expect(q.abs().toString()).toBe('1.5');
    expect(SignedQuantity.zero().sign()).toBe(0);
  });
});

describe('Money', () => {
  it('adds exactly where floats do not', () => {
    expect(Money.create('0.1', 'USDT').plus(Money.create('0.2', 'USDT')).amountText()).toBe('0.3');
  });

  it('refuses mixing currencies and bad currency codes', () => {
    expect(() => Money.create(1, 'USDT').plus(Money.create(1, 'USD'))).toThrow('cannot add USD and USDT: currencies differ');
    expect(Money.tryCreate(1, 'usd').ok).toBe(false);
  });

  it('encodes canonically as amount and currency text', () => {
    expect(canonicalJson({ m: Money.create('10.50', 'USDT'), p: Price.create('3.10') })).toBe('{"m":{"amount":"10.5","currency":"USDT"},"p":"3.1"}');
    expect(canonicalJson(Money.create('-0', 'USD'))).toBe('{"amount":"0","currency":"USD"}');
    expect(digestOf(Money.create('1.0', 'USD'))).toBe(digestOf(Money.create('1', 'USD')));
  });

  it('rounds to a quantum and compares', () => {
    expect(Money.create('10.005', 'USD').roundTo('0.01', 'nearest').amountText()).toBe('10');
    expect(Money.create('10.015', 'USD').roundTo('0.01', 'nearest').amountText()).toBe('10.02');
    expect(Money.create('-1.234', 'USD').roundTo('0.01', 'floor').amountText()).toBe('-1.24');
    expect(Money.create(1, 'USD').lt(Money.create(2, 'USD'))).toBe(true);
    expect(Money.create(1, 'USD').max(Money.create(2, 'USD')).amountText()).toBe('2');
  });

  it('never mutates the global decimal.js configuration', () => {
    expect(Decimal.precision).toBe(20);
    expect(ExactDecimal.precision).toBe(40);
  });
});

describe('roundToIncrement (property)', () => {
  const dec = fc.tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 8 })).map(([n, s]) => toDecimal(n).div(10 ** s));
  const inc = fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 6 })).map(([n, s]) => toDecimal(n).div(10 ** s));

  it('returns a multiple of the increment within one increment, on the right side', () => {
    fc.assert(
      fc.property(dec, inc, (x, i) => {
        const f = roundToIncrement(x, i, 'floor');
        const c = roundToIncrement(x, i, 'ceil');
        const n = roundToIncrement(x, i, 'nearest');
        expect(isMultipleOf(f, i) && isMultipleOf(c, i) && isMultipleOf(n, i)).toBe(true);
        expect(f.lte(x) && x.minus(f).lt(i)).toBe(true);
        expect(c.gte(x) && c.minus(x).lt(i)).toBe(true);
        expect(n.minus(x).abs().times(2).lte(i)).toBe(true);
      }),
    );
  });
});
