/**
 * The pure parts of recording and verifying a fleet session: the summary file computed from the
 * session's log, field differences, and the verdict of `sessions verify` (the files intact, and
 * the log read back again giving the same digests and the same summary, field by field).
 */
import { type SessionCounts, type SessionManifest, type SessionManifestProblem, marketDataChain } from '@fleet/audit';
import { canonicalJson, digestOf, type Digest, type SessionSummary } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { canonicalOrder, type FleetSessionFigures, type LoggedRecord, sessionFigures } from '@fleet/fleet-session';

/** What a session was created from (the inputs of its id besides the configuration). */
export interface SessionOriginArgs {
  readonly scenario: string;
  readonly seed: number;
  readonly durationSeconds: number;
}

/** The fleet's own counters of a session. */
export interface FleetCounts {
  readonly ticks: number;
  readonly events: number;
  readonly deadLetters: number;
  readonly riskDenials: number;
  readonly budgetDenials: number;
}

/** The content of `summary.json`: nothing in it depends on where or when the session ran. */
export interface SessionSummaryFile {
  readonly sessionId: string;
  readonly createdFrom: SessionOriginArgs;
  readonly fleet: FleetCounts;
  readonly summary: SessionSummary;
  readonly sessionDigest: Digest;
}

/** Returns `value` as the plain JSON its canonical encoding reads back as (what a written file parses to). */
export function asWritten<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

const MD_PREFIX = 'md.';

/** Returns the market-data records of a log in canonical order. */
export function marketDataOf(records: readonly LoggedRecord[]): LoggedRecord[] {
  return canonicalOrder(records).filter((r) => r.topic.startsWith(MD_PREFIX));
}

/** Returns the session summary in the fields of the one summary format, from the log's figures and the market data's time span. */
export function summaryOf(createdFrom: SessionOriginArgs, f: FleetSessionFigures, startUs: number, endUs: number): SessionSummary {
  return {
    scenario: createdFrom.scenario,
    seed: String(createdFrom.seed),
    startUs,
    endUs,
    events: f.events,
    steps: f.ticks,
    actions: f.decisions,
    quotes: f.quotes,
    cancels: f.cancels,
    fills: f.fills,
    makerFills: f.makerFills,
    takerFills: f.takerFills,
    hedges: f.hedges,
    exits: f.exits,
    rejects: f.rejects,
    pnl: f.pnl,
    maxDrawdown: f.maxDrawdown,
    quotesByVenue: f.quotesByVenue,
    fillsByVenue: f.fillsByVenue,
    positions: f.positions,
    killSwitch: f.killSwitch,
    killReason: f.killReason,
    killedAtUs: f.killedAtUs,
  };
}

/** Returns the summary.json of a session from its log: the records (every WAL topic but dead letters) and the dead-letter count. */
export function fleetSummaryFile(sessionId: string, createdFrom: SessionOriginArgs, records: readonly LoggedRecord[], deadLetters: number): SessionSummaryFile {
  const figures = sessionFigures(records);
  const times = marketDataOf(records).map((r) => Number((r.value.envelope as unknown as { eventTimeUs: number }).eventTimeUs));
  const startUs = times.length === 0 ? 0 : Math.min(...times);
  const endUs = times.length === 0 ? 0 : Math.max(...times);
  return asWritten({
    sessionId,
    createdFrom: { scenario: createdFrom.scenario, seed: createdFrom.seed, durationSeconds: createdFrom.durationSeconds },
    fleet: { ticks: figures.ticks, events: records.length, deadLetters, riskDenials: figures.riskDenials, budgetDenials: figures.budgetDenials },
    summary: summaryOf(createdFrom, figures, startUs, endUs),
    sessionDigest: figures.digest,
  });
}

/** Returns the manifest counts of a log: market-data events published and read back with intact digests. */
export function marketDataCounts(records: readonly LoggedRecord[]): SessionCounts {
  const md = marketDataOf(records);
  const intact = md.filter((r) => checkEnvelope(r.value as never) === undefined).length;
  return { scenarioEvents: md.length, marketDataPublished: md.length, marketDataVerified: intact };
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

/** What verify recomputed from the session's log, read back from Kafka. */
export interface SessionRecount {
  /** The market-data chain over the md.* eventIds in canonical order. */
  readonly marketDataDigest: Digest;
  /** The market-data counts of the log. */
  readonly counts: SessionCounts;
  /** digestOf(AVRO_SCHEMAS) today. */
  readonly catalogueDigest: Digest;
  /** digestOf(the per-instrument scenario and runner configuration the recorded session settings give today). */
  readonly scenarioDigestToday: Digest;
  /** The summary file the log gives. */
  readonly summaryFile: SessionSummaryFile;
}

/** Returns what a log gives for verification: the summary file, the market-data digest and counts. */
export function recountSession(sessionId: string, createdFrom: SessionOriginArgs, records: readonly LoggedRecord[], deadLetters: number, today: { readonly catalogueDigest: Digest; readonly scenarioDigest: Digest }): SessionRecount {
  return {
    marketDataDigest: marketDataChain(marketDataOf(records).map((r) => r.value.envelope.eventId)),
    counts: marketDataCounts(records),
    catalogueDigest: today.catalogueDigest,
    scenarioDigestToday: today.scenarioDigest,
    summaryFile: fleetSummaryFile(sessionId, createdFrom, records, deadLetters),
  };
}

/** The verdict of `sessions verify`. */
export interface SessionVerdict {
  /** Integrity problems: the manifest and summary.json as files. */
  readonly integrity: readonly SessionManifestProblem[];
  /** Differences between the record and the log read back, first one first; empty means parity. */
  readonly parity: readonly FieldDifference[];
  /** Facts that do not fail verification (a changed schema catalogue, a changed configuration). */
  readonly notes: readonly string[];
}

/**
 * Returns the verdict on a session: the manifest problems, summary.json against its digest, then
 * the log read back against the record: the session digest, the market-data chain and counts,
 * and every field of summary.json.
 */
export function judgeSession(manifest: SessionManifest, manifestProblems: readonly SessionManifestProblem[], summaryFile: unknown, recount: SessionRecount): SessionVerdict {
  const integrity: SessionManifestProblem[] = [...manifestProblems];
  const summaryDigest = digestOf(summaryFile);
  if (summaryDigest !== manifest.digests.summaryDigest) {
    integrity.push({ field: 'summary.json', message: `digests to ${summaryDigest}, the manifest records digests.summaryDigest ${manifest.digests.summaryDigest}` });
  }
  const parity: FieldDifference[] = [];
  if (recount.summaryFile.sessionDigest !== manifest.digests.sessionDigest) {
    parity.push({ field: 'digests.sessionDigest', recorded: manifest.digests.sessionDigest, replayed: recount.summaryFile.sessionDigest });
  }
  if (recount.marketDataDigest !== manifest.digests.marketDataDigest) {
    parity.push({ field: 'digests.marketDataDigest', recorded: manifest.digests.marketDataDigest, replayed: recount.marketDataDigest });
  }
  for (const d of fieldDifferences(manifest.counts, recount.counts)) parity.push({ ...d, field: `counts.${d.field}` });
  for (const d of fieldDifferences(summaryFile, recount.summaryFile)) parity.push({ ...d, field: `summary.json ${d.field}` });
  const notes: string[] = [];
  if (recount.scenarioDigestToday !== manifest.createdFrom.scenarioDigest) {
    notes.push(`the recorded session settings give a different scenario and runner configuration today (${recount.scenarioDigestToday}, recorded ${manifest.createdFrom.scenarioDigest}): a replay would run today's configuration`);
  }
  if (recount.catalogueDigest !== manifest.schemas.catalogueDigest) notes.push(`the generated schema catalogue changed since the session (${manifest.schemas.catalogueDigest} then, ${recount.catalogueDigest} now)`);
  return { integrity, parity, notes };
}

/** Returns the exit code of a verdict: 0 intact and identical, 1 otherwise. */
export function verdictExitCode(verdict: SessionVerdict): 0 | 1 {
  return verdict.integrity.length === 0 && verdict.parity.length === 0 ? 0 : 1;
}
