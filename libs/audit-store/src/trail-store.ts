import { type FileHandle, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AppendOutcome,
  type RotationPolicy,
  type SegmentSeal,
  type TrailManifest,
  type TrailSource,
  SegmentBuilder,
  appendSeal,
  emptyManifest,
  openSegmentFileName,
  segmentFileName,
} from '@fleet/audit';
import { MANIFEST_TEMP_PREFIX, TrailStoreError, fsyncDir, listTrailDir, readManifest, removeTrailFile, writeManifestAtomically } from './trail-files';

/** What {@link TrailStore.open} found and discarded to get back to the last seal. */
export interface RecoveryReport {
  /** Sealed segments in the manifest. */
  readonly sealedSegments: number;
  /** The chain head the trail resumes from. */
  readonly head: { readonly seq: number; readonly hash: string };
  /** Files removed: unsealed segments, segments renamed but not yet in the manifest, temporary manifests. */
  readonly discarded: readonly string[];
}

const SEALED_SEGMENT = /^segment-(\d{6})\.jsonl$/;
const OPEN_SEGMENT = /^segment-\d{6}\.open\.jsonl$/;

/**
 * The trail on disk: sealed segments, the open segment and manifest.json in one directory.
 * Durability is per seal: a segment is fsynced, renamed from `.open.jsonl` to `.jsonl`, the
 * directory fsynced, then the manifest replaced atomically. Records after the last seal are
 * not trusted after a crash: {@link open} discards them and the writer reads them again from
 * Kafka, which keeps WAL topics forever, so the trail resumes with no gap and no duplicate.
 */
export class TrailStore {
  private handle: FileHandle | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private manifestValue: TrailManifest,
    private readonly builder: SegmentBuilder,
    readonly recovery: RecoveryReport,
  ) {}

  /** Opens (creating when absent) the trail in `dir`, discarding whatever follows the last seal. */
  static async open(dir: string, policy: RotationPolicy): Promise<TrailStore> {
    const files = await listTrailDir(dir);
    const manifest = (await readManifest(dir)) ?? emptyManifest();
    const discarded: string[] = [];
    for (const file of files) {
      const sealed = SEALED_SEGMENT.exec(file);
      const stale = file.startsWith(MANIFEST_TEMP_PREFIX) || OPEN_SEGMENT.test(file) || (sealed !== null && Number(sealed[1]) >= manifest.segments.length);
      if (stale) {
        await removeTrailFile(dir, file);
        discarded.push(file);
      }
    }
    if (discarded.length > 0) fsyncDir(dir);
    for (const seal of manifest.segments) {
      const size = await stat(join(dir, seal.file)).then(
        (s) => s.size,
        () => undefined,
      );
      if (size === undefined) throw new TrailStoreError(dir, `sealed segment ${seal.file} listed in the manifest is missing; refusing to continue the chain`);
      if (size !== seal.bytes) throw new TrailStoreError(dir, `sealed segment ${seal.file} is ${size} bytes, sealed at ${seal.bytes}; refusing to continue the chain`);
    }
    const builder = new SegmentBuilder(manifest, policy);
    return new TrailStore(dir, manifest, builder, { sealedSegments: manifest.segments.length, head: manifest.head, discarded });
  }

  /** The manifest as last written. */
  get manifest(): TrailManifest {
    return this.manifestValue;
  }

  /** Trail sequence and hash of the last appended record (sealed or not). */
  get chainHead(): { readonly seq: number; readonly hash: string } {
    return this.builder.chainHead;
  }

  /** Number of records in the open segment. */
  get openRecords(): number {
    return this.builder.openRecords;
  }

  /** Returns the last offset of a partition in the trail (sealed or not), or undefined. */
  lastOffset(topic: string, partition: number): string | undefined {
    return this.builder.lastOffset(topic, partition);
  }

  /** Appends `source` to the open segment (skipping an offset already in the trail) and seals when the rotation policy says so. */
  async append(source: TrailSource): Promise<AppendOutcome & { readonly sealed?: SegmentSeal }> {
    if (this.closed) throw new TrailStoreError(this.dir, 'the store is closed');
    const outcome = this.builder.append(source);
    if (!outcome.appended) return outcome;
    if (!this.handle) this.handle = await open(join(this.dir, openSegmentFileName(this.builder.segmentIndex)), 'w');
    await this.handle.write(outcome.line);
    if (!outcome.rotate) return outcome;
    const sealed = await this.seal();
    return { ...outcome, sealed };
  }

  /** Seals the open segment (fsync, rename, fsync dir, manifest atomically); returns its seal, or undefined when it is empty. */
  async seal(): Promise<SegmentSeal | undefined> {
    const index = this.builder.segmentIndex;
    const seal = this.builder.seal();
    if (!seal) return undefined;
    const handle = this.handle!;
    this.handle = undefined;
    await handle.sync();
    await handle.close();
    await rename(join(this.dir, openSegmentFileName(index)), join(this.dir, segmentFileName(index)));
    fsyncDir(this.dir);
    const next = appendSeal(this.manifestValue, seal);
    await writeManifestAtomically(this.dir, next);
    this.manifestValue = next;
    return seal;
  }

  /** Seals what is open and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.seal();
    this.closed = true;
  }

  /** Closes the open file without sealing, as a crash would leave it (for recovery tests and fatal errors). */
  async abandon(): Promise<void> {
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
