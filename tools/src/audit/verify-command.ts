import { describeFailure, MANIFEST_FILE, type VerifyOutcome, verifyTrail } from '@fleet/audit';
import { readdir } from 'node:fs/promises';
import { readTrailFiles } from '@fleet/audit-store';

/** What the verify command found and the exit code it ends with. */
export interface VerifyCommandResult {
  readonly exitCode: 0 | 1 | 2;
  readonly outcome?: VerifyOutcome;
  /** Lines to print, in order. */
  readonly lines: readonly string[];
}

/**
 * Verifies the trail in `dir` end to end: exit code 0 when intact, 1 at the first broken link
 * (printing check, segment, line, seq and why), 2 when the arguments are wrong. Files that
 * follow the last seal (an open segment) are listed as not verified: they are not part of the
 * sealed trail yet.
 */
export async function verifyCommand(argv: readonly string[]): Promise<VerifyCommandResult> {
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) return { exitCode: 2, lines: ['usage: npx tsx tools/src/audit/verify.ts <trail-dir> [--json]'] };
  const json = argv.includes('--json');
  const entries = await readdir(dir).catch(() => undefined);
  if (!entries || !entries.includes(MANIFEST_FILE)) return { exitCode: 1, lines: [`trail ${dir}: BROKEN`, `  manifest: no ${MANIFEST_FILE} in ${dir}`] };
  const files = await readTrailFiles(dir);
  const outcome = verifyTrail(files);
  const unsealed = entries.sort().filter((f) => f !== MANIFEST_FILE && !files.segments.has(f));
  const lines: string[] = [];
  if (json) {
    lines.push(JSON.stringify({ dir, ...outcome, unsealed }));
  } else if (outcome.ok) {
    const s = outcome.summary;
    lines.push(`trail ${dir}: intact`);
    lines.push(`  segments ${s.segments}, records ${s.records}, head seq ${s.head.seq} hash ${s.head.hash}`);
    lines.push(`  order commands ${s.orderCommands}, fills ${s.fills}, budget deltas ${s.budgetDeltas}, position states ${s.positionStates}`);
    for (const f of unsealed) lines.push(`  not verified (not sealed): ${f}`);
  } else {
    lines.push(`trail ${dir}: BROKEN`);
    lines.push(`  ${describeFailure(outcome.failure)}`);
  }
  return { exitCode: outcome.ok ? 0 : 1, outcome, lines };
}
