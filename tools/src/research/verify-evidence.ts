import { existsSync } from 'node:fs';
import { parseFlags, runMain, usage, UsageError, type FlagSpec } from './cli';
import { verifyEvidenceDir } from './evidence-io';

const SPECS: Record<string, FlagSpec> = {
  dir: { kind: 'string', help: 'The evidence pack directory (the gate --out-dir)', required: true },
};
const SUMMARY = 'Verifies an evidence pack: every file listed in evidence_pack/manifest.json is present with the same SHA-256 and size, no file is unlisted, and the pack digest matches. Exit 0 intact, 1 mismatch, 3 error.';

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('verify-evidence', SUMMARY, SPECS)}\n`);
    return 0;
  }
  const dir = String(flags.dir);
  if (!existsSync(dir)) throw new UsageError(`--dir must be an existing directory, received ${JSON.stringify(dir)}`);
  const problems = verifyEvidenceDir(dir);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`mismatch: ${p}\n`);
    return 1;
  }
  process.stdout.write(`ok: evidence pack ${dir} is intact\n`);
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)), 3, 3);
