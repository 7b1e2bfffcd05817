/**
 * Proves that lint enforces the module boundaries: it lints small probe sources as if they
 * were files of each layer and expects the boundary rule to reject what the layers forbid.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

// ESLint runs as a child process, exactly as `npm run lint` runs it, reading the probe from stdin.
async function boundaryErrors(code: string, asFile: string): Promise<string[]> {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'eslint'), ['--format', 'json', '--stdin', '--stdin-filename', join(root, asFile)], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!run.stdout) throw new Error(`eslint produced no report (exit ${run.status}): ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

beforeAll(() => {
  // The boundary rule reads Nx's cached project graph; compute it as `npm run lint` does.
  execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } });
}, 60_000);

describe('module boundaries', () => {
  it.each(['kafkajs', 'ioredis', 'avsc', '@nestjs/common', 'node:fs'])('refuses %s in the domain core', async (pkg) => {
    const errors = await boundaryErrors(`import * as io from '${pkg}';\nexport const x = io;\n`, 'libs/core/src/index.ts');
    expect(errors.join('\n')).toMatch(new RegExp(`not allowed to import "${pkg}"|uses no Node built-in`));
  });

  it('refuses an adapter lib imported by the domain core', async () => {
    const errors = await boundaryErrors(`import * as k from '@fleet/kafka';\nexport const x = k;\n`, 'libs/core/src/index.ts');
    expect(errors.join('\n')).toMatch(/layer:domain/);
  });

  it('refuses a deep import into another project', async () => {
    const errors = await boundaryErrors(`import * as c from '../../../libs/core/src/prng/prng';\nexport const x = c;\n`, 'tools/src/lint/module-boundaries.spec.ts');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses the wall clock and ambient randomness in the core', async () => {
    const errors = await boundaryErrors(`export const t = Date.now() + Math.random();\nexport const d = new Date();\n`, 'libs/core/src/index.ts');
    expect(errors.filter((e) => e.startsWith('no-restricted'))).toHaveLength(3);
  });

  it('lets an adapter import the domain core', async () => {
    const errors = await boundaryErrors(`import { digestOf } from '@fleet/core';\nexport const x = digestOf;\n`, 'libs/kafka/src/index.ts');
    expect(errors).toEqual([]);
  });
});
