/** Keeps docs/ARCHITECTURE.md true: its topic table must list exactly the catalogue. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@fleet/contracts';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'ARCHITECTURE.md'), 'utf8');

function documentedTopics(): string[][] {
  return doc
    .split('\n')
    .filter((line) => /^\| `[a-z.-]+` \|/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, 7)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

describe('docs/ARCHITECTURE.md topic table', () => {
  it('lists every catalogue topic with its key, value type, partitions, retention and cleanup policy', () => {
    const expected = ALL_TOPICS.map((t) => [t.name, t.key, t.valueType, String(t.partitions), t.retentionMs < 0 ? 'forever' : `${t.retentionMs} ms`, t.cleanupPolicy]);
    expect(documentedTopics()).toEqual(expected);
  });
});
