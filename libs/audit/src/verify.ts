import { type TrailFiles, verifyChain } from './verify-chain';
import { verifyRules } from './verify-rules';
import { type VerifyOutcome } from './verify-types';

/**
 * Verifies a trail end to end and returns the first broken link or a summary: first the
 * structure (manifest, segment digests and seals, the hash chain across segments, gap-free
 * trail sequence, increasing offsets), then the business rules over the records in trail order
 * (envelope digests and sequences, approvals and reservations of order commands, fills of known
 * orders, budget sums, positions from fills).
 */
export function verifyTrail(files: TrailFiles): VerifyOutcome {
  const chain = verifyChain(files);
  if (!chain.ok) return chain;
  const rules = verifyRules(chain.records);
  if (!rules.ok) return rules;
  return {
    ok: true,
    summary: { segments: chain.manifest.segments.length, records: chain.records.length, head: chain.manifest.head, ...rules.counts },
  };
}
