/**
 * Checks an audit trail end to end and exits non-zero at the first broken link.
 *
 *   npx tsx tools/src/audit/verify.ts <trail-dir> [--json]
 *
 * Exit 0: intact. Exit 1: broken (prints the check, segment, line, seq and why). Exit 2: usage.
 * The checks are verifyTrail of @fleet/audit; see docs/audit.md.
 */
import { verifyCommand } from './verify-command';

verifyCommand(process.argv.slice(2)).then(
  (result) => {
    for (const line of result.lines) process.stdout.write(`${line}\n`);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`audit verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
