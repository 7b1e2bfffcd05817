import { canonicalJson, digestOf } from '@fleet/core';

/** The next offset to read for one topic-partition the snapshot covers. */
export interface SnapshotOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume after the snapshot (decimal string). */
  readonly offset: string;
}

/** A service's hot state at a point of the log. */
export interface Snapshot<T> {
  /** The schema version of `payload`; a reader with another version rebuilds. */
  readonly version: number;
  /** Where the log continues after this snapshot, per topic-partition. */
  readonly offsets: readonly SnapshotOffset[];
  /** The state itself; canonical-JSON encodable (no floats that are NaN/Infinity, no cycles). */
  readonly payload: T;
}

/** A snapshot as stored: its identity, its content and the digest of both. */
export interface StoredSnapshot<T> extends Snapshot<T> {
  readonly service: string;
  readonly name: string;
  /** SHA-256 of the canonical JSON of { service, name, version, offsets, payload }. */
  readonly digest: string;
}

/** Why a snapshot cannot be used; in every case the service rebuilds from the log. */
export type RebuildReason = 'absent' | 'malformed' | 'digest-mismatch' | 'version-mismatch' | 'identity-mismatch';

/** The outcome of loading a snapshot. */
export type LoadResult<T> =
  | { readonly kind: 'loaded'; readonly snapshot: StoredSnapshot<T> }
  | { readonly kind: 'rebuild'; readonly reason: RebuildReason; readonly detail: string };

function offsetsInOrder(offsets: readonly SnapshotOffset[]): SnapshotOffset[] {
  return [...offsets]
    .map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** Returns the canonical JSON text stored for `snapshot` of `service`/`name`, digest included. */
export function encodeSnapshot<T>(service: string, name: string, snapshot: Snapshot<T>): string {
  if (!Number.isInteger(snapshot.version) || snapshot.version < 0) {
    throw new RangeError(`snapshot version must be a non-negative integer, received ${snapshot.version}`);
  }
  for (const o of snapshot.offsets) {
    if (!/^\d+$/.test(o.offset)) throw new RangeError(`snapshot offset of ${o.topic}/${o.partition} must be a decimal string, received ${o.offset}`);
  }
  const body = { service, name, version: snapshot.version, offsets: offsetsInOrder(snapshot.offsets), payload: snapshot.payload };
  return canonicalJson({ ...body, digest: digestOf(body) });
}

/**
 * Returns the snapshot in `text` when its digest, identity and version check out; otherwise
 * the reason to rebuild from the log. Never throws: absent (null) text is a reason too.
 */
export function decodeSnapshot<T>(text: string | null, service: string, name: string, expectedVersion: number): LoadResult<T> {
  if (text === null) return { kind: 'rebuild', reason: 'absent', detail: `no snapshot ${name} for service ${service}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { kind: 'rebuild', reason: 'malformed', detail: `snapshot ${name} is not JSON: ${String(e)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'rebuild', reason: 'malformed', detail: `snapshot ${name} is not an object` };
  }
  const s = parsed as Partial<StoredSnapshot<T>>;
  if (typeof s.digest !== 'string' || typeof s.version !== 'number' || !Array.isArray(s.offsets) || !('payload' in s)) {
    return { kind: 'rebuild', reason: 'malformed', detail: `snapshot ${name} lacks digest, version, offsets or payload` };
  }
  const body = { service: s.service, name: s.name, version: s.version, offsets: s.offsets, payload: s.payload };
  let digest: string;
  try {
    digest = digestOf(body);
  } catch (e) {
    return { kind: 'rebuild', reason: 'malformed', detail: `snapshot ${name} cannot be encoded canonically: ${String(e)}` };
  }
  if (digest !== s.digest) {
    return { kind: 'rebuild', reason: 'digest-mismatch', detail: `snapshot ${name} digest ${s.digest} does not match its content (${digest})` };
  }
  if (s.service !== service || s.name !== name) {
    return { kind: 'rebuild', reason: 'identity-mismatch', detail: `snapshot under ${service}/${name} belongs to ${String(s.service)}/${String(s.name)}` };
  }
  if (s.version !== expectedVersion) {
    return { kind: 'rebuild', reason: 'version-mismatch', detail: `snapshot ${name} has version ${s.version}, this reader expects ${expectedVersion}` };
  }
  return { kind: 'loaded', snapshot: s as StoredSnapshot<T> };
}
