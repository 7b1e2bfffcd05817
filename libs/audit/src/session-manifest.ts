import { canonicalJson, chainDigest, deriveId, digestOf, type Digest } from '@fleet/core';
import { GENESIS_HASH } from './record';

/**
 * The session manifest: what one session was made from and what it produced, so that a past
 * session can be found, verified and replayed by its id. Pure: the caller gathers every fact
 * (offsets, registry ids, git commit) and passes it in; nothing here reads a clock or a file.
 */

/** The manifest format version this library writes and verifies. */
export const SESSION_MANIFEST_VERSION = 1;

/** The manifest file name inside a session directory. */
export const SESSION_MANIFEST_FILE = 'manifest.json';

/** The summary file name inside a session directory. */
export const SESSION_SUMMARY_FILE = 'summary.json';

/** The git commit recorded when it is not known (no git, not a repository). */
export const UNKNOWN_GIT_COMMIT = 'unknown';

/** What the session was created from: the inputs of its id, with the scenario's digest. */
export interface SessionOrigin {
  /** The preset scenario name. */
  readonly scenario: string;
  readonly seed: number;
  readonly durationSeconds: number;
  /** digestOf(the scenario definition the session ran), to tell a changed preset from a changed core. */
  readonly scenarioDigest: Digest;
}

/** The code that ran the session. */
export interface SessionCodeVersion {
  /** The root package.json version. */
  readonly packageVersion: string;
  /** `git rev-parse HEAD`, or {@link UNKNOWN_GIT_COMMIT}. */
  readonly gitCommit: string;
  /** Whether the working tree had uncommitted changes; null when unknown. */
  readonly gitTreeDirty: boolean | null;
}

/** The schemas the session's events were written with. */
export interface SessionSchemas {
  /** Registry subject → schema id. */
  readonly subjects: Readonly<Record<string, number>>;
  /** digestOf(AVRO_SCHEMAS): the SHA-256 of the generated schema catalogue's canonical JSON. */
  readonly catalogueDigest: Digest;
}

/** Where one partition's log stood when the session started and ended. */
export interface SessionPartitionRange {
  readonly partition: number;
  /** The partition's end offset (high watermark) before the session published, as a decimal string. */
  readonly start: string;
  /** The partition's end offset after the session read its events back, as a decimal string. */
  readonly end: string;
}

/** The session's digests. */
export interface SessionDigests {
  /** The core's hash chain over every action and fill (runSession's digest). */
  readonly sessionDigest: Digest;
  /** digestOf(the parsed summary.json). */
  readonly summaryDigest: Digest;
  /** The hash chain over the published market-data eventIds, in publish order ({@link marketDataChain}). */
  readonly marketDataDigest: Digest;
}

/** How many events the session handled. */
export interface SessionCounts {
  /** Events the simulator generated. */
  readonly scenarioEvents: number;
  /** Market-data events published to Kafka. */
  readonly marketDataPublished: number;
  /** Market-data events read back with their digests intact. */
  readonly marketDataVerified: number;
}

/** The session manifest as written to `out/sessions/<id>/manifest.json`. */
export interface SessionManifest {
  readonly manifestVersion: typeof SESSION_MANIFEST_VERSION;
  readonly sessionId: string;
  readonly createdFrom: SessionOrigin;
  /** The runner configuration, as plain canonical JSON. */
  readonly config: unknown;
  /** digestOf(config). */
  readonly configDigest: Digest;
  readonly codeVersion: SessionCodeVersion;
  readonly schemas: SessionSchemas;
  /** Topic name → its partitions' offsets at the start and the end of the session, sorted by partition. */
  readonly topics: Readonly<Record<string, readonly SessionPartitionRange[]>>;
  readonly digests: SessionDigests;
  readonly counts: SessionCounts;
  /**
   * digestOf(every field except `topics`, `contentDigest` and `manifestDigest`): the same for
   * every run of the same session on the same code. The offsets are left out because every
   * run appends to the log, so they move on each run.
   */
  readonly contentDigest: Digest;
  /** digestOf(every other field, `topics` and `contentDigest` included). */
  readonly manifestDigest: Digest;
}

/** What {@link buildSessionManifest} needs. */
export interface SessionManifestInput {
  readonly createdFrom: SessionOrigin;
  readonly config: unknown;
  readonly codeVersion: SessionCodeVersion;
  readonly schemas: SessionSchemas;
  readonly topics: Readonly<Record<string, readonly SessionPartitionRange[]>>;
  readonly digests: SessionDigests;
  readonly counts: SessionCounts;
}

/** One thing wrong with a manifest; `field` is the dotted path of the field at fault. */
export interface SessionManifestProblem {
  readonly field: string;
  readonly message: string;
}

const encoder = new TextEncoder();

/** Returns the session id: derived from the scenario name, seed, duration and the runner configuration. */
export function deriveSessionId(origin: Pick<SessionOrigin, 'scenario' | 'seed' | 'durationSeconds'>, config: unknown): string {
  return deriveId('session', [origin.scenario, origin.seed, origin.durationSeconds, config], 24);
}

/** Returns the hash chain over `eventIds` in order: H(…H(H(genesis ‖ id1) ‖ id2)… ‖ idN); the genesis hash when empty. */
export function marketDataChain(eventIds: Iterable<string>): Digest {
  let head = GENESIS_HASH;
  for (const id of eventIds) head = chainDigest(head, encoder.encode(id));
  return head;
}

/** Returns `value` as the plain JSON its canonical encoding reads back as. */
function canonicalPlain(value: unknown): unknown {
  return JSON.parse(canonicalJson(value)) as unknown;
}

function sortedTopics(topics: Readonly<Record<string, readonly SessionPartitionRange[]>>): Record<string, SessionPartitionRange[]> {
  const out: Record<string, SessionPartitionRange[]> = {};
  for (const name of Object.keys(topics).sort()) {
    out[name] = [...topics[name]!].sort((a, b) => a.partition - b.partition).map((p) => ({ partition: p.partition, start: p.start, end: p.end }));
  }
  return out;
}

function contentOf(m: Omit<SessionManifest, 'contentDigest' | 'manifestDigest'>): unknown {
  const { topics: _topics, ...content } = m;
  return content;
}

/** Returns the manifest of a session: its id, the canonical config and every digest computed. */
export function buildSessionManifest(input: SessionManifestInput): SessionManifest {
  const config = canonicalPlain(input.config);
  const body = {
    manifestVersion: SESSION_MANIFEST_VERSION,
    sessionId: deriveSessionId(input.createdFrom, config),
    createdFrom: { ...input.createdFrom },
    config,
    configDigest: digestOf(config),
    codeVersion: { ...input.codeVersion },
    schemas: { subjects: canonicalPlain(input.schemas.subjects) as Record<string, number>, catalogueDigest: input.schemas.catalogueDigest },
    topics: sortedTopics(input.topics),
    digests: { ...input.digests },
    counts: { ...input.counts },
  } as const;
  const contentDigest = digestOf(contentOf(body));
  return { ...body, contentDigest, manifestDigest: digestOf({ ...body, contentDigest }) };
}

const HEX64 = /^[0-9a-f]{64}$/;
const OFFSET = /^(0|[1-9][0-9]*)$/;

function shapeProblems(m: Record<string, unknown>): SessionManifestProblem[] {
  const problems: SessionManifestProblem[] = [];
  const bad = (field: string, message: string): void => void problems.push({ field, message });
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const digest = (field: string, v: unknown): void => {
    if (typeof v !== 'string' || !HEX64.test(v)) bad(field, `must be 64 lower-case hex characters; received ${JSON.stringify(v)}`);
  };
  if (m.manifestVersion !== SESSION_MANIFEST_VERSION) bad('manifestVersion', `must be ${SESSION_MANIFEST_VERSION}; received ${JSON.stringify(m.manifestVersion)}`);
  if (typeof m.sessionId !== 'string') bad('sessionId', `must be a string; received ${JSON.stringify(m.sessionId)}`);
  const from = m.createdFrom;
  if (!obj(from)) bad('createdFrom', 'must be an object');
  else {
    if (typeof from.scenario !== 'string') bad('createdFrom.scenario', `must be a string; received ${JSON.stringify(from.scenario)}`);
    if (!Number.isSafeInteger(from.seed)) bad('createdFrom.seed', `must be an integer; received ${JSON.stringify(from.seed)}`);
    if (!Number.isInteger(from.durationSeconds)) bad('createdFrom.durationSeconds', `must be an integer; received ${JSON.stringify(from.durationSeconds)}`);
    digest('createdFrom.scenarioDigest', from.scenarioDigest);
  }
  if (!obj(m.config)) bad('config', 'must be an object');
  digest('configDigest', m.configDigest);
  const code = m.codeVersion;
  if (!obj(code)) bad('codeVersion', 'must be an object');
  else {
    if (typeof code.packageVersion !== 'string') bad('codeVersion.packageVersion', 'must be a string');
    if (typeof code.gitCommit !== 'string') bad('codeVersion.gitCommit', 'must be a string');
    if (code.gitTreeDirty !== null && typeof code.gitTreeDirty !== 'boolean') bad('codeVersion.gitTreeDirty', 'must be true, false or null');
  }
  const schemas = m.schemas;
  if (!obj(schemas) || !obj(schemas.subjects)) bad('schemas', 'must be {subjects, catalogueDigest}');
  else {
    for (const [subject, id] of Object.entries(schemas.subjects)) if (!Number.isInteger(id)) bad(`schemas.subjects.${subject}`, `must be an integer schema id; received ${JSON.stringify(id)}`);
    digest('schemas.catalogueDigest', schemas.catalogueDigest);
  }
  if (!obj(m.topics)) bad('topics', 'must be an object');
  else {
    for (const [name, parts] of Object.entries(m.topics)) {
      if (!Array.isArray(parts)) {
        bad(`topics.${name}`, 'must be an array of partition ranges');
        continue;
      }
      parts.forEach((p: unknown, i) => {
        const field = `topics.${name}[${i}]`;
        if (!obj(p) || !Number.isInteger(p.partition) || typeof p.start !== 'string' || typeof p.end !== 'string' || !OFFSET.test(p.start) || !OFFSET.test(p.end)) {
          bad(field, `must be {partition, start, end} with decimal offsets; received ${JSON.stringify(p)}`);
        } else if (BigInt(p.end) < BigInt(p.start)) bad(`${field}.end`, `end offset ${p.end} is before start offset ${p.start}`);
      });
    }
  }
  const digests = m.digests;
  if (!obj(digests)) bad('digests', 'must be an object');
  else for (const key of ['sessionDigest', 'summaryDigest', 'marketDataDigest']) digest(`digests.${key}`, digests[key]);
  const counts = m.counts;
  if (!obj(counts)) bad('counts', 'must be an object');
  else for (const key of ['scenarioEvents', 'marketDataPublished', 'marketDataVerified']) if (!Number.isInteger(counts[key])) bad(`counts.${key}`, `must be an integer; received ${JSON.stringify(counts[key])}`);
  digest('contentDigest', m.contentDigest);
  digest('manifestDigest', m.manifestDigest);
  return problems;
}

/**
 * Returns what is wrong with a parsed manifest (empty when it is intact): its shape, then the
 * config digest, the session id (recomputed from createdFrom and config), the content digest
 * and the manifest digest. A changed field outside `topics` breaks both digests; a changed
 * offset breaks only the manifest digest.
 */
export function verifySessionManifest(value: unknown): SessionManifestProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: '<root>', message: 'the manifest is not a JSON object' }];
  const m = value as Record<string, unknown>;
  const problems = shapeProblems(m);
  if (problems.length > 0) return problems;
  const manifest = m as unknown as SessionManifest;
  const configDigest = digestOf(manifest.config);
  if (configDigest !== manifest.configDigest) problems.push({ field: 'configDigest', message: `recorded ${manifest.configDigest}, the config digests to ${configDigest}` });
  const sessionId = deriveSessionId(manifest.createdFrom, manifest.config);
  if (sessionId !== manifest.sessionId) problems.push({ field: 'sessionId', message: `recorded ${manifest.sessionId}, createdFrom and config derive ${sessionId}` });
  const { contentDigest: recordedContent, manifestDigest: recordedManifest, ...body } = manifest;
  const contentDigest = digestOf(contentOf(body));
  if (contentDigest !== recordedContent) problems.push({ field: 'contentDigest', message: `recorded ${recordedContent}, recomputed ${contentDigest}: a field other than topics was changed` });
  const manifestDigest = digestOf({ ...body, contentDigest: recordedContent });
  if (manifestDigest !== recordedManifest) {
    const where = contentDigest === recordedContent ? 'topics (the offsets) or manifestDigest itself' : 'a field other than topics';
    problems.push({ field: 'manifestDigest', message: `recorded ${recordedManifest}, recomputed ${manifestDigest}: changed: ${where}` });
  }
  return problems;
}
