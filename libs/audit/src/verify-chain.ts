import { canonicalJson, sha256Hex } from '@fleet/core';
import { type SegmentSeal, type TrailManifest, manifestShapeProblem, sortOffsetMarks } from './manifest';
import { compareOffsets, eventIdOf, partitionKey, recordHash, type TrailRecord } from './record';
import { type TrailFailure, type LocatedRecord } from './verify-types';

/** A trail as read from its directory: the parsed manifest and the bytes of each segment file by name. */
export interface TrailFiles {
  /** The parsed manifest.json (unknown until checked). */
  readonly manifest: unknown;
  /** Segment file bytes by file name; a listed file that is absent is a failure. */
  readonly segments: ReadonlyMap<string, Uint8Array>;
}

/** The outcome of the structural pass: the records in trail order, or the first broken link. */
export type ChainOutcome = { readonly ok: true; readonly manifest: TrailManifest; readonly records: readonly LocatedRecord[] } | { readonly ok: false; readonly failure: TrailFailure };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Returns every record of the sealed segments in trail order, or the first broken link: a
 * malformed manifest, a missing segment, a line that is not a canonical record, a trail
 * sequence gap or reordering, a prevHash that does not match the previous hash, a hash that
 * does not match the record, an offset that does not increase within its partition, an
 * eventId that is not the envelope's, a segment whose seal (counts, hashes, offsets, size,
 * SHA-256) does not match its bytes, or a manifest head that is not the chain's end.
 */
export function verifyChain(files: TrailFiles): ChainOutcome {
  const shape = manifestShapeProblem(files.manifest);
  if (shape) return fail({ check: 'manifest', reason: shape });
  const manifest = files.manifest as TrailManifest;
  const records: LocatedRecord[] = [];
  let head = { seq: 0, hash: manifest.genesisHash };
  const lastOffsets = new Map<string, string>();
  for (let i = 0; i < manifest.segments.length; i += 1) {
    const seal = manifest.segments[i];
    if (seal.index !== i) return fail({ check: 'manifest', segment: seal.file, reason: `segment listed at position ${i} has index ${seal.index}` });
    const bytes = files.segments.get(seal.file);
    if (!bytes) return fail({ check: 'segment-missing', segment: seal.file, reason: `segment file ${seal.file} listed in the manifest is missing` });
    if (seal.previousHash !== head.hash) {
      return fail({ check: 'chain', segment: seal.file, seq: head.seq + 1, reason: `segment seal says the chain head before it is ${seal.previousHash}, the previous segment ends at ${head.hash}` });
    }
    const segmentRecords = readSegment(seal, bytes, head, lastOffsets);
    if (!segmentRecords.ok) return segmentRecords;
    records.push(...segmentRecords.records);
    const sealProblem = checkSeal(seal, bytes, segmentRecords.records);
    if (sealProblem) return fail({ check: 'segment-seal', segment: seal.file, reason: sealProblem });
    head = { seq: seal.lastSeq, hash: seal.lastHash };
  }
  if (manifest.head.seq !== head.seq || manifest.head.hash !== head.hash) {
    return fail({ check: 'manifest', reason: `manifest head is seq ${manifest.head.seq} hash ${manifest.head.hash}, the chain ends at seq ${head.seq} hash ${head.hash}` });
  }
  return { ok: true, manifest, records };
}

function fail(failure: TrailFailure): { readonly ok: false; readonly failure: TrailFailure } {
  return { ok: false, failure };
}

type SegmentRead = { readonly ok: true; readonly records: LocatedRecord[] } | { readonly ok: false; readonly failure: TrailFailure };

function readSegment(seal: SegmentSeal, bytes: Uint8Array, start: { seq: number; hash: string }, lastOffsets: Map<string, string>): SegmentRead {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail({ check: 'record-format', segment: seal.file, reason: 'the segment is not valid UTF-8' });
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') {
    return fail({ check: 'record-format', segment: seal.file, line: lines.length, reason: 'the last line has no terminating newline (torn write or appended bytes)' });
  }
  lines.pop();
  const out: LocatedRecord[] = [];
  let head = start;
  for (let i = 0; i < lines.length; i += 1) {
    const where = { segment: seal.file, line: i + 1 };
    const parsed = parseRecord(lines[i]);
    if (typeof parsed === 'string') return fail({ check: 'record-format', ...where, reason: parsed });
    const record = parsed;
    const at = { ...where, seq: record.seq };
    if (record.seq !== head.seq + 1) {
      return fail({ check: 'trail-sequence', ...at, reason: `expected trail seq ${head.seq + 1} after ${head.seq}, found ${record.seq}` });
    }
    if (record.prevHash !== head.hash) {
      return fail({ check: 'chain', ...at, reason: `prevHash ${record.prevHash} is not the previous record's hash ${head.hash}` });
    }
    const { hash, ...body } = record;
    const expected = recordHash(body);
    if (hash !== expected) return fail({ check: 'chain', ...at, reason: `hash ${hash} does not match the record's content (recomputed ${expected})` });
    if (record.eventId !== eventIdOf(record.value)) {
      return fail({ check: 'record-format', ...at, reason: `eventId ${String(record.eventId)} is not the value's envelope eventId ${String(eventIdOf(record.value))}` });
    }
    const key = partitionKey(record.topic, record.partition);
    const previous = lastOffsets.get(key);
    if (previous !== undefined && compareOffsets(record.offset, previous) <= 0) {
      return fail({ check: 'offset-order', ...at, reason: `offset ${record.offset} of ${key} does not follow offset ${previous} already in the trail (duplicate or reordered event)` });
    }
    lastOffsets.set(key, record.offset);
    out.push({ record, segment: seal.file, line: i + 1 });
    head = { seq: record.seq, hash: record.hash };
  }
  return { ok: true, records: out };
}

function parseRecord(line: string): TrailRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `the line is not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the line is not a JSON object';
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isSafeInteger(r.seq)) problems.push('seq is not an integer');
  if (typeof r.topic !== 'string') problems.push('topic is not a string');
  if (!Number.isSafeInteger(r.partition)) problems.push('partition is not an integer');
  if (typeof r.offset !== 'string' || !/^(0|[1-9][0-9]*)$/.test(r.offset)) problems.push('offset is not a decimal string');
  if (r.key !== null && typeof r.key !== 'string') problems.push('key is neither a string nor null');
  if (r.eventId !== null && typeof r.eventId !== 'string') problems.push('eventId is neither a string nor null');
  if (typeof r.valueType !== 'string') problems.push('valueType is not a string');
  if (typeof r.timestampMs !== 'number') problems.push('timestampMs is not a number');
  if (!('value' in r)) problems.push('value is missing');
  if (typeof r.prevHash !== 'string') problems.push('prevHash is not a string');
  if (typeof r.hash !== 'string') problems.push('hash is not a string');
  if (problems.length > 0) return `the line is not a trail record: ${problems.join('; ')}`;
  if (canonicalJson(value) !== line) return 'the line is not in canonical form (key order, spacing or number form changed)';
  return value as unknown as TrailRecord;
}

function checkSeal(seal: SegmentSeal, bytes: Uint8Array, records: readonly LocatedRecord[]): string | undefined {
  const digest = sha256Hex(bytes);
  if (digest !== seal.sha256) return `file SHA-256 ${digest} does not match the sealed ${seal.sha256}`;
  if (bytes.length !== seal.bytes) return `file is ${bytes.length} bytes, sealed at ${seal.bytes}`;
  if (records.length !== seal.recordCount) return `segment holds ${records.length} records, sealed with ${seal.recordCount}`;
  if (records.length === 0) return 'a sealed segment holds no records';
  const first = records[0].record;
  const last = records[records.length - 1].record;
  if (first.seq !== seal.firstSeq || last.seq !== seal.lastSeq) return `segment spans seq ${first.seq}..${last.seq}, sealed as ${seal.firstSeq}..${seal.lastSeq}`;
  if (first.hash !== seal.firstHash || last.hash !== seal.lastHash) return 'first or last record hash does not match the seal';
  const to = new Map<string, { topic: string; partition: number; offset: string }>();
  for (const { record } of records) to.set(partitionKey(record.topic, record.partition), { topic: record.topic, partition: record.partition, offset: record.offset });
  if (canonicalJson(sortOffsetMarks(to.values())) !== canonicalJson(seal.toOffsets)) return 'last offsets per partition do not match the seal';
  return undefined;
}
