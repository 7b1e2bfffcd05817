import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { canonicalBytes } from './canonical-json';

/** A lower-case hexadecimal SHA-256 digest (64 characters). */
export type Digest = string;

const encoder = new TextEncoder();

/** Returns the SHA-256 of raw bytes or a UTF-8 string, as lower-case hex. */
export function sha256Hex(data: Uint8Array | string): Digest {
  return bytesToHex(sha256(typeof data === 'string' ? encoder.encode(data) : data));
}

/** Returns the SHA-256 of the canonical encoding of `value`. */
export function digestOf(value: unknown): Digest {
  return sha256Hex(canonicalBytes(value));
}

/**
 * Returns an identifier derived from its inputs: the SHA-256 of the canonical encoding of
 * `[kind, ...parts]`, cut to `length` hex characters (at most 64). The same inputs always
 * give the same id; nothing random or time-based goes in.
 */
export function deriveId(kind: string, parts: readonly unknown[], length = 64): string {
  if (!Number.isInteger(length) || length < 8 || length > 64) {
    throw new RangeError(`deriveId length must be an integer from 8 to 64, received ${length}`);
  }
  return digestOf([kind, ...parts]).slice(0, length);
}

/** Returns the SHA-256 that chains `previous` (a digest) with `payload` bytes: H(previous || payload). */
export function chainDigest(previous: Digest, payload: Uint8Array): Digest {
  const prev = encoder.encode(previous);
  const joined = new Uint8Array(prev.length + payload.length);
  joined.set(prev, 0);
  joined.set(payload, prev.length);
  return sha256Hex(joined);
}
