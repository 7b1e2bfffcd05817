/**
 * Runs a paper-trading session through the whole fleet: provisions the session's topics, starts
 * the nine services as separate processes (the compiled dist), lets market-gateway clock the
 * scenario through in lock-step, reads the session back from the log and stops everything.
 * The main job and the end-to-end tests both drive sessions through {@link FleetSession}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, AVRO_SCHEMAS, type ContractName, type TopicSpec, Topics, WAL_TOPICS } from '@fleet/contracts';
import { AvroCodec, HttpSchemaRegistry, KafkaJsClient, LANE_HEADER, laneOf, parseBrokers, provisionTopics, registerCatalogueSchemas, type ConsumerPort } from '@fleet/kafka';
import { prefixedTopic } from '@fleet/service';
import { type LoggedRecord } from './session-log';

/** The services of the fleet, in pipeline order; market-gateway starts last (it is the clock). */
export const FLEET_SERVICES = ['audit-writer', 'fair-value', 'quoting', 'hedge', 'exit', 'risk-shield', 'budget-ledger', 'execution-router', 'market-gateway'] as const;

/** A fleet service name. */
export type FleetService = (typeof FLEET_SERVICES)[number];

/** What a fleet session runs. */
export interface FleetSessionOptions {
  /** The session id; topics are prefixed with `<id>.` so sessions never share a log. */
  readonly sessionId: string;
  readonly brokers: string;
  readonly registryUrl: string;
  readonly redisUrl: string;
  /** The session settings every service reads (FLEET_SCENARIO, FLEET_SEED, FLEET_DURATION_S, FLEET_TICK_MS, FLEET_VENUE_COUNT, FLEET_INSTRUMENTS, ...). */
  readonly sessionEnv: Readonly<Record<string, string>>;
  readonly instruments: readonly string[];
  /** The services to start (all nine unless given; a partial fleet is for tests of one stage). */
  readonly services?: readonly FleetService[];
  /** Instances per service (1 unless given). */
  readonly instances?: Partial<Record<FleetService, number>>;
  /** Extra environment of one service (e.g. the malformed-record injection of market-gateway). */
  readonly serviceEnv?: Partial<Record<FleetService, Readonly<Record<string, string>>>>;
  /** The first HTTP port; service i instance k listens on base + 10·k + i (the local Prometheus scrapes instance 0 of every service on 9400–9408). */
  readonly basePort?: number;
  /** Where the audit trail goes. */
  readonly auditDir: string;
  /** The compiled fleet (the repository's dist). */
  readonly distDir: string;
  readonly log?: (line: string) => void;
}

/** One running service process. */
export interface ServiceProcess {
  readonly service: FleetService;
  readonly instance: string;
  readonly port: number;
  child: ChildProcess;
  /** The last lines it wrote (for failure messages). */
  readonly output: string[];
  /** The highest resident set size seen (VmHWM), in kB. */
  peakRssKb: number;
}

/** Progress of a session as the log shows it. */
export interface FleetProgress {
  /** Ticks every lane has completed (through execution-router and budget-ledger). */
  readonly completedTicks: number;
  readonly records: number;
  readonly orderCommands: number;
  readonly fills: number;
}

const LAST_STAGES: readonly { readonly spec: TopicSpec; readonly producer: string }[] = [
  { spec: Topics.orderEvent, producer: 'execution-router' },
  { spec: Topics.positionState, producer: 'budget-ledger' },
];

/** A fleet session in progress. */
export class FleetSession {
  readonly prefix: string;
  readonly processes: ServiceProcess[] = [];
  readonly records: LoggedRecord[] = [];
  readonly deadLetters: { readonly topic: string; readonly reason: string }[] = [];
  private readonly client: KafkaJsClient;
  private observer: ConsumerPort | undefined;
  private readonly closedTicks = new Map<string, number>();
  private lanes: number[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private stopping = false;
  private rssTimer: NodeJS.Timeout | undefined;

  /** Returns a session for `o`; {@link start} runs it. */
  constructor(private readonly o: FleetSessionOptions) {
    this.prefix = `${o.sessionId}.`;
    this.client = new KafkaJsClient({ clientId: `fleet-session-${o.sessionId}`, brokers: parseBrokers(o.brokers), logLevel: 'NOTHING' });
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /** Provisions the topics and schemas, starts the log observer and every service, market-gateway last. */
  async start(): Promise<void> {
    const admin = this.client.admin();
    await admin.connect();
    try {
      const topics = ALL_TOPICS.map((t) => prefixedTopic(t, this.prefix));
      const report = await provisionTopics(admin, topics);
      this.log(`topics: ${report.created.length} created under ${this.prefix}, ${report.existing.length} already there`);
      const registered = await registerCatalogueSchemas(new HttpSchemaRegistry(this.o.registryUrl), topics);
      this.log(`schemas: ${registered.length} subjects registered`);
      const partitions = (await admin.fetchTopicMetadata([topics[0]!.name]))[0]!.partitions.length;
      this.lanes = [...new Set(this.o.instruments.map((i) => laneOf(i, partitions)))].sort((a, b) => a - b);
    } finally {
      await admin.disconnect();
    }
    await this.startObserver();
    for (const service of FLEET_SERVICES.filter((s) => this.o.services?.includes(s) ?? true)) {
      const count = this.o.instances?.[service] ?? 1;
      for (let k = 0; k < count; k++) this.spawnService(service, k);
    }
    this.rssTimer = setInterval(() => this.sampleRss(), 500);
    this.rssTimer.unref();
  }

  /** The port of service `service` instance `k`. */
  portOf(service: FleetService, k: number): number {
    return (this.o.basePort ?? 9400) + 10 * k + FLEET_SERVICES.indexOf(service);
  }

  private spawnService(service: FleetService, k: number, extraEnv: Readonly<Record<string, string>> = {}): ServiceProcess {
    const main = join(this.o.distDir, 'services', service, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: build the fleet first (npm run build)`);
    const port = this.portOf(service, k);
    const instance = `${service}-${k}`;
    const env = {
      ...process.env,
      ...this.o.sessionEnv,
      KAFKA_BROKERS: this.o.brokers,
      SCHEMA_REGISTRY_URL: this.o.registryUrl,
      REDIS_URL: this.o.redisUrl,
      FLEET_TOPIC_PREFIX: this.prefix,
      FLEET_SERVICE_INSTANCE: instance,
      FLEET_HTTP_PORT: String(port),
      FLEET_METRICS_PORT: String(port),
      FLEET_AUDIT_DIR: this.o.auditDir,
      ...this.o.serviceEnv?.[service],
      ...extraEnv,
    };
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const existing = this.processes.find((p) => p.service === service && p.instance === instance);
    const proc: ServiceProcess = existing ?? { service, instance, port, child, output: [], peakRssKb: 0 };
    proc.child = child;
    if (!existing) this.processes.push(proc);
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') proc.output.push(line);
      if (proc.output.length > 200) proc.output.splice(0, proc.output.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', (code, signal) => {
      if (this.stopping || proc.child !== child || signal === 'SIGKILL') return;
      if (code !== 0) this.fail(new Error(`${instance} exited with ${code ?? signal}:\n${proc.output.slice(-30).join('\n')}`));
    });
    return proc;
  }

  private sampleRss(): void {
    for (const p of this.processes) {
      const pid = p.child.pid;
      if (pid === undefined || p.child.exitCode !== null) continue;
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) p.peakRssKb = Math.max(p.peakRssKb, Number(m[1]));
      } catch {
        // the process has just exited
      }
    }
  }

  /** Kills one instance with SIGKILL (chaos) and, unless `restart` is false, starts it again. */
  async kill(service: FleetService, k = 0, restart = true): Promise<void> {
    const proc = this.processes.find((p) => p.service === service && p.instance === `${service}-${k}`);
    if (!proc) throw new Error(`${service}-${k} is not running`);
    const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
    proc.child.kill('SIGKILL');
    await exited;
    if (restart) this.spawnService(service, k);
  }

  /** Starts one more instance of `service` (scaling out mid-session). */
  addInstance(service: FleetService, k: number): ServiceProcess {
    return this.spawnService(service, k);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiters.splice(0)) w();
  }

  /** The progress so far. */
  progress(): FleetProgress {
    return {
      completedTicks: this.completedTicks(),
      records: this.records.length,
      orderCommands: this.records.filter((r) => r.topic === Topics.orderCommand.name).length,
      fills: this.records.filter((r) => r.topic === Topics.orderEvent.name && (r.value as { fill?: unknown }).fill != null).length,
    };
  }

  private completedTicks(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const stage of LAST_STAGES) for (const lane of this.lanes) min = Math.min(min, this.closedTicks.get(`${stage.spec.name}/${stage.producer}/${lane}`) ?? -1);
    return this.lanes.length === 0 ? 0 : min + 1;
  }

  /** Resolves once every lane has completed `ticks` ticks; rejects when a service fails or after `timeoutMs`. */
  async waitForTicks(ticks: number, timeoutMs: number, onProgress?: (p: FleetProgress) => void): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.completedTicks() < ticks) {
      if (this.failure) throw this.failure;
      if (performance.now() > deadline) throw new Error(`the fleet completed ${this.completedTicks()} of ${ticks} ticks within ${timeoutMs} ms\n${this.tails()}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000).unref();
      });
      onProgress?.(this.progress());
    }
    if (this.failure) throw this.failure;
  }

  /** The last lines of every service, for failure messages. */
  tails(): string {
    return this.processes.map((p) => `--- ${p.instance}\n${p.output.slice(-8).join('\n')}`).join('\n');
  }

  /** Stops every service (SIGTERM, then SIGKILL after `graceMs`), the observer and the Kafka client. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    if (this.rssTimer) clearInterval(this.rssTimer);
    this.sampleRss();
    const order = [...this.processes].sort((a, b) => (a.service === 'market-gateway' ? -1 : b.service === 'market-gateway' ? 1 : 0));
    await Promise.all(
      order.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.observer?.disconnect().catch(() => undefined);
  }

  private async startObserver(): Promise<void> {
    const codec = new AvroCodec(new HttpSchemaRegistry(this.o.registryUrl));
    const byName = new Map<string, TopicSpec>(WAL_TOPICS.map((t) => [prefixedTopic(t, this.prefix).name, t]));
    const deadLetter = prefixedTopic(Topics.deadLetter, this.prefix).name;
    const consumer = this.client.consumer({ groupId: `${this.prefix}fleet.session-observer`, readCommitted: true });
    this.observer = consumer;
    await consumer.connect();
    await consumer.subscribe([...byName.keys(), deadLetter], true);
    await consumer.run({
      autoCommit: false,
      eachBatch: async (batch) => {
        if (batch.topic === deadLetter) {
          for (const r of batch.messages) {
            this.deadLetters.push({ topic: r.headers['x-dlq-source-topic'] ?? '', reason: r.headers['x-dlq-reason'] ?? '' });
            batch.resolveOffset(r.offset);
          }
          return;
        }
        const spec = byName.get(batch.topic);
        if (!spec) return;
        for (const r of batch.messages) {
          batch.resolveOffset(r.offset);
          const tick = Number(r.headers[LANE_HEADER.tick]);
          const producer = r.headers[LANE_HEADER.producer] ?? '';
          if (r.headers[LANE_HEADER.mark] !== undefined) {
            const key = `${spec.name}/${producer}/${batch.partition}`;
            this.closedTicks.set(key, Math.max(this.closedTicks.get(key) ?? -1, tick));
            continue;
          }
          try {
            const { value } = await codec.decode(r.value, AVRO_SCHEMAS[spec.valueType as ContractName]);
            this.records.push({ topic: spec.name, partition: batch.partition, offset: r.offset, tick, producer, timestampMs: Number(r.timestamp), value: value as LoggedRecord['value'] });
          } catch {
            // A record that does not decode is the dead-letter topic's business; the services route it there.
          }
        }
        for (const w of this.waiters.splice(0)) w();
      },
    });
  }
}
