/**
 * fair-value against the REAL stack, run as the deployed artefact (`npm run build`, then
 * `node dist/services/fair-value/src/main.js` in a child process; tests never import an app), on
 * topics under a per-run FLEET_TOPIC_PREFIX: one fv.state per book, caused by the book, with the
 * values the pure core computes; the input journal in the same transactions; a poison message
 * dead-lettered while the next book flows; a graceful restart (SIGTERM) from the Redis snapshot;
 * a restart with the service's Redis keys deleted, rebuilt from the log; and outputs identical,
 * id for id and digest for digest, to an uninterrupted run of the same books.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  AVRO_SCHEMAS,
  BOOK_SNAPSHOT_TYPE,
  type BookSnapshot,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState,
  INPUT_JOURNAL_TYPE,
  type InputJournal,
  Topics,
} from '@fleet/contracts';
import { type BookEvent, calmScenario, createStrategyConfig, defaultVenueConfig, generateMarketEvents, digestOf, initialFairValueState, stepFairValue, type VenueBookTop } from '@fleet/core';
import { bookSnapshotFromSim, checkEnvelope } from '@fleet/events';
import { EventPublisher, provisionTopics } from '@fleet/kafka';
import { EnvReader, prefixedTopic, readServiceConfig } from '@fleet/service';
import { createRedis } from '@fleet/state';
import { appendSentinels, env, newClient, newCodec, readToSentinels, runId, waitFor } from '../kafka/fixtures';

jest.setTimeout(1_200_000);

const repoRoot = join(__dirname, '..', '..', '..');
const VENUES = ['venue-a', 'venue-b', 'venue-c', 'venue-d', 'venue-e'];

/** Returns the BookSnapshot events of calm sessions of `durationUs` on `instruments`, in event-time order, sequenced per instrument from 1. */
function bookSnapshotsOf(instruments: readonly string[], seed: number, durationUs: number): BookSnapshot[] {
  return instruments
    .flatMap((instrument, k) => {
      const scenario = calmScenario({ instrument, durationUs });
      const venues = new Map(scenario.sim.venues.map((v) => [v.venue, v] as const));
      const books = generateMarketEvents(scenario, seed + k).filter((e): e is BookEvent => e.type === 'book');
      return books.map((e, i) => bookSnapshotFromSim(e, venues.get(e.venue)!, i + 1));
    })
    .sort((a, b) => a.envelope.eventTimeUs - b.envelope.eventTimeUs || (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : 0));
}

interface Started {
  readonly httpPort: number;
  readonly group: string;
  readonly recovery: { partition: number; source: 'snapshot' | 'log'; replayed: number }[];
}

/** A fair-value child process. */
class ServiceProcess {
  private out = '';
  readonly exited: Promise<number | string>;
  private readonly child;

  constructor(environment: Record<string, string | undefined>) {
    this.child = spawn(process.execPath, [join(repoRoot, 'dist', 'services', 'fair-value', 'src', 'main.js')], { cwd: repoRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (c: Buffer) => (this.out += c.toString()));
    this.child.stderr.on('data', (c: Buffer) => (this.out += c.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  }

  output(): string {
    return this.out;
  }

  /** Waits for the started line and for /health/ready to answer 200. */
  async ready(): Promise<Started> {
    let started: Started | undefined;
    // Generous limits: a freshly formatted broker creates its internal topics on the first
    // group join and transaction, and a loaded machine is slow; neither is a failure.
    try {
      await waitFor('fair-value to start', () => {
        const line = this.out.split('\n').slice(0, -1).find((l) => l.startsWith('{"event":"started"'));
        if (line) started = JSON.parse(line) as Started;
        return started !== undefined;
      }, 300_000);
      await waitFor('/health/ready', async () => (await fetch(`http://127.0.0.1:${started!.httpPort}/health/ready`)).status === 200, 180_000);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; service output so far:\n${this.out}`);
    }
    return started!;
  }

  /** Sends SIGTERM and returns the exit code. */
  async stop(): Promise<number | string> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Returns what the core computes over `books`, per book in order: the filter state after folding it into the latest book per venue. */
function coreFold(books: readonly BookSnapshot[]) {
  const cfg = createStrategyConfig('balanced', { venues: VENUES.map(defaultVenueConfig) });
  const perInstrument = new Map<string, { fv: ReturnType<typeof initialFairValueState>; books: (VenueBookTop | null)[]; seq: number }>();
  return books.map((b) => {
    const s = perInstrument.get(b.instrument) ?? { fv: initialFairValueState(cfg), books: VENUES.map(() => null), seq: 0 };
    const i = VENUES.indexOf(b.venue);
    const top = { venueId: b.venue, bestBid: Number(b.bids[0].price), bestAsk: Number(b.asks[0].price), bidDepth: Number(b.bids[0].size), askDepth: Number(b.asks[0].size), timestampUs: b.envelope.eventTimeUs };
    const next = { fv: s.fv, books: s.books.map((x, j) => (j === i ? top : x)), seq: s.seq + 1 };
    next.fv = stepFairValue(cfg, s.fv, next.books, b.envelope.eventTimeUs);
    perInstrument.set(b.instrument, next);
    return { book: b, fv: next.fv, sequence: next.seq };
  });
}

describe('fair-value service', () => {
  const codec = newCodec();
  const client = newClient('fair-value-it');
  const publisher = new EventPublisher(client.producer(), codec);
  const redis = createRedis(env('REDIS_URL'));
  const books = bookSnapshotsOf(['ETH-PERP', 'BTC-PERP'], 11, 2_000_000);
  const poison = Buffer.from('definitely not avro');
  const children: ServiceProcess[] = [];
  const prefixes: string[] = [];

  function topicsOf(prefix: string) {
    return {
      mdBook: prefixedTopic(Topics.mdBook, prefix),
      fvState: prefixedTopic(Topics.fvState, prefix),
      journal: prefixedTopic(Topics.journalInput, prefix),
      deadLetter: prefixedTopic(Topics.deadLetter, prefix),
    };
  }

  async function provision(prefix: string) {
    prefixes.push(prefix);
    const admin = client.admin();
    await admin.connect();
    try {
      await provisionTopics(admin, Object.values(topicsOf(prefix)), { replicationFactor: 1 });
    } finally {
      await admin.disconnect();
    }
    return topicsOf(prefix);
  }

  function serviceEnv(prefix: string) {
    return { ...process.env, FLEET_TOPIC_PREFIX: prefix, FLEET_HTTP_PORT: '0', FLEET_METRICS_PORT: '0', FLEET_SERVICE_INSTANCE: 'fair-value-it' };
  }

  function start(prefix: string): ServiceProcess {
    const child = new ServiceProcess(serviceEnv(prefix));
    children.push(child);
    return child;
  }

  async function publish(prefix: string, slice: readonly BookSnapshot[]) {
    await publisher.publish(slice.map((b) => ({ spec: topicsOf(prefix).mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], value: b, key: b.instrument })));
  }

  /** Waits until the group committed every partition of md.book that holds records up to its high watermark. */
  async function caughtUp(prefix: string, group: string) {
    const topic = topicsOf(prefix).mdBook.name;
    await waitFor(`${group} to commit every book`, async () => {
      const admin = client.admin();
      await admin.connect();
      try {
        const [committed, marks] = await Promise.all([admin.fetchCommittedOffsets(group, [topic]), admin.fetchTopicOffsets(topic)]);
        return marks.every((m) => m.high === m.low || BigInt(committed.find((c) => c.partition === m.partition)?.offset ?? '-1') >= BigInt(m.high));
      } finally {
        await admin.disconnect();
      }
    }, 300_000);
  }

  async function outputsOf(prefix: string): Promise<FairValueState[]> {
    const topic = topicsOf(prefix).fvState;
    await appendSentinels(topic);
    const records = await readToSentinels(topic);
    return Promise.all(records.map(async (r) => (await codec.decode<FairValueState>(r.value, AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE])).value));
  }

  beforeAll(async () => {
    // The service runs compiled (Nest needs tsc's decorator metadata), as in production.
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'build', 'link-dist.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    await publisher.connect();
  });

  afterAll(async () => {
    for (const c of children) c.kill();
    await publisher.disconnect();
    for (const p of prefixes) {
      const keys = await redis.keys(`fleet:fair-value:snapshot:${p}fleet.fair-value:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
    const admin = client.admin();
    await admin.connect();
    await admin.deleteTopics(prefixes.flatMap((p) => Object.values(topicsOf(p)).map((t) => t.name))).catch(() => undefined);
    await admin.disconnect();
  });

  it('processes books exactly as the core, journals them, dead-letters poison, and recovers from Redis and from the log like an uninterrupted run', async () => {
    const prefix = `it-fv-${runId()}.`;
    const topics = await provision(prefix);
    const a = Math.floor(books.length / 3);
    const b = Math.floor((2 * books.length) / 3);

    // Phase 1: a fresh start (nothing committed, nothing in Redis), with a poison message among the books.
    let svc = start(prefix);
    let started = await svc.ready();
    const group = started.group;
    expect(group).toBe(`${prefix}fleet.fair-value`);
    expect(started.recovery.every((r) => r.source === 'log' && r.replayed === 0)).toBe(true);
    await publish(prefix, books.slice(0, a - 1));
    const producer = client.producer();
    await producer.connect();
    await producer.send([{ topic: topics.mdBook.name, key: books[a - 1].instrument, value: poison }]);
    await producer.disconnect();
    await publish(prefix, books.slice(a - 1, a));
    await caughtUp(prefix, group);
    const metricsText = await (await fetch(`http://127.0.0.1:${started.httpPort}/metrics`)).text();
    expect(metricsText).toMatch(/fleet_fair_value\{[^}]*instrument="ETH-PERP"[^}]*\} 3\d{3}/);
    expect(metricsText).toMatch(/fleet_sigma_eff\{[^}]*instrument="BTC-PERP"[^}]*\} \d/);
    expect(metricsText).toMatch(/dead_letter_total\{[^}]*reason="bad-magic-byte"[^}]*\} 1/);
    expect(metricsText).toMatch(/events_out_total\{[^}]*topic="it-fv-[^"]*journal\.input"/);
    expect(await svc.stop()).toBe(0);
    const snapshotKeys = () => redis.keys(`fleet:fair-value:snapshot:${group}:*`);
    expect((await snapshotKeys()).length).toBe(6);

    // Phase 2: a graceful restart resumes from the Redis snapshots without replaying anything.
    svc = start(prefix);
    started = await svc.ready();
    expect(started.recovery.every((r) => r.source === 'snapshot' && r.replayed === 0)).toBe(true);
    await publish(prefix, books.slice(a, b));
    await caughtUp(prefix, group);
    expect(await svc.stop()).toBe(0);

    // Phase 3: the service's Redis keys are deleted; the state is rebuilt from the log, then new books follow.
    const keys = await snapshotKeys();
    await redis.del(...keys);
    svc = start(prefix);
    started = await svc.ready();
    expect(started.recovery.every((r) => r.source === 'log')).toBe(true);
    expect(started.recovery.reduce((n, r) => n + r.replayed, 0)).toBe(b);
    await publish(prefix, books.slice(b));
    await caughtUp(prefix, group);
    expect(await svc.stop()).toBe(0);

    // One fv.state per book, caused by it, keyed by instrument, with the core's values.
    const outputs = await outputsOf(prefix);
    expect(outputs).toHaveLength(books.length);
    const byCause = new Map(outputs.map((o) => [o.envelope.causation[0], o]));
    expect(byCause.size).toBe(books.length);
    for (const { book, fv, sequence } of coreFold(books)) {
      const out = byCause.get(book.envelope.eventId)!;
      expect(out).toBeDefined();
      expect(checkEnvelope(out)).toBeUndefined();
      expect([out.instrument, out.envelope.sequence, out.envelope.eventTimeUs]).toEqual([book.instrument, sequence, book.envelope.eventTimeUs]);
      expect([out.fairValue, out.fairValueVariance, out.fvAvailable, out.healthyVenuesUsedCount]).toEqual([fv.fairValue, fv.fairValue === null ? null : fv.variance, fv.fvAvailable, fv.healthyVenueCount]);
      expect([out.sigmaShort, out.sigmaLong, out.sigmaEff]).toEqual([fv.sigmaShort, fv.sigmaLong, fv.sigmaEff]);
    }
    expect(outputs.filter((o) => o.fvAvailable).length).toBeGreaterThan(books.length / 2);

    // The journal: one record per processed book, in the group, naming the book and its fv.state.
    await appendSentinels(topics.journal);
    const journal = await Promise.all((await readToSentinels(topics.journal)).map(async (r) => (await codec.decode<InputJournal>(r.value, AVRO_SCHEMAS[INPUT_JOURNAL_TYPE])).value));
    expect(journal).toHaveLength(books.length);
    for (const j of journal) {
      expect(j.consumerGroup).toBe(group);
      expect(j.inputs).toHaveLength(1);
      expect(j.inputs[0].topic).toBe(topics.mdBook.name);
      expect(j.outputEventIds).toEqual([byCause.get(j.inputs[0].eventId)!.envelope.eventId]);
    }
    expect(new Set(journal.map((j) => `${j.inputs[0].partition}/${j.inputs[0].offset}`)).size).toBe(books.length);

    // The poison message: dead-lettered verbatim; the book after it was processed.
    await appendSentinels(topics.deadLetter);
    const dead = await readToSentinels(topics.deadLetter);
    expect(dead).toHaveLength(1);
    expect(dead[0].value).toEqual(poison);
    expect(dead[0].headers['x-dlq-source-topic']).toBe(topics.mdBook.name);
    expect(byCause.has(books[a - 1].envelope.eventId)).toBe(true);

    // An uninterrupted run of the same books gives the same outputs, id for id, digest for digest.
    const straight = `it-fv-${runId()}-straight.`;
    await provision(straight);
    const once = start(straight);
    const onceStarted = await once.ready();
    await publish(straight, books);
    await caughtUp(straight, onceStarted.group);
    expect(await once.stop()).toBe(0);
    const reference = await outputsOf(straight);
    for (const instrument of ['ETH-PERP', 'BTC-PERP']) {
      const inOrder = (list: FairValueState[]) => list.filter((o) => o.instrument === instrument).sort((x, y) => x.envelope.sequence - y.envelope.sequence);
      expect(inOrder(outputs).map((o) => o.envelope.eventId)).toEqual(inOrder(reference).map((o) => o.envelope.eventId));
      expect(digestOf(inOrder(outputs))).toBe(digestOf(inOrder(reference)));
    }
  });

  it('refuses to start with a bad setting, naming it and exiting 78', async () => {
    const child = new ServiceProcess({ ...serviceEnv('it-fv-bad.'), FLEET_HTTP_PORT: 'eighty', FLEET_VENUES: 'venue-a,venue-a' });
    children.push(child);
    expect(await child.exited).toBe(78);
    expect(child.output()).toContain('FLEET_HTTP_PORT must be an integer from 0 to 65535, received "eighty"');
    expect(child.output()).toContain('FLEET_VENUES is invalid: venues[1].venueId must be unique among the venues, received "venue-a"');
    const reader = new EnvReader({ ...serviceEnv('x.'), KAFKA_BROKERS: 'nope' });
    readServiceConfig('fair-value', reader);
    expect(reader.problems().map((p) => [p.setting, p.received])).toEqual([['KAFKA_BROKERS', 'nope']]);
  });
});
