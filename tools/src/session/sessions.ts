/**
 * Finds, shows and verifies past sessions by id.
 *
 *   tools/fleet sessions list [--out out/sessions] [--json]
 *   tools/fleet sessions show <id> [--out DIR] [--json]
 *   tools/fleet sessions verify <id> [--out DIR] [--json]
 *
 * verify checks the manifest's digests and summary.json against its digest, then reads the
 * session's log back from Kafka (every WAL topic under `<id>.`, up to the end offsets the
 * manifest recorded) and requires the same session digest, market-data chain and counts, and
 * the same summary.json, field by field. Exit 0 ok, 1 mismatch, 2 usage.
 */
import { type SessionManifest, type SessionManifestProblem, verifySessionManifest } from '@fleet/audit';
import { AVRO_SCHEMAS } from '@fleet/contracts';
import { digestOf } from '@fleet/core';
import { EnvReader, FLEET_SCENARIOS, laneRunnerConfig, laneScenario, readLaneSessionConfig } from '@fleet/service';
import { kafkaOf, recordedSessionEnv, stackSettings } from '../replay/session-source';
import { manifestEnds, readSessionLog } from '../replay/session-reader';
import { SessionArgsError } from './session-args';
import { listStoredSessions, readCodeVersion, readStoredSession, type StoredSession } from './session-files';
import { type FleetCounts, formatDifference, judgeSession, recountSession, verdictExitCode, type SessionVerdict } from './session-record';
import { parseSessionsArgs, SESSIONS_USAGE, type SessionsCommand } from './sessions-args';

const out = (text: string): void => void process.stdout.write(`${text}\n`);

/** The fields the digest checks report; any other manifest problem is a malformed manifest whose log cannot be checked. */
const DIGEST_FIELDS = new Set(['configDigest', 'sessionId', 'contentDigest', 'manifestDigest']);

function requireSession(outDir: string, id: string): StoredSession {
  const stored = readStoredSession(outDir, id);
  if (!stored) throw new SessionArgsError(`no session ${JSON.stringify(id)} under ${JSON.stringify(outDir)} (list shows the sessions there)`);
  return stored;
}

function listSessions(command: Extract<SessionsCommand, { action: 'list' }>): number {
  const rows = listStoredSessions(command.outDir).map((s) => {
    const m = s.manifest as Partial<SessionManifest> | undefined;
    return {
      id: s.id,
      scenario: m?.createdFrom?.scenario ?? null,
      seed: m?.createdFrom?.seed ?? null,
      durationSeconds: m?.createdFrom?.durationSeconds ?? null,
      summaryDigest: m?.digests?.summaryDigest ?? null,
      status: s.readError ? 'unreadable' : m === undefined ? 'no manifest (interrupted or written before manifests)' : 'complete',
    };
  });
  if (command.json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) out(`no sessions under ${command.outDir}`);
  for (const r of rows) {
    out(r.status === 'complete' ? `${r.id}  ${r.scenario} seed ${r.seed} ${r.durationSeconds}s  summary ${r.summaryDigest}` : `${r.id}  ${r.status}`);
  }
  return 0;
}

function showSession(command: Extract<SessionsCommand, { action: 'show' }>): number {
  const s = requireSession(command.outDir, command.id);
  if (s.readError) throw new Error(s.readError);
  if (command.json) {
    out(JSON.stringify({ manifest: s.manifest ?? null, summary: s.summary ?? null }, null, 2));
    return 0;
  }
  const m = s.manifest as SessionManifest | undefined;
  if (!m) {
    out(`session ${s.id}: no manifest.json in ${s.dir}`);
    return 1;
  }
  out(`session ${m.sessionId} (${s.dir})`);
  out(`created from: scenario ${m.createdFrom.scenario}, seed ${m.createdFrom.seed}, ${m.createdFrom.durationSeconds} s (scenario ${m.createdFrom.scenarioDigest})`);
  out(`code: ${m.codeVersion.packageVersion} at ${m.codeVersion.gitCommit}${m.codeVersion.gitTreeDirty ? ' (dirty tree)' : ''}`);
  out(`config: ${m.configDigest}`);
  out(`schemas: ${Object.keys(m.schemas.subjects).length} subjects, catalogue ${m.schemas.catalogueDigest}`);
  for (const [topic, parts] of Object.entries(m.topics)) {
    const moved = parts.filter((p) => p.start !== p.end);
    if (moved.length > 0) out(`  ${topic}: ${moved.map((p) => `p${p.partition} ${p.start}..${p.end}`).join(', ')}`);
  }
  out(`counts: ${m.counts.marketDataPublished} market-data events, ${m.counts.marketDataVerified} with intact digests`);
  const fleet = (s.summary as { fleet?: FleetCounts } | undefined)?.fleet;
  if (fleet) out(`fleet: ${fleet.ticks} ticks, ${fleet.events} events, ${fleet.deadLetters} dead letters, ${fleet.riskDenials} risk denials, ${fleet.budgetDenials} budget denials`);
  out(`digests: session ${m.digests.sessionDigest}, summary ${m.digests.summaryDigest}, market data ${m.digests.marketDataDigest}`);
  out(`content ${m.contentDigest}, manifest ${m.manifestDigest}`);
  return 0;
}

/** Returns digestOf(the per-instrument scenario and runner configuration) the recorded session settings give today, as the main job records it. */
function scenarioDigestToday(sessionEnv: Readonly<Record<string, string>>): string {
  const reader = new EnvReader(sessionEnv);
  const session = readLaneSessionConfig(reader);
  reader.done();
  return digestOf(Object.fromEntries(session.instruments.map((i) => [i, { scenario: laneScenario(session, i), runner: laneRunnerConfig(session, i) }])));
}

/** How many differences after the first the text output lists. */
const MAX_ALSO = 8;

function printVerdict(id: string, verdict: SessionVerdict, json: boolean): void {
  if (json) {
    out(JSON.stringify({ sessionId: id, ok: verdictExitCode(verdict) === 0, ...verdict }, null, 2));
    return;
  }
  out(verdict.integrity.length === 0 ? 'integrity: manifest and summary.json intact' : verdict.integrity.map((p) => `integrity: ${p.field}: ${p.message}`).join('\n'));
  for (const note of verdict.notes) out(`note: ${note}`);
  if (verdict.parity.length === 0) out('parity: identical');
  else {
    out(`parity: first difference: ${formatDifference(verdict.parity[0]!)}`);
    const more = verdict.parity.slice(1);
    for (const d of more.slice(0, MAX_ALSO)) out(`  also: ${formatDifference(d)}`);
    if (more.length > MAX_ALSO) out(`  … and ${more.length - MAX_ALSO} more (--json lists them all)`);
  }
}

async function verifySession(command: Extract<SessionsCommand, { action: 'verify' }>): Promise<number> {
  const s = requireSession(command.outDir, command.id);
  const fail = (problems: SessionManifestProblem[]): number => {
    printVerdict(command.id, { integrity: problems, parity: [], notes: [] }, command.json);
    return 1;
  };
  if (s.readError) return fail([{ field: 'files', message: s.readError }]);
  if (s.manifest === undefined) return fail([{ field: 'manifest.json', message: `missing in ${s.dir}` }]);
  if (s.summary === undefined) return fail([{ field: 'summary.json', message: `missing in ${s.dir}` }]);
  const problems = verifySessionManifest(s.manifest);
  const m = s.manifest as SessionManifest;
  if (problems.some((p) => !DIGEST_FIELDS.has(p.field))) return fail(problems);
  if (!(FLEET_SCENARIOS as readonly string[]).includes(m.createdFrom.scenario)) {
    return fail([...problems, { field: 'createdFrom.scenario', message: `is not a fleet scenario (${FLEET_SCENARIOS.join(', ')}); received ${JSON.stringify(m.createdFrom.scenario)}` }]);
  }
  const sessionEnv = recordedSessionEnv(m.config);
  if (sessionEnv === undefined) return fail([...problems, { field: 'config.session', message: 'records no fleet session settings: the session was not run by the fleet main job' }]);
  if (m.sessionId !== command.id) problems.push({ field: 'sessionId', message: `the manifest in ${s.dir} names session ${m.sessionId}` });
  const stack = stackSettings(process.env, ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL']);
  if (!command.json) out(`session ${command.id}: reading its log back from Kafka (${m.createdFrom.scenario}, seed ${m.createdFrom.seed}, ${m.createdFrom.durationSeconds} s) ...`);
  const { client, codec } = kafkaOf(stack, 'fleet-sessions-verify');
  const log = await readSessionLog({ client, codec, prefix: `${m.sessionId}.`, ends: manifestEnds(m.topics) });
  const recount = recountSession(m.sessionId, m.createdFrom, log.records, log.deadLetters.length, { catalogueDigest: digestOf(AVRO_SCHEMAS), scenarioDigest: scenarioDigestToday(sessionEnv) });
  const judged = judgeSession(m, problems, s.summary, recount);
  // Which code recorded it: named when parity failed (the log is what that code wrote).
  const recorded = m.codeVersion;
  const codeNotes = judged.parity.length > 0 ? [`recorded with ${recorded.packageVersion} at ${recorded.gitCommit}${recorded.gitTreeDirty ? ' (dirty tree)' : ''}; verified with ${readCodeVersion().gitCommit}: a difference in a summary figure may be a change in how the log is summarised`] : [];
  const verdict = { ...judged, notes: [...judged.notes, ...codeNotes] };
  printVerdict(command.id, verdict, command.json);
  return verdictExitCode(verdict);
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseSessionsArgs(argv);
  switch (command.action) {
    case 'help':
      out(SESSIONS_USAGE);
      return 0;
    case 'list':
      return listSessions(command);
    case 'show':
      return showSession(command);
    case 'verify':
      return verifySession(command);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`sessions: ${message}\n${error instanceof SessionArgsError ? `${SESSIONS_USAGE}\n` : ''}`);
    process.exit(error instanceof SessionArgsError ? 2 : 1);
  },
);
