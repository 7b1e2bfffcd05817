import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ALL_TOPICS } from '@fleet/contracts';

const repoRoot = resolve(__dirname, '..', '..', '..');
const CATALOGUE = 'libs/contracts/src/topics.ts';
const SKIP = new Set(['node_modules', 'dist', '.nx', '.local', '.git', 'coverage']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('topic names', () => {
  it('appear as string literals only in the catalogue', () => {
    const offenders: string[] = [];
    for (const top of ['libs', 'services', 'tools', 'test']) {
      for (const file of sourceFiles(join(repoRoot, top))) {
        const rel = relative(repoRoot, file).split('\\').join('/');
        if (rel === CATALOGUE) continue;
        const text = readFileSync(file, 'utf8');
        for (const topic of ALL_TOPICS) {
          for (const quote of ["'", '"', '`']) {
            if (text.includes(`${quote}${topic.name}${quote}`)) offenders.push(`${rel}: ${quote}${topic.name}${quote}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
