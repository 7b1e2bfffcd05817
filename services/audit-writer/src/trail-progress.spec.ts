import { auditTesting, emptyManifest, GENESIS_HASH } from '@fleet/audit';
import { Topics } from '@fleet/contracts';
import { PartitionPositions, PROGRESS_FORMAT, coveredOffsets, progressAt, progressProblem, resumePlan } from './trail-progress';

const trail = auditTesting.buildTrail(auditTesting.sourcesOf(auditTesting.flowEvents({ instrument: 'ETH-PERP', orders: 2 })), { maxRecords: 4, maxBytes: 1 << 20 });
const manifest = trail.manifest;
const second = manifest.segments[1];

describe('progressProblem', () => {
  it('trusts a progress file written at a seal of this trail, or at its start', () => {
    expect(progressProblem(progressAt(manifest, [], manifest.segments.length), manifest)).toBeUndefined();
    expect(progressProblem({ format: PROGRESS_FORMAT, head: { seq: second.lastSeq, hash: second.lastHash }, covered: [{ topic: 'a', partition: 0, offset: '9' }], checkpointed: 2 }, manifest)).toBeUndefined();
    expect(progressProblem(progressAt(emptyManifest(), [], 0), manifest)).toBeUndefined();
  });

  it('names what is wrong with a file of another trail or a broken one', () => {
    expect(progressProblem({ format: PROGRESS_FORMAT, head: { seq: second.lastSeq, hash: GENESIS_HASH }, covered: [], checkpointed: 0 }, manifest)).toBe(`the progress head (seq ${second.lastSeq}) is not a seal of this trail`);
    expect(progressProblem({ format: PROGRESS_FORMAT, head: { seq: second.lastSeq, hash: second.lastHash }, covered: [], checkpointed: 3 }, manifest)).toBe('the progress file counts 3 checkpoints at a head with 2 sealed segments');
    expect(progressProblem({ format: 'v0' }, manifest)).toBe('the progress format is "v0", expected "fleet.audit.progress/v1"');
    expect(progressProblem({ format: PROGRESS_FORMAT, head: manifest.head, covered: [{ topic: 'a', partition: 0, offset: '-1' }], checkpointed: 0 }, manifest)).toBe('the progress file has no covered offsets');
    expect(progressProblem([], manifest)).toBe('the progress format is undefined, expected "fleet.audit.progress/v1"');
  });
});

describe('coveredOffsets and resumePlan', () => {
  const budget = manifest.sealedOffsets.find((m) => m.topic === Topics.budgetDelta.name)!;

  it('covers the sealed events, raised past the tick marks a progress file records', () => {
    const progress = progressAt(manifest, [{ topic: Topics.budgetDelta.name, partition: 0, offset: String(Number(budget.offset) + 3) }, { topic: Topics.mdBook.name, partition: 4, offset: '17' }], 0);
    const covered = coveredOffsets(manifest, progress);
    expect(covered.get(`${Topics.budgetDelta.name}/0`)?.offset).toBe(String(Number(budget.offset) + 3));
    expect(covered.get(`${Topics.mdBook.name}/4`)?.offset).toBe('17');
    expect(covered.get(`${Topics.orderEvent.name}/0`)?.offset).toBe(manifest.sealedOffsets.find((m) => m.topic === Topics.orderEvent.name)!.offset);
    // A progress file behind the manifest never lowers what is sealed.
    expect(coveredOffsets(manifest, progressAt(emptyManifest(), [{ topic: Topics.budgetDelta.name, partition: 0, offset: '0' }], 0)).get(`${Topics.budgetDelta.name}/0`)?.offset).toBe(budget.offset);
  });

  it('resumes after the covered offset, else at the start of the log', () => {
    const covered = coveredOffsets(manifest, undefined);
    const plan = resumePlan(
      [
        { topic: Topics.budgetDelta.name, partition: 0, low: '0', high: '100' },
        { topic: Topics.mdBook.name, partition: 1, low: '5', high: '9' },
      ],
      covered,
    );
    expect(plan).toEqual({
      seeks: [
        { topic: Topics.budgetDelta.name, partition: 0, offset: String(Number(budget.offset) + 1) },
        { topic: Topics.mdBook.name, partition: 1, offset: '5' },
      ],
      problems: [],
    });
  });

  it('refuses a log that ends before the trail or starts after it', () => {
    const covered = coveredOffsets(manifest, undefined);
    const next = Number(budget.offset) + 1;
    const plan = resumePlan(
      [
        { topic: Topics.budgetDelta.name, partition: 0, low: '0', high: String(next - 1) },
        { topic: Topics.orderEvent.name, partition: 0, low: '50', high: '60' },
      ],
      covered,
    );
    const orderEvent = manifest.sealedOffsets.find((m) => m.topic === Topics.orderEvent.name)!;
    expect(plan.problems).toEqual([
      `${Topics.budgetDelta.name}/0: the trail covers offset ${budget.offset} but the log ends before offset ${next - 1}; the topic was recreated or truncated`,
      `${Topics.orderEvent.name}/0: the trail resumes at offset ${Number(orderEvent.offset) + 1} but the log starts at 50; records were deleted before they were chained`,
    ]);
  });
});

describe('PartitionPositions', () => {
  it('advances only forward and sums the lag over partitions', () => {
    const positions = new PartitionPositions(
      [
        { topic: 'a', partition: 0, offset: '10' },
        { topic: 'b', partition: 1, offset: '0' },
      ],
      [
        { topic: 'a', partition: 0, low: '0', high: '15' },
        { topic: 'b', partition: 1, low: '0', high: '3' },
      ],
    );
    expect(positions.lag()).toBe(5 + 3);
    expect(positions.advance('a', 0, '9')).toBe(false);
    expect(positions.advance('a', 0, '12')).toBe(true);
    expect(positions.advance('b', 1, '0')).toBe(true);
    positions.setHigh('b', 1, '4');
    expect(positions.lag()).toBe(2 + 3);
    expect(positions.snapshot()).toEqual([
      { topic: 'a', partition: 0, offset: '12' },
      { topic: 'b', partition: 1, offset: '0' },
    ]);
  });
});
