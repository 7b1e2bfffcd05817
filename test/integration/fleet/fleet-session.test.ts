/**
 * End-to-end sessions through the whole fleet against the REAL stack: the nine services run as
 * separate processes from the compiled dist, exactly as the main job starts them. Each session
 * has its own topic prefix; no Kafka, registry or Redis is mocked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OrderCommand, type RiskDecision, type RiskState, Topics } from '@fleet/contracts';
import { createRedis } from '@fleet/state';
import { FleetSession, type FleetSessionOptions } from '@fleet/fleet-session';
import { type LoggedRecord, sessionFigures } from '@fleet/fleet-session';
import { env, runId } from '../kafka/fixtures';

const repoRoot = join(__dirname, '..', '..', '..');
const TICK_MS = 250;
/** A whole session on a slow, shared machine: generous, never a performance assertion. */
const SESSION_TIMEOUT_MS = 900_000;

/** A short session that quotes, fills, hedges and exits: a tight hedge band and exits without a volatility buffer. */
const ACTIVE: Record<string, string> = {
  FLEET_SCENARIO: 'calm-then-volatile',
  FLEET_SEED: '1',
  FLEET_DURATION_S: '30',
  FLEET_TICK_MS: String(TICK_MS),
  FLEET_VENUE_COUNT: '2',
  FLEET_INSTRUMENTS: 'ETH-PERP',
  FLEET_HEDGE_BAND_BASE: '0.2',
  FLEET_EXIT_EDGE_MIN_USD: '0',
  FLEET_EXIT_VOL_BUFFER_MULT: '0',
  FLEET_LOCKSTEP_WINDOW: '1',
};

const ticksOf = (sessionEnv: Record<string, string>): number => Math.ceil((Number(sessionEnv.FLEET_DURATION_S) * 1000) / Number(sessionEnv.FLEET_TICK_MS)) + 1;

interface Run {
  readonly session: FleetSession;
  readonly records: readonly LoggedRecord[];
}

function newSession(name: string, sessionEnv: Record<string, string>, extra: Partial<FleetSessionOptions> = {}): FleetSession {
  return new FleetSession({
    sessionId: `e2e-${name}-${runId()}`,
    brokers: env('KAFKA_BROKERS'),
    registryUrl: env('SCHEMA_REGISTRY_URL'),
    redisUrl: env('REDIS_URL'),
    sessionEnv,
    instruments: sessionEnv.FLEET_INSTRUMENTS!.split(','),
    auditDir: mkdtempSync(join(tmpdir(), 'fleet-e2e-audit-')),
    distDir: join(repoRoot, 'dist'),
    basePort: 19400,
    ...extra,
  });
}

/** Runs a whole session; `during` runs once the fleet has completed `atTick` ticks (chaos). */
async function run(name: string, sessionEnv: Record<string, string>, extra: Partial<FleetSessionOptions> = {}, during?: { atTick: number; act: (s: FleetSession) => Promise<void> }): Promise<Run> {
  const session = newSession(name, sessionEnv, extra);
  try {
    await session.start();
    if (during) {
      await session.waitForTicks(during.atTick, 600_000);
      await during.act(session);
    }
    await session.waitForTicks(ticksOf(sessionEnv), 900_000);
  } finally {
    await session.stop();
  }
  return { session, records: [...session.records] };
}

const of = <T>(records: readonly LoggedRecord[], topic: string): (LoggedRecord & { value: T })[] => records.filter((r) => r.topic === topic) as never;

describe('the fleet, end to end', () => {
  let active: Run;

  beforeAll(() => {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'build', 'link-dist.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  });

  it('completes a short session with quotes on every venue, fills, a hedge and an exit', async () => {
    active = await run('active', ACTIVE);
    const f = sessionFigures(active.records);
    expect(f.ticks).toBe(ticksOf(ACTIVE));
    expect(Object.keys(f.quotesByVenue).sort()).toEqual(['venue-a', 'venue-b']);
    expect(f.fills).toBeGreaterThan(0);
    expect(f.hedges).toBeGreaterThan(0);
    expect(f.exits).toBeGreaterThan(0);
    expect(active.session.deadLetters).toEqual([]);
  }, SESSION_TIMEOUT_MS);

  it('sends no order command without an approval and a reservation made before it', () => {
    const approved = new Map<string, number>();
    for (const d of of<RiskDecision>(active.records, Topics.riskDecision.name)) if (d.value.outcome === 'APPROVED') approved.set(d.value.intentId, d.tick);
    const reserved = new Map<string, number>();
    for (const r of of<{ kind: string; clientOrderId: string | null }>(active.records, Topics.budgetDelta.name)) if (r.value.kind === 'RESERVE' && r.value.clientOrderId !== null) reserved.set(r.value.clientOrderId, r.tick);
    const places = of<OrderCommand>(active.records, Topics.orderCommand.name).filter((c) => c.value.kind === 'PLACE');
    expect(places.length).toBeGreaterThan(0);
    for (const c of places) {
      expect(approved.get(c.value.intentId!)).toBe(c.tick);
      expect(reserved.get(c.value.clientOrderId!)).toBe(c.tick);
      expect(c.value.envelope.causation.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives the same session digest and decisions on a second run, with a malformed market-data record dead-lettered on the way', async () => {
    const again = await run('again', ACTIVE, { serviceEnv: { 'market-gateway': { FLEET_INJECT_MALFORMED_AT_TICK: '5' } } });
    expect(again.session.deadLetters.length).toBeGreaterThan(0);
    expect(new Set(again.session.deadLetters.map((d) => d.topic.slice(d.topic.lastIndexOf(Topics.mdBook.name))))).toEqual(new Set([Topics.mdBook.name]));
    const [a, b] = [sessionFigures(active.records), sessionFigures(again.records)];
    expect(b.decisions).toBe(a.decisions);
    expect(b.digest).toBe(a.digest);
  }, SESSION_TIMEOUT_MS);

  it('recovers from the log when its Redis state is flushed mid-session and the services restart, with the same digest', async () => {
    const chaos = await run('flush', ACTIVE, {}, {
      atTick: Math.floor(ticksOf(ACTIVE) / 2),
      act: async (s) => {
        // Five services go down, everything this session keeps in Redis (its lane snapshots) goes
        // — nothing of other sessions — and the five come back with no snapshot to load.
        const victims = ['fair-value', 'quoting', 'risk-shield', 'budget-ledger', 'execution-router'] as const;
        for (const service of victims) await s.kill(service, 0, false);
        const redis = createRedis(env('REDIS_URL'));
        const keys = await redis.keys(`fleet:*:snapshot:${s.prefix}*`);
        expect(keys.length).toBeGreaterThanOrEqual(7);
        await redis.del(...keys);
        redis.disconnect();
        for (const service of victims) s.addInstance(service, 0);
      },
    });
    const rebuilt = chaos.session.processes.flatMap((p) => p.output.filter((l) => l.includes('"event":"lane-started"') && l.includes('"from":"log"')));
    expect(rebuilt.length).toBeGreaterThanOrEqual(5);
    expect(sessionFigures(chaos.records).digest).toBe(sessionFigures(active.records).digest);
  }, SESSION_TIMEOUT_MS);

  it('latches the kill switch on a loss limit, after which no order command appears', async () => {
    const loss = await run('loss', { ...ACTIVE, FLEET_SCENARIO: 'loss-limit' });
    const killed = of<RiskState>(loss.records, Topics.riskState.name).filter((s) => s.value.killSwitch);
    expect(killed.length).toBeGreaterThan(0);
    const latchedAt = Math.min(...killed.map((s) => s.tick));
    expect(killed[0]!.value.killReason).not.toBeNull();
    const later = of<OrderCommand>(loss.records, Topics.orderCommand.name).filter((c) => c.tick > latchedAt);
    expect(later).toEqual([]);
    expect(of<OrderCommand>(loss.records, Topics.orderCommand.name).length).toBeGreaterThan(0);
  }, SESSION_TIMEOUT_MS);

  it('splits the lanes of two instruments between two instances with the same digest and decisions as one', async () => {
    const two = { ...ACTIVE, FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_DURATION_S: '10' };
    const single = await run('one-instance', two);
    const scaled = await run('two-instances', two, { instances: { quoting: 2, 'risk-shield': 2 } });
    const owners = scaled.session.processes.filter((p) => p.service === 'quoting').map((p) => p.output.filter((l) => l.includes('"event":"lane-started"')).length);
    expect(owners.every((n) => n >= 1)).toBe(true);
    const [a, b] = [sessionFigures(single.records), sessionFigures(scaled.records)];
    expect(b.decisions).toBe(a.decisions);
    expect(b.digest).toBe(a.digest);
  }, SESSION_TIMEOUT_MS);
});
