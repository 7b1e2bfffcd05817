/**
 * Generates libs/contracts/src/generated/ from schemas/.
 *
 *   npx tsx tools/src/codegen/main.ts           write the generated files
 *   npx tsx tools/src/codegen/main.ts --check   exit 1 and name the stale files if the
 *                                               committed output differs (CI runs this)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate, GENERATED_DIR } from './generate';

/** Returns the names of files in `dir` that differ from, are missing from, or are extra to `files`. */
export function staleFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')) : [];
  const stale = new Set<string>();
  for (const [name, content] of files) {
    const path = join(dir, name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.add(name);
  }
  for (const name of present) if (!files.has(name)) stale.add(name);
  return [...stale].sort();
}

function main(argv: readonly string[]): number {
  const repoRoot = resolve(__dirname, '..', '..', '..');
  const check = argv.includes('--check');
  const dir = join(repoRoot, GENERATED_DIR);
  let files: ReadonlyMap<string, string>;
  try {
    files = generate(repoRoot);
  } catch (error) {
    process.stderr.write(`codegen: ${(error as Error).message}\n`);
    return 2;
  }
  const stale = staleFiles(dir, files);
  if (check) {
    if (stale.length === 0) {
      process.stdout.write(`codegen: ${files.size} generated files are up to date\n`);
      return 0;
    }
    process.stderr.write(`codegen: ${stale.length} generated file(s) are stale; run npm run codegen:\n${stale.map((f) => `  ${GENERATED_DIR}/${f}`).join('\n')}\n`);
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  for (const name of stale) {
    const content = files.get(name);
    if (content === undefined) rmSync(join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  process.stdout.write(`codegen: ${files.size} files in ${GENERATED_DIR} (${stale.length} written or removed)\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
