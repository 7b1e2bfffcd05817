import { canonicalJson, CanonicalEncodingError } from './canonical-json';
import { deriveId, digestOf, sha256Hex } from './digest';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('writes -0 as 0 and bigint as a decimal string', () => {
    expect(canonicalJson({ n: -0, big: 12345678901234567890n })).toBe('{"big":"12345678901234567890","n":0}');
  });

  it('refuses NaN and Infinity and names where they are', () => {
    expect(() => canonicalJson({ a: { b: [1, Number.NaN] } })).toThrow(CanonicalEncodingError);
    expect(() => canonicalJson({ a: { b: [1, Number.NaN] } })).toThrow('a.b[1]');
    expect(() => canonicalJson({ x: Infinity })).toThrow('not finite');
  });

  it('uses toCanonical() of exact values', () => {
    const exact = { toCanonical: () => '0.10000000000000000001' };
    expect(canonicalJson({ price: exact })).toBe('{"price":"0.10000000000000000001"}');
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow('cycle');
  });
});

describe('digests and derived ids', () => {
  it('matches the SHA-256 test vector for "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives the same digest whatever the key order', () => {
    expect(digestOf({ a: 1, b: [1, 2] })).toBe(digestOf({ b: [1, 2], a: 1 }));
    expect(digestOf({ a: 1 })).not.toBe(digestOf({ a: 2 }));
  });

  it('derives ids of the requested length from their inputs', () => {
    const id = deriveId('order', ['BTC-PERP', 7], 32);
    expect(id).toHaveLength(32);
    expect(id).toBe(deriveId('order', ['BTC-PERP', 7], 32));
    expect(id).not.toBe(deriveId('order', ['BTC-PERP', 8], 32));
    expect(() => deriveId('x', [], 65)).toThrow('from 8 to 64');
  });
});
