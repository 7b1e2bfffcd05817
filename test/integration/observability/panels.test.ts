/**
 * The dashboards and alert rules against the REAL Prometheus of the local stack while it scrapes
 * a running fleet: the nine services run as processes from the compiled dist on the ports the
 * stack's file_sd targets list (127.0.0.1:9400-9420), a short active session quotes, fills,
 * hedges and exits (with one malformed market-data record, so the dead-letter path runs too),
 * and while the services are still up after the last tick every panel target and template
 * variable of infra/grafana/dashboards and every rule of infra/prometheus/rules is evaluated
 * through the HTTP API. Every query must evaluate; every dashboard query must return data.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type DashboardQuery, dashboardQueries, durationMs, ruleQueries, type RuleQuery } from '@fleet/fleet-session';
import { FLEET_SERVICES, FleetSession } from '@fleet/fleet-session';
import { env, runId } from '../kafka/fixtures';

const repoRoot = join(__dirname, '..', '..', '..');
const DASHBOARDS_DIR = join(repoRoot, 'infra', 'grafana', 'dashboards');
const RULES_DIR = join(repoRoot, 'infra', 'prometheus', 'rules');
/** The first port of the local stack's fleet scrape targets (infra/prometheus/targets/fleet.json). */
const BASE_PORT = 9400;

/** The active session of the end-to-end fleet test: quotes on both venues, fills, a hedge and an exit. */
const ACTIVE: Record<string, string> = {
  FLEET_SCENARIO: 'calm-then-volatile',
  FLEET_SEED: '1',
  FLEET_DURATION_S: '30',
  FLEET_TICK_MS: '250',
  FLEET_VENUE_COUNT: '2',
  FLEET_INSTRUMENTS: 'ETH-PERP',
  FLEET_HEDGE_BAND_BASE: '0.2',
  FLEET_EXIT_EDGE_MIN_USD: '0',
  FLEET_EXIT_VOL_BUFFER_MULT: '0',
  FLEET_LOCKSTEP_WINDOW: '1',
};
const TICKS = Math.ceil((Number(ACTIVE.FLEET_DURATION_S) * 1000) / Number(ACTIVE.FLEET_TICK_MS)) + 1;

/** The local Prometheus; only the loopback stack is queried. */
function prometheusUrl(): string {
  const url = process.env.PROMETHEUS_URL;
  if (!url) throw new Error('PROMETHEUS_URL is not set: start the local stack (infra/local/up.sh) and source .local/stack.env');
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`PROMETHEUS_URL must be the loopback stack at 127.0.0.1, received ${url}`);
  return url.replace(/\/$/, '');
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly errorType?: string;
  readonly error?: string;
}

async function api<T>(path: string, form?: Record<string, string>): Promise<ApiAnswer<T>> {
  const res = await fetch(`${prometheusUrl()}${path}`, form ? { method: 'POST', body: new URLSearchParams(form) } : undefined);
  return (await res.json()) as ApiAnswer<T>;
}

/** What one instant query gave: an error, or the number of series (a scalar counts as one) and the first one's value. */
interface Evaluation {
  readonly ok: boolean;
  readonly series: number;
  readonly value: number;
  readonly error: string;
}

type Sample = readonly [number, string];

async function evaluate(expr: string, atS: number): Promise<Evaluation> {
  const a = await api<{ resultType: string; result: readonly { value: Sample }[] | Sample }>('/api/v1/query', { query: expr, time: atS.toFixed(3) });
  if (a.status !== 'success' || !a.data) return { ok: false, series: 0, value: Number.NaN, error: `${a.errorType ?? 'error'}: ${a.error ?? 'no data field'}` };
  const r = a.data.result;
  const vector = a.data.resultType === 'vector' || a.data.resultType === 'matrix';
  const series = vector ? (r as readonly unknown[]).length : 1;
  const first = vector ? (r as readonly { value?: Sample }[])[0]?.value : (r as Sample);
  return { ok: true, series, value: first ? Number(first[1]) : Number.NaN, error: '' };
}

interface Target {
  readonly scrapeUrl: string;
  readonly health: string;
  readonly lastScrape: string;
  readonly lastError: string;
  readonly scrapeInterval?: string;
}

interface RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly lastEvaluation: string;
  readonly rules: readonly { readonly name: string; readonly health: string; readonly lastError?: string }[];
}

/** The ports among `ports` on which something already answers HTTP. */
async function answeringPorts(ports: readonly number[]): Promise<number[]> {
  const answers = await Promise.all(ports.map((p) => fetch(`http://127.0.0.1:${p}/metrics`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false)));
  return ports.filter((_, i) => answers[i]);
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until Prometheus has scraped every port twice after `sinceS` (each answering) and has
 * evaluated the fleet's rule groups after that; returns the targets and rule groups it saw.
 */
async function waitForScrapesAndRules(ports: readonly number[], sinceS: number, timeoutMs: number): Promise<{ targets: Target[]; groups: RuleGroup[] }> {
  const deadline = Date.now() + timeoutMs;
  const urls = new Set(ports.map((p) => `http://127.0.0.1:${p}/metrics`));
  for (;;) {
    const targets = ((await api<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).data?.activeTargets ?? []).filter((t) => urls.has(t.scrapeUrl));
    const groups = ((await api<{ groups: RuleGroup[] }>('/api/v1/rules')).data?.groups ?? []).filter((g) => ruleFiles().includes(basename(g.file)));
    const scraped = targets.length === urls.size && targets.every((t) => t.health === 'up' && seconds(t.lastScrape) > sinceS + durationMs(t.scrapeInterval ?? '15s') / 1000);
    const evaluated = groups.length > 0 && groups.every((g) => seconds(g.lastEvaluation) > sinceS);
    if (scraped && evaluated) return { targets, groups };
    if (Date.now() > deadline) {
      const state = targets.map((t) => `${t.scrapeUrl} ${t.health} last ${t.lastScrape} ${t.lastError}`).join('\n');
      throw new Error(`Prometheus did not scrape every fleet port twice and evaluate the rules within ${timeoutMs} ms of the last tick (${targets.length} of ${urls.size} targets found, ${groups.length} rule groups):\n${state}`);
    }
    await sleep(1000);
  }
}

function readDashboardQueries(): DashboardQuery[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => dashboardQueries(basename(f, '.json'), JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8'))));
}

const ruleFiles = (): string[] => readdirSync(RULES_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

function readRuleQueries(): RuleQuery[] {
  return ruleFiles().flatMap((f) => ruleQueries(f, readFileSync(join(RULES_DIR, f), 'utf8')));
}

describe('dashboards and alert rules against Prometheus scraping the fleet', () => {
  const panels = readDashboardQueries();
  const rules = readRuleQueries();
  const panelResults = new Map<DashboardQuery, Evaluation>();
  const ruleResults = new Map<RuleQuery, Evaluation>();
  const scrapes = new Map<number, Evaluation>();
  let ruleGroups: RuleGroup[] = [];

  beforeAll(() => {
    prometheusUrl();
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'build', 'link-dist.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  }, 600_000);

  it('finds the queries of every dashboard and rule file', () => {
    expect(new Set(panels.map((q) => q.dashboard))).toEqual(new Set(readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json'))));
    expect(rules.length).toBeGreaterThan(0);
  });

  it('runs an active session on the scraped ports and evaluates every query while the fleet is still up', async () => {
    const session = new FleetSession({
      sessionId: `obs-panels-${runId()}`,
      brokers: env('KAFKA_BROKERS'),
      registryUrl: env('SCHEMA_REGISTRY_URL'),
      redisUrl: env('REDIS_URL'),
      sessionEnv: ACTIVE,
      instruments: ACTIVE.FLEET_INSTRUMENTS!.split(','),
      serviceEnv: { 'market-gateway': { FLEET_INJECT_MALFORMED_AT_TICK: '5' } },
      auditDir: mkdtempSync(join(tmpdir(), 'fleet-obs-audit-')),
      distDir: join(repoRoot, 'dist'),
      basePort: BASE_PORT,
    });
    const taken = await answeringPorts(FLEET_SERVICES.map((s) => session.portOf(s, 0)));
    if (taken.length > 0) throw new Error(`ports ${taken.join(', ')} already answer /metrics: another fleet (the main job uses the same ports) must stop first`);
    const started = performance.now();
    try {
      await session.start();
      await session.waitForTicks(TICKS, 720_000);
      const done = session.progress();
      expect(done.fills).toBeGreaterThan(0);
      const ports = session.processes.map((p) => p.port);
      ruleGroups = (await waitForScrapesAndRules(ports, Date.now() / 1000, 120_000)).groups;
      const atS = Date.now() / 1000;
      const windowS = Math.ceil((performance.now() - started) / 1000);
      // The local job keeps the services' own labels (honor_labels): the instance is the service's instance name.
      for (const p of session.processes) scrapes.set(p.port, await evaluate(`sum_over_time(up{job="fleet",instance="${p.instance}"}[${windowS}s])`, atS));
      for (const q of panels) panelResults.set(q, await evaluate(q.expr, atS));
      for (const r of rules) ruleResults.set(r, await evaluate(r.expr, atS));
      process.stdout.write(`observability check: ${TICKS} ticks, ${done.fills} fills, ${panels.length} dashboard and ${rules.length} rule queries evaluated ${((performance.now() - started) / 1000).toFixed(0)} s after the fleet started\n`);
    } finally {
      await session.stop();
    }
    expect(session.deadLetters.length).toBeGreaterThan(0);
    // Every service answered several scrapes during the session (the sum of up over it counts them).
    expect([...scrapes].filter(([, e]) => !e.ok || e.value < 3).map(([port, e]) => `${port}: ${e.ok ? `${e.value} scrapes` : e.error}`)).toEqual([]);
  }, 900_000);

  it('evaluates every dashboard query, and every one returns data', () => {
    expect(panelResults.size).toBe(panels.length);
    const offenders = panels.flatMap((q) => {
      const r = panelResults.get(q)!;
      if (r.ok && r.series > 0) return [];
      return [`${q.dashboard} / ${q.panel} (${q.refId}): ${r.ok ? 'no data' : r.error}\n    ${q.expr}`];
    });
    expect(offenders).toEqual([]);
  });

  it('evaluates every alert and recording rule expression without error', () => {
    expect(ruleResults.size).toBe(rules.length);
    const offenders = rules.flatMap((r) => {
      const e = ruleResults.get(r)!;
      return e.ok ? [] : [`${r.file} ${r.rule}: ${e.error}\n    ${r.expr}`];
    });
    expect(offenders).toEqual([]);
  });

  it('has Prometheus evaluate every loaded fleet rule without error during the session', () => {
    const loaded = ruleGroups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map((r) => r.rule.replace(/^(alert|record) /, '')).sort());
    expect(loaded.filter((r) => r.health !== 'ok').map((r) => `${r.group}/${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
  });
});
