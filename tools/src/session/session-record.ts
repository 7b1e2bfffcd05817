/** The pure parts of recording and verifying a session: the summary file, field differences, the verdict. */
import { type SessionManifest, type SessionManifestProblem } from '@fleet/audit';
import { canonicalJson, digestOf, type Digest, type SessionSummary } from '@fleet/core';

/** The content of `summary.json`: nothing in it depends on where or when the session ran. */
export interface SessionSummaryFile {
  readonly sessionId: string;
  readonly createdFrom: { readonly scenario: string; readonly seed: number; readonly durationSeconds: number };
  readonly kafka: { readonly published: number; readonly verified: number };
  readonly summary: SessionSummary;
  readonly sessionDigest: Digest;
}

/** Returns `value` as the plain JSON its canonical encoding reads back as (what a written file parses to). */
export function asWritten<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/** One field that differs between what was recorded and what was recomputed. */
export interface FieldDifference {
  /** Dotted path of the field, e.g. `summary.pnl.total`. */
  readonly field: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

/** Returns the fields that differ between `recorded` and `replayed`, depth first in sorted key order. */
export function fieldDifferences(recorded: unknown, replayed: unknown, path = ''): FieldDifference[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(recorded) && isObj(replayed) && Array.isArray(recorded) === Array.isArray(replayed)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])].sort();
    const at = (k: string): string => (Array.isArray(recorded) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    return keys.flatMap((k) => fieldDifferences(recorded[k], replayed[k], at(k)));
  }
  return canonicalJson(recorded ?? null) === canonicalJson(replayed ?? null) ? [] : [{ field: path || '<root>', recorded, replayed }];
}

/** Returns one difference as a line: `field: recorded X, replayed Y`. */
export function formatDifference(d: FieldDifference): string {
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  return `${d.field}: recorded ${show(d.recorded)}, replayed ${show(d.replayed)}`;
}

/** What verify recomputed today from the manifest's scenario, seed and config. */
export interface SessionReplay {
  /** digestOf(the preset scenario rebuilt today). */
  readonly scenarioDigest: Digest;
  /** digestOf(the runner config the preset gives today). */
  readonly configDigestToday: Digest;
  /** The market-data chain over the events regenerated today. */
  readonly marketDataDigest: Digest;
  /** digestOf(AVRO_SCHEMAS) today. */
  readonly catalogueDigest: Digest;
  /** The summary file the replay produces (kafka counts taken from the manifest). */
  readonly summaryFile: SessionSummaryFile;
}

/** The verdict of `sessions verify`. */
export interface SessionVerdict {
  /** Integrity problems: the manifest and summary.json as files. */
  readonly integrity: readonly SessionManifestProblem[];
  /** Replay differences, first one first; empty means parity. */
  readonly parity: readonly FieldDifference[];
  /** Facts that do not fail verification (a changed schema catalogue, a changed default config). */
  readonly notes: readonly string[];
}

/**
 * Returns the verdict on a session: the manifest problems, summary.json against its digest,
 * then the replay against the record (session digest, market-data chain, scenario, every summary field).
 */
export function judgeSession(manifest: SessionManifest, manifestProblems: readonly SessionManifestProblem[], summaryFile: unknown, replay: SessionReplay): SessionVerdict {
  const integrity: SessionManifestProblem[] = [...manifestProblems];
  const summaryDigest = digestOf(summaryFile);
  if (summaryDigest !== manifest.digests.summaryDigest) {
    integrity.push({ field: 'summary.json', message: `digests to ${summaryDigest}, the manifest records digests.summaryDigest ${manifest.digests.summaryDigest}` });
  }
  const parity: FieldDifference[] = [];
  if (replay.scenarioDigest !== manifest.createdFrom.scenarioDigest) {
    parity.push({ field: 'createdFrom.scenarioDigest', recorded: manifest.createdFrom.scenarioDigest, replayed: replay.scenarioDigest });
  }
  if (replay.summaryFile.sessionDigest !== manifest.digests.sessionDigest) {
    parity.push({ field: 'digests.sessionDigest', recorded: manifest.digests.sessionDigest, replayed: replay.summaryFile.sessionDigest });
  }
  if (replay.marketDataDigest !== manifest.digests.marketDataDigest) {
    parity.push({ field: 'digests.marketDataDigest', recorded: manifest.digests.marketDataDigest, replayed: replay.marketDataDigest });
  }
  for (const d of fieldDifferences(summaryFile, asWritten(replay.summaryFile))) parity.push({ ...d, field: `summary.json ${d.field}` });
  const notes: string[] = [];
  if (replay.configDigestToday !== manifest.configDigest) notes.push(`the ${manifest.createdFrom.scenario} preset gives a different runner config today (${replay.configDigestToday}); replayed with the recorded config`);
  if (replay.catalogueDigest !== manifest.schemas.catalogueDigest) notes.push(`the generated schema catalogue changed since the session (${manifest.schemas.catalogueDigest} then, ${replay.catalogueDigest} now)`);
  return { integrity, parity, notes };
}

/** Returns the exit code of a verdict: 0 intact and identical, 1 otherwise. */
export function verdictExitCode(verdict: SessionVerdict): 0 | 1 {
  return verdict.integrity.length === 0 && verdict.parity.length === 0 ? 0 : 1;
}
