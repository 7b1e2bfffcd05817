/**
 * Finds, shows and verifies past sessions by id.
 *
 *   npx tsx tools/src/session/sessions.ts list [--out out/sessions] [--json]
 *   npx tsx tools/src/session/sessions.ts show <id> [--out DIR] [--json]
 *   npx tsx tools/src/session/sessions.ts verify <id> [--out DIR] [--json]
 *
 * verify checks the manifest's digests and summary.json against its digest, then replays the
 * session's decisions in process from the recorded scenario, seed and config and requires the
 * same session digest, market-data chain and summary. Exit 0 ok, 1 mismatch, 2 usage.
 */
import { marketDataChain, verifySessionManifest, type SessionManifest, type SessionManifestProblem } from '@fleet/audit';
import { AVRO_SCHEMAS } from '@fleet/contracts';
import { digestOf, presetScenario, runnerConfigForScenario, runSession, type RunnerConfig } from '@fleet/core';
import { marketDataRecords } from './market-data';
import { SESSION_SCENARIOS, SessionArgsError, type SessionScenario } from './session-args';
import { listStoredSessions, readCodeVersion, readStoredSession, type StoredSession } from './session-files';
import { formatDifference, judgeSession, verdictExitCode, type SessionReplay, type SessionVerdict } from './session-record';
import { parseSessionsArgs, SESSIONS_USAGE, type SessionsCommand } from './sessions-args';

const out = (text: string): void => void process.stdout.write(`${text}\n`);

/** The fields the digest checks report; any other manifest problem is a malformed manifest that cannot be replayed. */
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
  out(`counts: ${m.counts.scenarioEvents} scenario events, ${m.counts.marketDataPublished} published, ${m.counts.marketDataVerified} read back`);
  out(`digests: session ${m.digests.sessionDigest}, summary ${m.digests.summaryDigest}, market data ${m.digests.marketDataDigest}`);
  out(`content ${m.contentDigest}, manifest ${m.manifestDigest}`);
  return 0;
}

/** Replays the session in process from its recorded scenario, seed and config. */
function replaySession(m: SessionManifest): SessionReplay {
  const { scenario: name, seed, durationSeconds } = m.createdFrom;
  const scenario = presetScenario(name as SessionScenario, { durationUs: durationSeconds * 1_000_000 });
  const today = runnerConfigForScenario(scenario);
  const configDigestToday = digestOf(today);
  // The same content either way; today's object keeps the preset's own key order.
  const config = configDigestToday === m.configDigest ? today : (m.config as RunnerConfig);
  const result = runSession(config, scenario, seed, { recordActions: false });
  return {
    scenarioDigest: digestOf(scenario),
    configDigestToday,
    marketDataDigest: marketDataChain(marketDataRecords(scenario, seed).eventIds),
    catalogueDigest: digestOf(AVRO_SCHEMAS),
    summaryFile: {
      sessionId: m.sessionId,
      createdFrom: { scenario: name, seed, durationSeconds },
      kafka: { published: m.counts.marketDataPublished, verified: m.counts.marketDataVerified },
      summary: result.summary,
      sessionDigest: result.digest,
    },
  };
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

function verifySession(command: Extract<SessionsCommand, { action: 'verify' }>): number {
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
  if (!(SESSION_SCENARIOS as readonly string[]).includes(m.createdFrom.scenario)) {
    return fail([...problems, { field: 'createdFrom.scenario', message: `is not a preset scenario (${SESSION_SCENARIOS.join(', ')}); received ${JSON.stringify(m.createdFrom.scenario)}` }]);
  }
  if (m.sessionId !== command.id) problems.push({ field: 'sessionId', message: `the manifest in ${s.dir} names session ${m.sessionId}` });
  if (!command.json) out(`session ${command.id}: replaying ${m.createdFrom.scenario}, seed ${m.createdFrom.seed}, ${m.createdFrom.durationSeconds} s ...`);
  const judged = judgeSession(m, problems, s.summary, replaySession(m));
  // Which code replayed it: named when it is another commit, or when parity failed (a dirty tree may differ too).
  const code = readCodeVersion();
  const recorded = m.codeVersion;
  const codeNotes =
    code.gitCommit !== recorded.gitCommit || judged.parity.length > 0
      ? [`recorded with ${recorded.packageVersion} at ${recorded.gitCommit}${recorded.gitTreeDirty ? ' (dirty tree)' : ''}; replayed with ${code.packageVersion} at ${code.gitCommit}${code.gitTreeDirty ? ' (dirty tree)' : ''}: a parity difference may be a code change`]
      : [];
  const verdict = { ...judged, notes: [...judged.notes, ...codeNotes] };
  printVerdict(command.id, verdict, command.json);
  return verdictExitCode(verdict);
}

function main(argv: readonly string[]): number {
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

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sessions: ${message}\n${error instanceof SessionArgsError ? `${SESSIONS_USAGE}\n` : ''}`);
  process.exitCode = error instanceof SessionArgsError ? 2 : 1;
}
