/**
 * The two ways to replay a recorded session's service:
 *  - shadow: a copy of the service reads the session's topics under its own consumer group and
 *    writes under its own topic prefix, so production is untouched; its outputs are compared
 *    with the recorded ones decision by decision;
 *  - reset: the service's own group goes back to the beginning of its inputs (or to a time) and
 *    its Redis lane snapshots are deleted, so that its next start rebuilds every lane from the log.
 */
import { type TopicSpec, topicByName, Topics } from '@fleet/contracts';
import { type AdminPort, HttpSchemaRegistry, parseBrokers, provisionTopics, registerCatalogueSchemas } from '@fleet/kafka';
import { prefixedTopic } from '@fleet/service';
import { type LoggedRecord } from '@fleet/fleet-session';
import { deleteLaneSnapshots, resetGroupOffsets, type TopicReset } from './offset-reset';
import { compareConsumption, compareDecisions, type ConsumptionParity, type ParityReport } from './parity';
import { type ResetPoint } from './replay-args';
import { pendingSlots, planReplay, type ReplayPlan } from './replay-plan';
import { type LaneStartedLine, ServiceProcess, serviceEnvironment } from './service-process';
import { kafkaOf, type OpenedSession, type StackSettings } from './session-source';
import { LogCollector, readerGroupId, readSessionLog, type SessionEnds, type SessionLog } from './session-reader';

/** How fast the replay ran. */
export interface ReplaySpeed {
  /** Input events the replayed service handed to its handler in ticks up to the last one (from its input journals). */
  readonly inputEvents: number;
  /** Seconds from starting the process to the last tick's marks (start-up included). */
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  /** Seconds from the replay's first output to the last tick's marks: processing alone. */
  readonly processingSeconds: number;
  readonly processingEventsPerSecond: number;
  readonly ticks: number;
}

/** The result of a shadow replay. */
export interface ShadowResult {
  readonly mode: 'shadow';
  readonly sessionId: string;
  readonly service: string;
  readonly shadowPrefix: string;
  readonly groupId: string;
  readonly toTick: number;
  readonly overrides: Readonly<Record<string, string>>;
  readonly parity: ParityReport;
  /** The consumption order of the replay against the recorded one (input journals). */
  readonly consumption: ConsumptionParity;
  readonly speed: ReplaySpeed;
}

/** The result of a reset replay. */
export interface ResetResult {
  readonly mode: 'reset';
  readonly sessionId: string;
  readonly service: string;
  readonly groupId: string;
  readonly topics: readonly TopicReset[];
  readonly snapshotsDeleted: readonly string[];
  /** How each lane started after the reset (absent without a restart). */
  readonly lanes: readonly LaneStartedLine[] | undefined;
  /** The outputs the restarted service wrote beyond the recorded session, compared with the recorded ones of the same slots (absent without a restart). */
  readonly reemitted: ParityReport | undefined;
}

/** What every replay needs. */
export interface ReplayContext {
  readonly session: OpenedSession;
  readonly stack: StackSettings;
  readonly service: string;
  readonly distDir: string;
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}

/** Returns the first shadow prefix `<id>.replay-<service>-<n>.` that has no topics yet. */
export function freshShadowPrefix(existingTopics: readonly string[], sessionId: string, service: string): string {
  for (let n = 1; ; n++) {
    const prefix = `${sessionId}.replay-${service}-${n}.`;
    if (!existingTopics.some((t) => t.startsWith(prefix))) return prefix;
  }
}

async function withAdmin<T>(admin: AdminPort, f: (admin: AdminPort) => Promise<T>): Promise<T> {
  await admin.connect();
  try {
    return await f(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Reads the recorded session's log (up to the manifest's end offsets) and plans the replay of `service`. */
export async function recordedPlan(ctx: ReplayContext, toTick: number | undefined): Promise<{ readonly log: SessionLog; readonly plan: ReplayPlan }> {
  const { client, codec } = kafkaOf(ctx.stack, `fleet-replay-${ctx.service}`);
  ctx.progress(`reading session ${ctx.session.id} from the log ...`);
  const log = await readSessionLog({ client, codec, prefix: ctx.session.prefix, ends: ctx.session.ends });
  const plan = planReplay(log, ctx.service, toTick);
  ctx.progress(`${log.records.length} records; ${ctx.service} wrote ${plan.recorded.length} decisions on ${plan.topics.join(', ')} over lanes ${plan.lanes.join(', ')}, ticks 0..${plan.toTick}`);
  return { log, plan };
}

/** The topics a replayed service writes: its outputs (from its tick marks), its input journal and its dead letters. */
function specsOf(plan: ReplayPlan): TopicSpec[] {
  return [...plan.topics.map((t) => topicByName(t)), Topics.journalInput, Topics.deadLetter];
}

/**
 * Runs a shadow replay: provisions the service's output topics under a fresh prefix, starts the
 * compiled service reading the session's topics with the session's settings plus `overrides`,
 * waits for it to close `plan.toTick` on every lane and output topic it recorded, stops it and
 * compares its outputs with the recorded ones.
 */
export async function runShadowReplay(ctx: ReplayContext, plan: ReplayPlan, overrides: Readonly<Record<string, string>>): Promise<ShadowResult> {
  const { client, codec } = kafkaOf(ctx.stack, `fleet-replay-${ctx.service}`);
  const specs = specsOf(plan);
  const shadowPrefix = await withAdmin(client.admin(), async (admin) => {
    const prefix = freshShadowPrefix(await admin.listTopics(), ctx.session.id, ctx.service);
    await provisionTopics(admin, specs.map((s) => prefixedTopic(s, prefix)));
    return prefix;
  });
  await registerCatalogueSchemas(new HttpSchemaRegistry(ctx.stack.registryUrl), specs.map((s) => prefixedTopic(s, shadowPrefix)));
  const groupId = `${shadowPrefix}fleet.${ctx.service}`;
  ctx.progress(`shadow ${ctx.service}: topics under ${shadowPrefix}, group ${groupId}${Object.keys(overrides).length > 0 ? `, with ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
  const collector = new LogCollector({ client, codec, prefix: shadowPrefix, groupId: readerGroupId(shadowPrefix, 'replay-observer'), topics: specs.filter((s) => s !== Topics.deadLetter) });
  await collector.start();
  const env = serviceEnvironment(
    process.env,
    ctx.session.sessionEnv,
    {
      KAFKA_BROKERS: ctx.stack.brokers,
      SCHEMA_REGISTRY_URL: ctx.stack.registryUrl,
      REDIS_URL: ctx.stack.redisUrl,
      FLEET_INPUT_TOPIC_PREFIX: ctx.session.prefix,
      FLEET_TOPIC_PREFIX: shadowPrefix,
      FLEET_GROUP_ID: groupId,
      FLEET_SERVICE_INSTANCE: `${ctx.service}-replay`,
      FLEET_HTTP_PORT: '0',
      FLEET_METRICS_PORT: '0',
    },
    overrides,
  );
  let proc: ServiceProcess | undefined;
  let wallSeconds: number;
  let processingSeconds: number;
  try {
    proc = new ServiceProcess(ctx.service, ctx.distDir, env);
    const running = proc;
    const behind = (): number => pendingSlots(plan, (topic, partition) => collector.lastMarked(topic, ctx.service, partition)).length;
    const closed = (): number => Math.min(...plan.slots.map((s) => collector.lastMarked(s.topic, ctx.service, s.partition)));
    let shown = -2;
    await collector.waitUntil(() => behind() === 0 || running.exit !== undefined, `the shadow ${ctx.service} to close tick ${plan.toTick}`, ctx.timeoutMs, {
      onWake: () => {
        const c = closed();
        if (c !== shown && (c - shown >= 20 || c >= plan.toTick)) {
          ctx.progress(`shadow ${ctx.service}: tick ${c + 1}/${plan.toTick + 1}`);
          shown = c;
        }
      },
    });
    if (running.exit !== undefined) throw new Error(`the shadow ${ctx.service} ${running.exit} before closing tick ${plan.toTick}:\n${running.tail()}`);
    const done = performance.now();
    wallSeconds = (done - running.startedAtMs) / 1000;
    processingSeconds = (done - (collector.firstBatchAtMs ?? done)) / 1000;
  } catch (error) {
    const tail = proc?.tail();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail ? `\nlast lines of the shadow ${ctx.service}:\n${tail}` : ''}`);
  } finally {
    await proc?.stop();
    await collector.stop();
  }
  await deleteLaneSnapshots(ctx.stack.redisUrl, ctx.service, groupId, plan.lanes);
  const replayed = collector.log().records.filter((r) => r.producer === ctx.service && r.tick <= plan.toTick);
  const consumption = compareConsumption(plan.recorded, replayed);
  const rate = (seconds: number): number => (seconds > 0 ? consumption.replayedInputs / seconds : 0);
  const speed = { inputEvents: consumption.replayedInputs, wallSeconds, eventsPerSecond: rate(wallSeconds), processingSeconds, processingEventsPerSecond: rate(processingSeconds), ticks: plan.toTick + 1 };
  return { mode: 'shadow', sessionId: ctx.session.id, service: ctx.service, shadowPrefix, groupId, toTick: plan.toTick, overrides, parity: compareDecisions(plan.recorded, replayed), consumption, speed };
}

/** Splits records into those inside the recorded session (offsets below its end offsets) and those written after it. */
export function splitAtEnds(records: readonly LoggedRecord[], ends: SessionEnds): { readonly recorded: LoggedRecord[]; readonly after: LoggedRecord[] } {
  const end = (r: LoggedRecord): bigint => BigInt(ends.get(r.topic)?.find((p) => p.partition === r.partition)?.end ?? '0');
  const recorded: LoggedRecord[] = [];
  const after: LoggedRecord[] = [];
  for (const r of records) (BigInt(r.offset) < end(r) ? recorded : after).push(r);
  return { recorded, after };
}

/** Returns the recorded decisions in the same (tick, lane, topic) slots as `reemitted`. */
export function sameSlots(recorded: readonly LoggedRecord[], reemitted: readonly LoggedRecord[]): LoggedRecord[] {
  const slots = new Set(reemitted.map((r) => `${r.tick}/${r.partition}/${r.topic}`));
  return recorded.filter((r) => slots.has(`${r.tick}/${r.partition}/${r.topic}`));
}

/**
 * Runs a reset replay of the session's own service group: resets its committed offsets to
 * `to`, deletes its lane snapshots and, with `restart`, starts the service in place, waits for
 * every lane to start and the log to stay quiet, stops it and compares whatever it wrote beyond
 * the recorded session with the recorded decisions of the same slots.
 */
export async function runResetReplay(ctx: ReplayContext, plan: ReplayPlan, to: ResetPoint, restart: boolean, quietMs = 5_000): Promise<ResetResult> {
  const groupId = `${ctx.session.prefix}fleet.${ctx.service}`;
  ctx.progress(`resetting group ${groupId} to ${to.kind === 'earliest' ? 'the beginning of its inputs' : new Date(to.timestampMs).toISOString()} ...`);
  const topics = await resetGroupOffsets(parseBrokers(ctx.stack.brokers), groupId, to);
  const partitions = [...new Set(topics.flatMap((t) => t.partitions.map((p) => p.partition)))].sort((a, b) => a - b);
  const snapshotsDeleted = await deleteLaneSnapshots(ctx.stack.redisUrl, ctx.service, groupId, partitions);
  if (!restart) return { mode: 'reset', sessionId: ctx.session.id, service: ctx.service, groupId, topics, snapshotsDeleted, lanes: undefined, reemitted: undefined };
  const { client, codec } = kafkaOf(ctx.stack, `fleet-replay-${ctx.service}`);
  const env = serviceEnvironment(process.env, ctx.session.sessionEnv, {
    KAFKA_BROKERS: ctx.stack.brokers,
    SCHEMA_REGISTRY_URL: ctx.stack.registryUrl,
    REDIS_URL: ctx.stack.redisUrl,
    FLEET_TOPIC_PREFIX: ctx.session.prefix,
    FLEET_SERVICE_INSTANCE: `${ctx.service}-0`,
    FLEET_HTTP_PORT: '0',
    FLEET_METRICS_PORT: '0',
  }, {});
  const proc = new ServiceProcess(ctx.service, ctx.distDir, env);
  let lanes: readonly LaneStartedLine[];
  try {
    const deadline = performance.now() + ctx.timeoutMs;
    let quietSince: number | undefined;
    for (;;) {
      if (proc.exit !== undefined) throw new Error(`${ctx.service} ${proc.exit} after the reset:\n${proc.tail()}`);
      if (performance.now() > deadline) throw new Error(`${ctx.service} did not start all of lanes ${plan.lanes.join(', ')} within ${Math.round(ctx.timeoutMs / 1000)} s:\n${proc.tail()}`);
      const started = proc.lines().lanes;
      if (plan.lanes.every((p) => started.some((l) => l.partition === p))) {
        quietSince ??= performance.now();
        if (performance.now() - quietSince >= quietMs) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    lanes = proc.lines().lanes;
    ctx.progress(`lanes started: ${lanes.map((l) => `lane ${l.partition} from ${l.from} (${l.replayedTicks} ticks replayed)`).join(', ')}`);
  } finally {
    await proc.stop();
  }
  const log = await readSessionLog({ client, codec, prefix: ctx.session.prefix, topics: specsOf(plan).filter((s) => s !== Topics.deadLetter) });
  const split = splitAtEnds(log.records.filter((r) => r.producer === ctx.service), ctx.session.ends);
  const reemitted = split.after;
  const recorded = split.recorded;
  return { mode: 'reset', sessionId: ctx.session.id, service: ctx.service, groupId, topics, snapshotsDeleted, lanes, reemitted: compareDecisions(sameSlots(recorded, reemitted), reemitted) };
}
