import { type TopicSpec } from '@fleet/contracts';
import { KafkaLayerError, TopicLeadersTimeoutError, TopicPartitionMismatchError } from './errors';
import { StubAdmin } from './testing/stub-client';
import { ensureTopics, newTopicOf, provisionTopics } from './topics';

const spec = (name: string, partitions: number): TopicSpec => ({
  name,
  key: 'instrument',
  valueType: 'test.T',
  partitions,
  retentionMs: 3_600_000,
  retentionBytes: -1,
  cleanupPolicy: 'compact,delete',
  description: `test topic ${name}`,
});

const fast = { pollIntervalMs: 1 };

describe('newTopicOf', () => {
  it('carries partitions, replication, retention and cleanup policy', () => {
    expect(newTopicOf(spec('a', 3), 1)).toEqual({
      topic: 'a',
      numPartitions: 3,
      replicationFactor: 1,
      configEntries: [
        { name: 'retention.ms', value: '3600000' },
        { name: 'retention.bytes', value: '-1' },
        { name: 'cleanup.policy', value: 'compact,delete' },
      ],
    });
    expect(newTopicOf(spec('a', 3)).replicationFactor).toBe(-1);
  });
});

describe('provisionTopics', () => {
  it('creates the missing topics in one request and reports the existing ones', async () => {
    const admin = new StubAdmin({ b: 6 });
    const report = await provisionTopics(admin, [spec('a', 2), spec('b', 6), spec('c', 1)], { ...fast, replicationFactor: 3 });
    expect(report).toEqual({ created: ['a', 'c'], existing: ['b'] });
    expect(admin.created).toEqual([[newTopicOf(spec('a', 2), 3), newTopicOf(spec('c', 1), 3)]]);
    expect(admin.topics.get('a')).toBe(2);
  });

  it('is idempotent: a second run creates nothing', async () => {
    const admin = new StubAdmin();
    const specs = [spec('a', 2), spec('b', 1)];
    await provisionTopics(admin, specs, fast);
    const again = await provisionTopics(admin, specs, fast);
    expect(again).toEqual({ created: [], existing: ['a', 'b'] });
    expect(admin.created).toHaveLength(1);
  });

  it('accepts an existing topic with more partitions than its spec', async () => {
    const admin = new StubAdmin({ a: 12 });
    expect(await provisionTopics(admin, [spec('a', 6)], fast)).toEqual({ created: [], existing: ['a'] });
  });

  it('refuses existing topics with fewer partitions, naming each with both counts, before creating anything', async () => {
    const admin = new StubAdmin({ a: 1, b: 2, c: 6 });
    const error = await provisionTopics(admin, [spec('a', 6), spec('b', 3), spec('c', 6), spec('new', 1)], fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopicPartitionMismatchError);
    expect(error).toBeInstanceOf(KafkaLayerError);
    const mismatch = error as TopicPartitionMismatchError;
    expect(mismatch.name).toBe('TopicPartitionMismatchError');
    expect(mismatch.retriable).toBe(false);
    expect(mismatch.mismatches).toEqual([
      { topic: 'a', existing: 1, expected: 6 },
      { topic: 'b', existing: 2, expected: 3 },
    ]);
    expect(mismatch.message).toContain('a has 1, catalogue asks for 6');
    expect(mismatch.message).toContain('b has 2, catalogue asks for 3');
    expect(mismatch.message).not.toContain('c has');
    expect(admin.created).toEqual([]);
  });

  it('waits through UNKNOWN_TOPIC_OR_PARTITION and leaderless answers after creation', async () => {
    const admin = new StubAdmin();
    admin.unknownTopicPolls = 3;
    admin.leaderlessPolls = 2;
    const report = await provisionTopics(admin, [spec('a', 4)], fast);
    expect(report.created).toEqual(['a']);
    expect(admin.metadataCalls).toBe(6);
  });

  it('gives up after the leader timeout with a retriable error naming the topics and the last answer', async () => {
    const admin = new StubAdmin();
    admin.unknownTopicPolls = Number.MAX_SAFE_INTEGER;
    const error = await provisionTopics(admin, [spec('a', 1), spec('b', 1)], { leaderTimeoutMs: 30, pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopicLeadersTimeoutError);
    const timeout = error as TopicLeadersTimeoutError;
    expect(timeout.retriable).toBe(true);
    expect(timeout.topics).toEqual(['a', 'b']);
    expect(timeout.message).toMatch(/^Topics a, b have no leader on every partition after 30 ms \(This server does not host this topic-partition\)$/);
    expect(timeout.cause).toBeInstanceOf(Error);
  });
});

describe('ensureTopics', () => {
  it('creates the missing topics with the given replication factor', async () => {
    const admin = new StubAdmin({ b: 1 });
    await ensureTopics(admin, [spec('a', 2), spec('b', 1)], 1);
    expect(admin.created).toEqual([[newTopicOf(spec('a', 2), 1)]]);
  });
});
