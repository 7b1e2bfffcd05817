import { type Digest } from '@fleet/core';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { type PartitionOffsetMark, type SegmentSeal, type TrailManifest, segmentFileName, sortOffsetMarks } from './manifest';
import { chainRecord, compareOffsets, partitionKey, recordLine, type TrailRecord, type TrailSource } from './record';

/** When the open segment is sealed and a new one begun. */
export interface RotationPolicy {
  /** Seal once the segment holds this many records. */
  readonly maxRecords: number;
  /** Seal once the segment holds at least this many bytes. */
  readonly maxBytes: number;
}

/** What appending one source gave. */
export type AppendOutcome =
  | { readonly appended: true; readonly record: TrailRecord; readonly line: Uint8Array; readonly rotate: boolean }
  /** The source's offset is at or below one already in the trail (a re-delivery): skipped, idempotently. */
  | { readonly appended: false; readonly reason: 'already-in-trail'; readonly lastOffset: string };

const encoder = new TextEncoder();

/**
 * The chain and the open segment, without I/O: appends sources as chained records, tracks the
 * segment's digest, size and offsets, says when to rotate, and returns the seal. The store
 * writes the lines it returns and persists the seals; given the same sources in the same order
 * it gives the same bytes.
 */
export class SegmentBuilder {
  private head: { seq: number; hash: Digest };
  /** Last offset in the trail per partition, sealed or not. */
  private readonly written = new Map<string, PartitionOffsetMark>();
  private index: number;
  private open: OpenSegment;

  /** Returns a builder that continues the trail `manifest` describes. */
  constructor(
    manifest: TrailManifest,
    private readonly policy: RotationPolicy,
  ) {
    this.head = { ...manifest.head };
    for (const mark of manifest.sealedOffsets) this.written.set(partitionKey(mark.topic, mark.partition), mark);
    this.index = manifest.segments.length;
    this.open = new OpenSegment(this.head.hash);
  }

  /** The index of the open segment. */
  get segmentIndex(): number {
    return this.index;
  }

  /** Trail sequence and hash of the last appended record. */
  get chainHead(): { readonly seq: number; readonly hash: Digest } {
    return this.head;
  }

  /** Number of records in the open segment. */
  get openRecords(): number {
    return this.open.count;
  }

  /** Returns the last offset in the trail of a partition, or undefined. */
  lastOffset(topic: string, partition: number): string | undefined {
    return this.written.get(partitionKey(topic, partition))?.offset;
  }

  /** Appends `source` as the next record, or skips it when its offset is already in the trail. */
  append(source: TrailSource): AppendOutcome {
    const key = partitionKey(source.topic, source.partition);
    const last = this.written.get(key);
    if (last && compareOffsets(source.offset, last.offset) <= 0) return { appended: false, reason: 'already-in-trail', lastOffset: last.offset };
    const record = chainRecord(source, this.head.seq + 1, this.head.hash);
    const line = encoder.encode(recordLine(record));
    this.open.add(record, line);
    this.head = { seq: record.seq, hash: record.hash };
    this.written.set(key, { topic: source.topic, partition: source.partition, offset: source.offset });
    const rotate = this.open.count >= this.policy.maxRecords || this.open.bytes >= this.policy.maxBytes;
    return { appended: true, record, line, rotate };
  }

  /** Returns the seal of the open segment and begins the next one; undefined when the open segment is empty. */
  seal(): SegmentSeal | undefined {
    if (this.open.count === 0) return undefined;
    const seal = this.open.seal(this.index);
    this.index += 1;
    this.open = new OpenSegment(this.head.hash);
    return seal;
  }
}

class OpenSegment {
  count = 0;
  bytes = 0;
  private firstSeq = 0;
  private firstHash = '';
  private lastHash = '';
  private readonly hasher = sha256.create();
  private readonly from = new Map<string, PartitionOffsetMark>();
  private readonly to = new Map<string, PartitionOffsetMark>();

  constructor(private readonly previousHash: Digest) {}

  add(record: TrailRecord, line: Uint8Array): void {
    if (this.count === 0) {
      this.firstSeq = record.seq;
      this.firstHash = record.hash;
    }
    this.count += 1;
    this.bytes += line.length;
    this.lastHash = record.hash;
    this.hasher.update(line);
    const key = partitionKey(record.topic, record.partition);
    const mark = { topic: record.topic, partition: record.partition, offset: record.offset };
    if (!this.from.has(key)) this.from.set(key, mark);
    this.to.set(key, mark);
  }

  seal(index: number): SegmentSeal {
    return {
      index,
      file: segmentFileName(index),
      firstSeq: this.firstSeq,
      lastSeq: this.firstSeq + this.count - 1,
      recordCount: this.count,
      previousHash: this.previousHash,
      firstHash: this.firstHash,
      lastHash: this.lastHash,
      bytes: this.bytes,
      sha256: bytesToHex(this.hasher.digest()),
      fromOffsets: sortOffsetMarks(this.from.values()),
      toOffsets: sortOffsetMarks(this.to.values()),
    };
  }
}
