/**
 * The main job: one paper-trading session through the whole fleet.
 *
 *   tools/fleet run [--scenario calm-then-volatile] [--seed 1] [--duration 60] [--instruments ETH-PERP]
 *                   [--tick-ms 250] [--venues 2] [--window 1] [--live] [--out out/sessions]
 *
 * It provisions the session's topics (prefixed with the session id, so sessions never share a
 * log) and schemas, starts the nine services as separate processes, lets market-gateway clock
 * the scenario through the fleet in lock-step with a live progress line, reads the session back
 * from the log, prints the summary in the one parseable format and writes summary.json and
 * manifest.json under out/sessions/<id>/. Ctrl-C stops every service cleanly.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSessionManifest, deriveSessionId, marketDataChain, SESSION_MANIFEST_FILE, SESSION_SUMMARY_FILE, type SessionPartitionRange } from '@fleet/audit';
import { ALL_TOPICS, AVRO_SCHEMAS, Topics } from '@fleet/contracts';
import { canonicalJson, digestOf } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { type AdminPort, KafkaJsClient, parseBrokers } from '@fleet/kafka';
import { formatSessionSummary, summaryRecordOf } from '@fleet/research';
import { EnvReader, laneRunnerConfig, laneScenario, prefixedTopic, readLaneSessionConfig } from '@fleet/service';
import { FleetSession, type FleetProgress } from '@fleet/fleet-session';
import { canonicalOrder, commandLatency, sessionFigures } from '@fleet/fleet-session';
import { parseSessionArgs, SessionArgsError, sessionEnvOf, type SessionArgs } from './session-args';
import { readCodeVersion, writeFileAtomically } from './session-files';
import { fleetSummaryFile } from './session-record';

const progress = (text: string): void => {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
};

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new SessionArgsError(`${name} is not set; start the stack with \`tools/fleet stack up\` (it writes .local/stack.env)`);
  return value;
}

/** Returns every topic's end offset (high watermark) per partition, under `prefix`. */
async function endOffsets(admin: AdminPort, prefix: string): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  for (const topic of ALL_TOPICS) {
    const marks = await admin.fetchTopicOffsets(prefixedTopic(topic, prefix).name);
    out.set(topic.name, new Map(marks.map((m) => [m.partition, m.high])));
  }
  return out;
}

function offsetRanges(end: Map<string, Map<number, string>>): Record<string, SessionPartitionRange[]> {
  const out: Record<string, SessionPartitionRange[]> = {};
  for (const [topic, parts] of end) out[topic] = [...parts.keys()].sort((a, b) => a - b).map((partition) => ({ partition, start: '0', end: parts.get(partition)! }));
  return out;
}

/** Returns the session's configuration as every service derives it: the session settings and each instrument's runner configuration. */
function sessionConfig(args: SessionArgs, run: number): { readonly env: Record<string, string>; readonly config: unknown } {
  const env = sessionEnvOf(args);
  const reader = new EnvReader(env);
  const session = readLaneSessionConfig(reader);
  reader.done();
  const lanes = Object.fromEntries(session.instruments.map((i) => [i, { scenario: laneScenario(session, i), runner: laneRunnerConfig(session, i) }]));
  return { env, config: { session: env, run, lanes } };
}

/** Picks the first run number whose session id has no topics yet, so a rerun of the same configuration gets a fresh log. */
async function freshSession(admin: AdminPort, args: SessionArgs): Promise<{ sessionId: string; env: Record<string, string>; config: unknown; createdFrom: { scenario: string; seed: number; durationSeconds: number } }> {
  const topics = new Set(await admin.listTopics());
  const createdFrom = { scenario: args.scenario, seed: args.seed, durationSeconds: args.durationSeconds };
  for (let run = 1; ; run++) {
    const { env, config } = sessionConfig(args, run);
    const sessionId = deriveSessionId(createdFrom, config);
    if (!topics.has(prefixedTopic(Topics.mdBook, `${sessionId}.`).name)) return { sessionId, env, config, createdFrom };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSessionArgs(argv);
  if (args.help) {
    process.stdout.write(`${SESSION_USAGE}\n`);
    return 0;
  }
  const brokers = requireEnv('KAFKA_BROKERS');
  const client = new KafkaJsClient({ clientId: 'fleet-main-job', brokers: parseBrokers(brokers), logLevel: 'NOTHING' });
  const admin = client.admin();
  await admin.connect();
  try {
    const { sessionId, env, config, createdFrom } = await freshSession(admin, args);
    const ticks = Math.ceil((args.durationSeconds * 1000) / args.tickMs) + 1;
    progress(`session ${sessionId}: ${args.scenario}, seed ${args.seed}, ${args.durationSeconds} s simulated in ${ticks} ticks of ${args.tickMs} ms, instruments ${args.instruments.join(',')}\n`);
    const outDir = join(args.outDir, sessionId);
    mkdirSync(outDir, { recursive: true });
    const session = new FleetSession({
      sessionId,
      brokers,
      registryUrl: requireEnv('SCHEMA_REGISTRY_URL'),
      redisUrl: requireEnv('REDIS_URL'),
      sessionEnv: env,
      instruments: args.instruments,
      auditDir: resolve(outDir, 'audit'),
      distDir: resolve('dist'),
      log: (line) => progress(`${line}\n`),
    });
    let interrupted = false;
    process.once('SIGINT', () => {
      interrupted = true;
      progress('\ninterrupted: stopping the fleet ...\n');
      void session.stop().then(() => process.exit(130));
    });
    const started = performance.now();
    await session.start();
    const show = (p: FleetProgress): void => progress(`tick ${p.completedTicks}/${ticks}  records ${p.records}  order commands ${p.orderCommands}  fills ${p.fills}  ${((performance.now() - started) / 1000).toFixed(0)} s`);
    try {
      await session.waitForTicks(ticks, Math.max(600_000, ticks * 2_000), show);
    } catch (error) {
      if (interrupted) return 130;
      await session.stop();
      throw error;
    }
    show(session.progress());
    progress('\n');
    await session.stop();
    const wallSeconds = (performance.now() - started) / 1000;
    const records = session.records;
    const summaryFile = fleetSummaryFile(sessionId, createdFrom, records, session.deadLetters.length);
    const figures = sessionFigures(records);
    const latency = commandLatency(records);
    const md = canonicalOrder(records).filter((r) => r.topic.startsWith('md.'));
    const corrupt = md.filter((r) => checkEnvelope(r.value as never) !== undefined).length;
    const text = formatSessionSummary(summaryRecordOf(summaryFile.summary, summaryFile.sessionDigest));
    const rss = session.processes.map((p) => `${p.instance}=${(p.peakRssKb / 1024).toFixed(0)}MB`).join(' ');
    process.stdout.write(
      `session_id: ${sessionId}\nticks: ${figures.ticks}\nevents: ${records.length}\nmarket_events: ${md.length}\ndead_letters: ${session.deadLetters.length}\nwall_seconds: ${wallSeconds.toFixed(1)}\n` +
        `tick_to_order_command_ms: p50 ${latency.p50Ms} p99 ${latency.p99Ms} max ${latency.maxMs} over ${latency.commands} commands\npeak_rss: ${rss}\n${text}`,
    );
    const manifest = buildSessionManifest({
      createdFrom: { ...createdFrom, scenarioDigest: digestOf((config as { lanes: unknown }).lanes) },
      config,
      codeVersion: readCodeVersion(),
      schemas: { subjects: {}, catalogueDigest: digestOf(AVRO_SCHEMAS) },
      topics: offsetRanges(await endOffsets(admin, `${sessionId}.`)),
      digests: { sessionDigest: figures.digest, summaryDigest: digestOf(summaryFile), marketDataDigest: marketDataChain(md.map((r) => r.value.envelope.eventId)) },
      counts: { scenarioEvents: md.length, marketDataPublished: md.length, marketDataVerified: md.length - corrupt },
    });
    // summary first, manifest last: a directory with a manifest is a complete session.
    writeFileAtomically(join(outDir, SESSION_SUMMARY_FILE), `${JSON.stringify(summaryFile, null, 2)}\n`);
    writeFileAtomically(join(outDir, SESSION_MANIFEST_FILE), `${canonicalJson(manifest)}\n`);
    process.stdout.write(`manifest_digest: ${manifest.manifestDigest}\ncontent_digest: ${manifest.contentDigest}\n`);
    process.stderr.write(`summary and manifest written to ${outDir}\n`);
    return corrupt > 0 ? 1 : 0;
  } finally {
    await admin.disconnect();
  }
}

const SESSION_USAGE = `usage: tools/fleet run [--scenario calm-then-volatile|calm|volatile|venue-outage|funding-flip|basis-spike|loss-limit] [--seed N] [--duration SECONDS] [--instruments ETH-PERP,BTC-PERP] [--tick-ms MS] [--venues 2|3] [--window TICKS] [--live] [--out DIR]`;

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nsession failed: ${message}\n${error instanceof SessionArgsError ? SESSION_USAGE + '\n' : ''}`);
    process.exit(error instanceof SessionArgsError ? 2 : 1);
  },
);
