import { GENESIS_HASH, type PartitionOffsetMark, type TrailManifest, compareOffsets, nextOffset, partitionKey, sortOffsetMarks } from '@fleet/audit';

/**
 * The writer's progress beyond the manifest. The manifest's sealedOffsets name the last sealed
 * *event* per partition; the topics also carry records that are not chained (tick marks, and
 * transaction markers the client filters out), and a partition may hold nothing else. The
 * progress file records, as of a seal, the last offset per partition *covered*: every record
 * at or below it is in a sealed segment or is not an event. Resuming after the covered offsets
 * reads no mark twice and leaves no event out.
 */

/** The progress file name inside the trail directory. */
export const PROGRESS_FILE = 'progress.json';

/** The format tag of a progress file. */
export const PROGRESS_FORMAT = 'fleet.audit.progress/v1';

/** The content of the progress file. */
export interface TrailProgress {
  readonly format: typeof PROGRESS_FORMAT;
  /** The manifest head the progress was written at; ties the file to this trail. */
  readonly head: { readonly seq: number; readonly hash: string };
  /** Last covered offset per topic partition at that head, sorted by topic then partition. */
  readonly covered: readonly PartitionOffsetMark[];
  /** Sealed segments 0 … checkpointed − 1 have their audit.checkpoint published. */
  readonly checkpointed: number;
}

/** One partition's offsets on the broker. */
export interface PartitionWatermark {
  readonly topic: string;
  readonly partition: number;
  /** The first offset still in the log. */
  readonly low: string;
  /** The offset the next record will get. */
  readonly high: string;
}

/** Where each partition resumes, or why the trail cannot resume on this log. */
export interface ResumePlan {
  /** The offset to consume next, per partition, sorted by topic then partition. */
  readonly seeks: readonly PartitionOffsetMark[];
  /** One sentence per partition where the log and the trail disagree; empty when the plan is safe. */
  readonly problems: readonly string[];
}

const isMark = (m: unknown): m is PartitionOffsetMark =>
  typeof m === 'object' && m !== null && typeof (m as PartitionOffsetMark).topic === 'string' && Number.isInteger((m as PartitionOffsetMark).partition) && /^(0|[1-9]\d*)$/.test(String((m as PartitionOffsetMark).offset));

/**
 * Returns why `value` is not a progress file of the trail `manifest` describes, or undefined
 * when it is: the shape, and a head that is one of the trail's seal points (the genesis or a
 * segment's last record), so a file left from another trail is never trusted.
 */
export function progressProblem(value: unknown, manifest: TrailManifest): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the progress file is not a JSON object';
  const p = value as Partial<TrailProgress>;
  if (p.format !== PROGRESS_FORMAT) return `the progress format is ${JSON.stringify(p.format)}, expected ${JSON.stringify(PROGRESS_FORMAT)}`;
  if (typeof p.head !== 'object' || p.head === null || !Number.isInteger(p.head.seq) || typeof p.head.hash !== 'string') return 'the progress file has no head {seq, hash}';
  if (!Array.isArray(p.covered) || !p.covered.every(isMark)) return 'the progress file has no covered offsets';
  if (!Number.isInteger(p.checkpointed) || (p.checkpointed ?? -1) < 0) return 'the progress file has no checkpointed count';
  const head = p.head;
  const sealedAt = head.seq === 0 && head.hash === GENESIS_HASH ? 0 : manifest.segments.findIndex((s) => s.lastSeq === head.seq && s.lastHash === head.hash) + 1;
  if (sealedAt === 0 && head.seq !== 0) return `the progress head (seq ${head.seq}) is not a seal of this trail`;
  if ((p.checkpointed ?? 0) > sealedAt) return `the progress file counts ${p.checkpointed} checkpoints at a head with ${sealedAt} sealed segments`;
  return undefined;
}

/** Returns the last covered offset per partition: the sealed events of the manifest, raised by a trusted progress file. */
export function coveredOffsets(manifest: TrailManifest, progress: TrailProgress | undefined): Map<string, PartitionOffsetMark> {
  const covered = new Map<string, PartitionOffsetMark>();
  for (const mark of [...manifest.sealedOffsets, ...(progress?.covered ?? [])]) {
    const key = partitionKey(mark.topic, mark.partition);
    const known = covered.get(key);
    if (!known || compareOffsets(mark.offset, known.offset) > 0) covered.set(key, { topic: mark.topic, partition: mark.partition, offset: mark.offset });
  }
  return covered;
}

/**
 * Returns where each partition of `watermarks` resumes: after its covered offset, else at the
 * start of its log. A covered offset at or past the end of the log (the topic was recreated or
 * truncated) or a log that starts after the resume point (records deleted before they were
 * chained) is a problem: resuming would leave a gap or skip new records silently.
 */
export function resumePlan(watermarks: readonly PartitionWatermark[], covered: ReadonlyMap<string, PartitionOffsetMark>): ResumePlan {
  const seeks: PartitionOffsetMark[] = [];
  const problems: string[] = [];
  for (const w of watermarks) {
    const at = covered.get(partitionKey(w.topic, w.partition));
    const next = at ? nextOffset(at.offset) : w.low;
    if (at && compareOffsets(next, w.high) > 0) {
      problems.push(`${w.topic}/${w.partition}: the trail covers offset ${at.offset} but the log ends before offset ${w.high}; the topic was recreated or truncated`);
    } else if (compareOffsets(next, w.low) < 0) {
      problems.push(`${w.topic}/${w.partition}: the trail resumes at offset ${next} but the log starts at ${w.low}; records were deleted before they were chained`);
    }
    seeks.push({ topic: w.topic, partition: w.partition, offset: next });
  }
  return { seeks: sortOffsetMarks(seeks), problems };
}

/** Returns the progress to write after a seal: the manifest head, the covered offsets, the checkpoints published. */
export function progressAt(manifest: TrailManifest, covered: Iterable<PartitionOffsetMark>, checkpointed: number): TrailProgress {
  return { format: PROGRESS_FORMAT, head: { seq: manifest.head.seq, hash: manifest.head.hash }, covered: sortOffsetMarks(covered), checkpointed };
}

/**
 * Per-partition positions of the writer: the last offset processed (chained, skipped as already
 * in the trail, or skipped as a mark) and the high watermark last seen, for the lag.
 */
export class PartitionPositions {
  private readonly processed = new Map<string, PartitionOffsetMark>();
  private readonly highs = new Map<string, string>();

  /** Starts every partition of `plan` just before its resume offset. */
  constructor(plan: readonly PartitionOffsetMark[], watermarks: readonly PartitionWatermark[]) {
    for (const s of plan) if (BigInt(s.offset) > 0n) this.processed.set(partitionKey(s.topic, s.partition), { ...s, offset: (BigInt(s.offset) - 1n).toString() });
    for (const w of watermarks) this.highs.set(partitionKey(w.topic, w.partition), w.high);
  }

  /** Records that `offset` of a partition was processed; returns false when it was already (a re-delivery). */
  advance(topic: string, partition: number, offset: string): boolean {
    const key = partitionKey(topic, partition);
    const known = this.processed.get(key);
    if (known && compareOffsets(offset, known.offset) <= 0) return false;
    this.processed.set(key, { topic, partition, offset });
    return true;
  }

  /** Records the high watermark a fetch reported for a partition. */
  setHigh(topic: string, partition: number, high: string): void {
    this.highs.set(partitionKey(topic, partition), high);
  }

  /** Returns the last processed offset per partition, sorted by topic then partition. */
  snapshot(): PartitionOffsetMark[] {
    return sortOffsetMarks(this.processed.values());
  }

  /** Returns the records behind: high watermark − (last processed + 1), summed over partitions. */
  lag(): number {
    return this.partitionLags().reduce((sum, p) => sum + p.lag, 0);
  }

  /** Returns the records behind per partition (the consumer_lag gauge), in the order the watermarks were learnt. */
  partitionLags(): { readonly topic: string; readonly partition: number; readonly lag: number }[] {
    return [...this.highs].map(([key, high]) => {
      const done = this.processed.get(key);
      const next = done ? BigInt(done.offset) + 1n : 0n;
      const slash = key.lastIndexOf('/');
      return { topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)), lag: BigInt(high) > next ? Number(BigInt(high) - next) : 0 };
    });
  }
}
