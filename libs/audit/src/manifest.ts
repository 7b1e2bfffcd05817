import { type Digest } from '@fleet/core';
import { GENESIS_HASH } from './record';

/** The format tag of a manifest this library writes and reads. */
export const MANIFEST_FORMAT = 'fleet.audit.trail/v1';

/** The manifest file name inside a trail directory. */
export const MANIFEST_FILE = 'manifest.json';

/** The last offset of one topic partition. */
export interface PartitionOffsetMark {
  readonly topic: string;
  readonly partition: number;
  /** The offset as a decimal string. */
  readonly offset: string;
}

/** The seal of one closed segment, as the manifest lists it. */
export interface SegmentSeal {
  /** Index of the segment in the trail, from 0. */
  readonly index: number;
  /** The segment's file name inside the trail directory. */
  readonly file: string;
  /** Trail sequence of the segment's first record. */
  readonly firstSeq: number;
  /** Trail sequence of the segment's last record. */
  readonly lastSeq: number;
  /** Number of records (lines) in the segment. */
  readonly recordCount: number;
  /** The chain head before the segment (the previous segment's lastHash, or the genesis hash). */
  readonly previousHash: Digest;
  /** Hash of the segment's first record. */
  readonly firstHash: Digest;
  /** Hash of the segment's last record: the chain head the segment seals. */
  readonly lastHash: Digest;
  /** Size of the segment file in bytes. */
  readonly bytes: number;
  /** SHA-256 of the segment file's bytes. */
  readonly sha256: Digest;
  /** First offset included per topic partition, sorted by topic then partition. */
  readonly fromOffsets: readonly PartitionOffsetMark[];
  /** Last offset included per topic partition, sorted by topic then partition. */
  readonly toOffsets: readonly PartitionOffsetMark[];
}

/** The trail manifest: the sealed segments and the chain head they end at. */
export interface TrailManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The chain head before the first record. */
  readonly genesisHash: Digest;
  /** Sealed segments, in index order. */
  readonly segments: readonly SegmentSeal[];
  /** Trail sequence and hash of the last sealed record (seq 0 and the genesis hash when empty). */
  readonly head: { readonly seq: number; readonly hash: Digest };
  /** Last sealed offset per topic partition, cumulative over every segment; the writer resumes after these. */
  readonly sealedOffsets: readonly PartitionOffsetMark[];
}

/** Returns the manifest of a trail without sealed segments. */
export function emptyManifest(): TrailManifest {
  return { format: MANIFEST_FORMAT, genesisHash: GENESIS_HASH, segments: [], head: { seq: 0, hash: GENESIS_HASH }, sealedOffsets: [] };
}

/** Returns the file name of segment `index`: `segment-000042.jsonl`. */
export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(6, '0')}.jsonl`;
}

/** Returns the file name the open (unsealed) segment `index` is written under: `segment-000042.open.jsonl`. */
export function openSegmentFileName(index: number): string {
  return `segment-${String(index).padStart(6, '0')}.open.jsonl`;
}

/** Returns `marks` sorted by topic, then partition. */
export function sortOffsetMarks(marks: Iterable<PartitionOffsetMark>): PartitionOffsetMark[] {
  return [...marks].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** Returns the manifest after sealing `seal` on top of `manifest`. */
export function appendSeal(manifest: TrailManifest, seal: SegmentSeal): TrailManifest {
  const sealed = new Map(manifest.sealedOffsets.map((m) => [`${m.topic}/${m.partition}`, m]));
  for (const mark of seal.toOffsets) sealed.set(`${mark.topic}/${mark.partition}`, mark);
  return {
    ...manifest,
    segments: [...manifest.segments, seal],
    head: { seq: seal.lastSeq, hash: seal.lastHash },
    sealedOffsets: sortOffsetMarks(sealed.values()),
  };
}

/** Returns a problem with the shape of a parsed manifest, or undefined when it is one this library reads. */
export function manifestShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the manifest is not a JSON object';
  const m = value as Partial<TrailManifest>;
  if (m.format !== MANIFEST_FORMAT) return `the manifest format is ${JSON.stringify(m.format)}, expected ${JSON.stringify(MANIFEST_FORMAT)}`;
  if (typeof m.genesisHash !== 'string') return 'the manifest has no genesisHash';
  if (!Array.isArray(m.segments)) return 'the manifest has no segments array';
  if (typeof m.head !== 'object' || m.head === null || typeof m.head.seq !== 'number' || typeof m.head.hash !== 'string') return 'the manifest has no head {seq, hash}';
  if (!Array.isArray(m.sealedOffsets)) return 'the manifest has no sealedOffsets array';
  return undefined;
}
