/**
 * Proves that lint enforces the module boundaries: it lints small probe sources as if they
 * were files of each layer and expects the boundary rules to reject what the layers forbid.
 * ESLint runs in a child process with the repository's own config, exactly as `npm run lint`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

interface Probe {
  readonly code: string;
  readonly asFile: string;
}

const RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-properties', 'no-restricted-imports', 'no-restricted-syntax']);

// Lints every probe in one ESLint process (its start-up dominates the cost).
const LINT_PROBES = `
const { ESLint } = require('eslint');
(async () => {
  const probes = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const p of probes) {
    const [result] = await eslint.lintText(p.code, { filePath: p.filePath });
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(2); });
`;

function lintProbes(probes: readonly Probe[]): string[][] {
  const stdout = execFileSync(process.execPath, ['-e', LINT_PROBES], {
    cwd: root,
    input: JSON.stringify(probes.map((p) => ({ code: p.code, filePath: join(root, p.asFile) }))),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const results = JSON.parse(stdout) as { ruleId: string | null; message: string }[][];
  return results.map((messages) => messages.filter((m) => m.ruleId !== null && RULES.has(m.ruleId)).map((m) => `${m.ruleId}: ${m.message}`));
}

const ioPackages = ['kafkajs', 'ioredis', 'avsc', '@nestjs/common', 'node:fs'];
const probes: Probe[] = [
  ...ioPackages.map((pkg) => ({ code: `import * as io from '${pkg}';\nexport const x = io;\n`, asFile: 'libs/core/src/index.ts' })),
  { code: `import * as k from '@fleet/kafka';\nexport const x = k;\n`, asFile: 'libs/core/src/index.ts' },
  { code: `import * as c from '../../../libs/core/src/prng/prng';\nexport const x = c;\n`, asFile: 'tools/src/lint/module-boundaries.spec.ts' },
  { code: `export const t = Date.now() + Math.random();\nexport const d = new Date();\n`, asFile: 'libs/core/src/index.ts' },
  { code: `import { digestOf } from '@fleet/core';\nexport const x = digestOf;\n`, asFile: 'libs/kafka/src/index.ts' },
];
let errors: string[][] = [];

beforeAll(() => {
  // The boundary rule reads Nx's cached project graph; compute it as `npm run lint` does.
  execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } });
  errors = lintProbes(probes);
}, 120_000);

describe('module boundaries', () => {
  it.each(ioPackages.map((pkg, i) => [pkg, i] as const))('refuses %s in the domain core', (pkg, i) => {
    expect(errors[i]!.join('\n')).toMatch(new RegExp(`not allowed to import "${pkg}"|uses no Node built-in`));
  });

  it('refuses an adapter lib imported by the domain core', () => {
    expect(errors[5]!.join('\n')).toMatch(/layer:domain/);
  });

  it('refuses a deep import into another project', () => {
    expect(errors[6]!.length).toBeGreaterThan(0);
  });

  it('refuses the wall clock and ambient randomness in the core', () => {
    expect(errors[7]!.filter((e) => e.startsWith('no-restricted'))).toHaveLength(3);
  });

  it('lets an adapter import the domain core', () => {
    expect(errors[8]).toEqual([]);
  });
});
