/**
 * Canonical serialisation: one byte-exact encoding for every decision artifact.
 *
 * Rules: object keys sorted by UTF-16 code unit order; no whitespace; `undefined` object
 * members are omitted; arrays keep their order; numbers must be finite and are written in
 * JavaScript's shortest round-trip form (`-0` is written `0`); bigint is written as a
 * decimal string; values with a `toCanonical()` method (exact decimals) are replaced by
 * what it returns. NaN, Infinity, functions, symbols and cycles are errors, never silently
 * encoded.
 */

/** A value that knows its own canonical form (for example an exact decimal). */
export interface CanonicalValue {
  /** Returns the value to encode in place of this object. */
  toCanonical(): unknown;
}

/** Raised when a value cannot be encoded canonically; names the path of the bad value. */
export class CanonicalEncodingError extends Error {
  /** Returns a new error for the value at `path`. */
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot encode value at ${path || '<root>'} canonically: ${reason}`);
    this.name = 'CanonicalEncodingError';
  }
}

function hasToCanonical(value: object): value is CanonicalValue {
  return typeof (value as Partial<CanonicalValue>).toCanonical === 'function';
}

function encode(value: unknown, path: string, seen: Set<object>, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalEncodingError(path, `number ${String(value)} is not finite`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'bigint':
      out.push(JSON.stringify(value.toString()));
      return;
    case 'undefined':
      throw new CanonicalEncodingError(path, 'undefined is only allowed as an object member (it is omitted)');
    case 'function':
    case 'symbol':
      throw new CanonicalEncodingError(path, `${typeof value} values have no canonical form`);
    case 'object':
      break;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const obj = value as object;
  if (seen.has(obj)) throw new CanonicalEncodingError(path, 'the value contains a cycle');
  if (hasToCanonical(obj)) {
    encode(obj.toCanonical(), path, seen, out);
    return;
  }
  seen.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i += 1) {
      if (i > 0) out.push(',');
      const item: unknown = obj[i];
      encode(item === undefined ? null : item, `${path}[${i}]`, seen, out);
    }
    out.push(']');
  } else if (obj instanceof Map || obj instanceof Set) {
    throw new CanonicalEncodingError(path, `${obj.constructor.name} has no canonical form; convert it to a sorted array or a plain object`);
  } else {
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      encode(member, path ? `${path}.${key}` : key, seen, out);
    }
    out.push('}');
  }
  seen.delete(obj);
}

/** Returns the canonical JSON text of `value`; throws CanonicalEncodingError on values without one. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  encode(value, '', new Set(), out);
  return out.join('');
}

const encoder = new TextEncoder();

/** Returns the canonical UTF-8 bytes of `value`. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
