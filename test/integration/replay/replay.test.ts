/**
 * Replay and the Why chain against the REAL stack and the compiled fleet (`npm run build`):
 * the main job records a short session; `sessions verify` reads it back; every decision
 * service is replayed in shadow mode (its own group, its own topic prefix) and must reproduce
 * every recorded decision, with the same consumption order; risk-shield replayed with one
 * changed setting must report its first divergence at the earliest decision that differs, as
 * computed here independently from both logs; a reset replay rebuilds a service's lanes from
 * the log without re-emitting a closed tick; and the why command and server explain a fill.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AVRO_SCHEMAS, type ContractName, type TopicSpec, Topics } from '@fleet/contracts';
import { AvroCodec, HttpSchemaRegistry, KafkaJsClient, LANE_HEADER, laneOf, parseBrokers } from '@fleet/kafka';
import { prefixedTopic, readLanePartition } from '@fleet/service';

jest.setTimeout(3_600_000);

const repoRoot = join(__dirname, '..', '..', '..');
const SERVICES = ['audit-writer', 'fair-value', 'quoting', 'hedge', 'exit', 'risk-shield', 'budget-ledger', 'execution-router', 'market-gateway'];
const DECISION_SERVICES = ['fair-value', 'quoting', 'hedge', 'exit', 'risk-shield', 'budget-ledger', 'execution-router'];
/** Services that write in every session (hedge and exit may have nothing to do in ten calm seconds). */
const ALWAYS_WRITING = new Set(['fair-value', 'quoting', 'risk-shield', 'budget-ledger', 'execution-router']);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tools/src command with tsx from the repository root and returns its exit code and output. */
function tool(script: string, args: readonly string[], timeoutMs = 1_200_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'tools', 'src', script), ...args], { cwd: repoRoot, env: process.env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

interface ShadowJson {
  readonly shadowPrefix: string;
  readonly toTick: number;
  readonly parity: { readonly compared: number; readonly identical: number; readonly firstDivergence: { tick: number; partition: number; topic: string; index: number } | null };
  readonly consumption: { readonly compared: number; readonly identical: number; readonly replayedInputs: number };
  readonly speed: { readonly inputEvents: number; readonly wallSeconds: number; readonly eventsPerSecond: number; readonly processingSeconds: number; readonly processingEventsPerSecond: number };
}

function parseJson<T>(run: Run, what: string): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`${what} exited ${run.code} without a JSON report:\n${run.stdout}\n${run.stderr}`);
  }
}

/** One decoded data record of a lane, as this test reads it. */
interface LaneRecord {
  readonly topic: string;
  readonly partition: number;
  readonly tick: number;
  readonly producer: string;
  readonly eventId: string;
  readonly digest: string;
  readonly value: Record<string, unknown>;
}

const INSTRUMENT = 'ETH-PERP';
let readers = 0;

/** Reads lane `lane` of `specs` under `prefix` to its end: data records only (tick marks skipped), decoded. */
async function readLane(client: KafkaJsClient, codec: AvroCodec, prefix: string, specs: readonly TopicSpec[], lane: number): Promise<LaneRecord[]> {
  readers += 1;
  const log = await readLanePartition(client, specs.map((s) => prefixedTopic(s, prefix).name), lane, `${prefix}replay-it.${process.pid}.${readers}`);
  const out: LaneRecord[] = [];
  for (const spec of specs) {
    for (const r of log.get(prefixedTopic(spec, prefix).name) ?? []) {
      if (r.headers[LANE_HEADER.mark] !== undefined) continue;
      const { value } = await codec.decode<{ envelope: { eventId: string; digest: string } }>(r.value, AVRO_SCHEMAS[spec.valueType as ContractName]!);
      out.push({ topic: spec.name, partition: lane, tick: Number(r.headers[LANE_HEADER.tick]), producer: r.headers[LANE_HEADER.producer] ?? '', eventId: value.envelope.eventId, digest: value.envelope.digest, value: value as unknown as Record<string, unknown> });
    }
  }
  return out;
}

const PIPELINE = [Topics.fvState.name, Topics.strategyIntent.name, Topics.riskState.name, Topics.riskDecision.name, Topics.budgetDelta.name, Topics.orderCommand.name, Topics.positionState.name, Topics.orderEvent.name];

/**
 * The earliest (tick, lane, topic) whose decisions differ between two logs, found by comparing
 * the multiset of (eventId, digest) per (tick, lane, topic): written here from scratch, not with
 * the replay's own comparison.
 */
function earliestDifference(recorded: readonly LaneRecord[], replayed: readonly LaneRecord[]): { tick: number; partition: number; topic: string } | undefined {
  const bag = (records: readonly LaneRecord[]): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const r of records) {
      if (!PIPELINE.includes(r.topic)) continue;
      const key = `${r.tick}|${r.partition}|${r.topic}`;
      out.set(key, [...(out.get(key) ?? []), `${r.eventId}:${r.digest}`]);
    }
    for (const list of out.values()) list.sort();
    return out;
  };
  const a = bag(recorded);
  const b = bag(replayed);
  const differing = [...new Set([...a.keys(), ...b.keys()])]
    .filter((k) => JSON.stringify(a.get(k) ?? []) !== JSON.stringify(b.get(k) ?? []))
    .map((k) => {
      const [tick, partition, topic] = k.split('|');
      return { tick: Number(tick), partition: Number(partition), topic: topic! };
    })
    .sort((x, y) => x.tick - y.tick || x.partition - y.partition || PIPELINE.indexOf(x.topic) - PIPELINE.indexOf(y.topic));
  return differing[0];
}

describe('replay and why on a recorded fleet session', () => {
  let outDir: string;
  let sessionId: string;
  const speeds: string[] = [];
  const client = new KafkaJsClient({ clientId: 'replay-it', brokers: parseBrokers(process.env.KAFKA_BROKERS ?? ''), logLevel: 'NOTHING' });
  const codec = new AvroCodec(new HttpSchemaRegistry(process.env.SCHEMA_REGISTRY_URL ?? ''));

  beforeAll(async () => {
    // The services run compiled, as in production (Nest needs tsc's decorator metadata).
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'build', 'link-dist.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    const missing = SERVICES.filter((s) => !existsSync(join(repoRoot, 'dist', 'services', s, 'src', 'main.js')));
    if (missing.length > 0) throw new Error(`the build left no ${missing.join(', ')} under dist/services`);
    outDir = await mkdtemp(join(tmpdir(), 'replay-it-'));
    const session = await tool('session/main.ts', ['--scenario', 'calm-then-volatile', '--seed', '7', '--duration', '10', '--out', outDir]);
    const id = /^session_id: ([0-9a-f]{24})$/m.exec(session.stdout)?.[1];
    if (session.code !== 0 || id === undefined) throw new Error(`the main job failed (exit ${session.code}):\n${session.stdout}\n${session.stderr}`);
    sessionId = id;
  });

  afterAll(async () => {
    process.stdout.write(`replay speeds:\n${speeds.join('\n')}\n`);
    await rm(outDir, { recursive: true, force: true });
  });

  it('verifies the recorded session by reading its log back', async () => {
    const run = await tool('session/sessions.ts', ['verify', sessionId, '--out', outDir]);
    expect(run.stdout).toContain('parity: identical');
    expect(run.code).toBe(0);
  });

  it.each(DECISION_SERVICES)('replays %s in shadow mode with every decision identical', async (service) => {
    const run = await tool('replay/replay.ts', ['--session', sessionId, '--service', service, '--out', outDir, '--json']);
    const report = parseJson<ShadowJson>(run, `replay of ${service}`);
    const v = report.speed;
    speeds.push(`  ${service}: ${report.parity.identical}/${report.parity.compared} identical; ${v.inputEvents} input events, ${v.eventsPerSecond.toFixed(0)} events/s from process start (${v.wallSeconds.toFixed(1)} s), ${v.processingEventsPerSecond.toFixed(0)} events/s processing (${v.processingSeconds.toFixed(1)} s)`);
    expect(report.parity.firstDivergence).toBeNull();
    expect(report.parity.identical).toBe(report.parity.compared);
    if (ALWAYS_WRITING.has(service)) expect(report.parity.compared).toBeGreaterThan(0);
    expect(report.consumption.identical).toBe(report.consumption.compared);
    expect(report.consumption.compared).toBe(report.toTick + 1);
    expect(run.code).toBe(0);
  });

  it('reports the first divergence of risk-shield replayed with another loss limit at the earliest decision that differs', async () => {
    const run = await tool('replay/replay.ts', ['--session', sessionId, '--service', 'risk-shield', '--set', 'FLEET_SCENARIO=loss-limit', '--out', outDir, '--json']);
    const report = parseJson<ShadowJson>(run, 'replay of risk-shield with FLEET_SCENARIO=loss-limit');
    expect(run.code).toBe(1);
    const lane = laneOf(INSTRUMENT, Topics.riskState.partitions);
    const recorded = await readLane(client, codec, `${sessionId}.`, [Topics.riskState, Topics.riskDecision], lane);
    const replayed = await readLane(client, codec, report.shadowPrefix, [Topics.riskState, Topics.riskDecision], lane);
    const expected = earliestDifference(
      recorded.filter((r) => r.producer === 'risk-shield' && r.tick <= report.toTick),
      replayed.filter((r) => r.tick <= report.toTick),
    );
    expect(expected).toBeDefined();
    const d = report.parity.firstDivergence!;
    expect({ tick: d.tick, partition: d.partition, topic: d.topic }).toEqual(expected);
    expect(report.parity.identical).toBeLessThan(report.parity.compared);
    const text = await tool('replay/replay.ts', ['--session', sessionId, '--service', 'risk-shield', '--set', 'FLEET_SCENARIO=loss-limit', '--to-tick', String(d.tick), '--out', outDir]);
    expect(text.stdout).toContain(`first divergence: tick ${d.tick}, lane ${d.partition}, topic ${d.topic}`);
    expect(text.stdout).toMatch(/^ {2}\* \S/m);
  });

  it('refuses a reset replay without the acknowledgement, and rebuilds fair-value in place without re-emitting a closed tick', async () => {
    const refused = await tool('replay/replay.ts', ['--session', sessionId, '--service', 'fair-value', '--mode', 'reset', '--out', outDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--i-know-outputs-duplicate');
    const run = await tool('replay/replay.ts', ['--session', sessionId, '--service', 'fair-value', '--mode', 'reset', '--i-know-outputs-duplicate', '--out', outDir, '--json']);
    const report = parseJson<{ topics: { partitions: { after: string }[] }[]; lanes: { from: string; replayedTicks: number }[]; reemitted: { replayed: number } }>(run, 'reset replay of fair-value');
    expect(report.topics.length).toBeGreaterThan(0);
    expect(report.topics.flatMap((t) => t.partitions.map((p) => p.after)).every((o) => o === '0')).toBe(true);
    expect(report.lanes.length).toBeGreaterThan(0);
    expect(report.lanes.every((l) => l.from === 'log' && l.replayedTicks > 0)).toBe(true);
    expect(report.reemitted.replayed).toBe(0);
    expect(run.code).toBe(0);
  });

  it('explains a fill from its market data to its position, on the command line and over HTTP', async () => {
    const events = await readLane(client, codec, `${sessionId}.`, [Topics.orderEvent], laneOf(INSTRUMENT, Topics.orderEvent.partitions));
    const filled = events.find((r) => (r.value as { fill?: { fillId: string } | null }).fill != null);
    expect(filled).toBeDefined();
    const fillId = (filled!.value as unknown as { fill: { fillId: string }; clientOrderId: string }).fill.fillId;
    const clientOrderId = (filled!.value as unknown as { clientOrderId: string }).clientOrderId;
    const why = await tool('why/why.ts', ['--session', sessionId, '--fill', fillId, '--out', outDir]);
    expect(why.code).toBe(0);
    expect(why.stdout).toContain('sent to the venue');
    expect(why.stdout).toMatch(/fair value\s+\S+ .*healthy venue/);
    expect(why.stdout).toContain('model inputs:');
    expect(why.stdout).toContain('APPROVED');
    expect(why.stdout).toContain('RESERVE');
    expect(why.stdout).toContain('FILLED');
    const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tools', 'src', 'why', 'why-server.ts'), '--session', sessionId, '--port', '0', '--out', outDir], { cwd: repoRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        server.stderr.on('data', (c: Buffer) => (out += c.toString()));
        server.once('exit', (code) => reject(new Error(`why-server exited ${code}:\n${out}`)));
      });
      const order = await fetch(`${url}/why/order/${clientOrderId}`);
      expect(order.status).toBe(200);
      const body = (await order.json()) as { clientOrderId: string; gate: { gate: string }; venueEvents: { kind: string }[]; fairValue: { healthyVenuesUsed: string[] } };
      expect(body.clientOrderId).toBe(clientOrderId);
      expect(body.gate).toEqual({ gate: 'sent' });
      expect(body.venueEvents.map((e) => e.kind)).toContain('FILLED');
      expect(body.fairValue.healthyVenuesUsed.length).toBeGreaterThan(0);
      expect((await fetch(`${url}/why/fill/unknown`)).status).toBe(404);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
