import { decimalString, isDecimalString } from './scalars';

describe('DecimalString', () => {
  it('accepts plain decimals', () => {
    for (const value of ['0', '1', '-1', '65000.5', '0.00010000', '-0.5']) expect(isDecimalString(value)).toBe(true);
  });

  it('refuses exponents, leading zeros, blanks and non-numbers', () => {
    for (const value of ['', '1e5', '01', '.5', '5.', '+1', 'NaN', ' 1', '1,5']) expect(isDecimalString(value)).toBe(false);
  });

  it('says what it received when it refuses', () => {
    expect(() => decimalString('1e5')).toThrow('received "1e5"');
    expect(decimalString('42.10')).toBe('42.10');
  });
});
