import { Money, Price, Quantity, SignedQuantity } from '@fleet/core';

/** A plain JSON value: what a lane snapshot holds. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The exact value types of the core, each written as a one-member object whose key names the
 * type: `{ "$money": ["10.5", "USDT"] }`, `{ "$price": "101.5" }`, `{ "$quantity": "2" }`,
 * `{ "$signed": "-1.5" }`. No state key starts with `$`, so the tags cannot collide.
 */
const PRICE = '$price';
const QUANTITY = '$quantity';
const SIGNED = '$signed';
const MONEY = '$money';

/**
 * Returns `value` as plain JSON: exact decimals as tagged text, arrays and objects member by
 * member, undefined members left out. Throws a RangeError for a non-finite number or a value
 * that has no JSON form (a Map, a function), naming where it is.
 */
export function encodeState(value: unknown, path = ''): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`state at ${path || '<root>'} is the non-finite number ${value}`);
    return value;
  }
  if (value instanceof Money) return { [MONEY]: [value.amountText(), value.currency] };
  if (value instanceof Price) return { [PRICE]: value.toString() };
  if (value instanceof SignedQuantity) return { [SIGNED]: value.toString() };
  if (value instanceof Quantity) return { [QUANTITY]: value.toString() };
  if (Array.isArray(value)) return value.map((item, i) => encodeState(item, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, JsonValue> = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = encodeState(member, path ? `${path}.${key}` : key);
    return out;
  }
  throw new RangeError(`state at ${path || '<root>'} has no JSON form (${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value})`);
}

/** Returns the value `encodeState` encoded, with the exact decimals rebuilt. */
export function decodeState(value: JsonValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeState);
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const tagged = record[keys[0]!];
    switch (keys[0]) {
      case MONEY: {
        const [amount, currency] = tagged as readonly string[];
        return Money.create(amount!, currency!);
      }
      case PRICE:
        return Price.create(tagged as string);
      case QUANTITY:
        return Quantity.create(tagged as string);
      case SIGNED:
        return SignedQuantity.create(tagged as string);
      default:
        break;
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeState(record[key]!);
  return out;
}
