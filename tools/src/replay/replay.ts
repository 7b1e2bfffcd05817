/**
 * Replays one service of a recorded session and reports parity with what it recorded.
 *
 *   node --import tsx tools/src/replay/replay.ts --session <id> --service <name>
 *        [--set KEY=VALUE ...] [--to-tick N] [--mode shadow|reset] [--out out/sessions] [--json]
 *
 * Shadow (the default) runs a copy of the compiled service on the session's topics under its own
 * group and topic prefix and compares every decision with the recorded one by digest; reset
 * moves the service's own group back and deletes its lane snapshots (in place; needs
 * --i-know-outputs-duplicate). Exit 0 at full parity, 1 when a decision differs or the replay
 * failed, 2 on a bad command line. See docs/replay.md.
 */
import { resolve } from 'node:path';
import { canonicalJson } from '@fleet/core';
import { type LoggedRecord } from '@fleet/fleet-session';
import { formatParityReport, payloadOf, type ParityReport } from './parity';
import { parseReplayArgs, REPLAY_USAGE, ReplayArgsError } from './replay-args';
import { ReplayPlanError } from './replay-plan';
import { type ReplayContext, recordedPlan, type ResetResult, runResetReplay, runShadowReplay, type ShadowResult } from './replay-run';
import { openSession, SessionSourceError, stackSettings } from './session-source';

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

function parityJson(report: ParityReport): unknown {
  const d = report.firstDivergence;
  const side = (r: LoggedRecord | undefined): unknown => (r === undefined ? null : { eventId: r.value.envelope.eventId, digest: r.value.envelope.digest, payload: JSON.parse(canonicalJson(payloadOf(r))) as unknown });
  return {
    compared: report.compared,
    identical: report.identical,
    recorded: report.recorded,
    replayed: report.replayed,
    firstDivergence: d === undefined ? null : { tick: d.tick, partition: d.partition, topic: d.topic, index: d.index, recorded: side(d.recorded), replayed: side(d.replayed) },
  };
}

function printShadow(r: ShadowResult, json: boolean): void {
  if (json) {
    out(JSON.stringify({ mode: r.mode, sessionId: r.sessionId, service: r.service, shadowPrefix: r.shadowPrefix, groupId: r.groupId, toTick: r.toTick, overrides: r.overrides, parity: parityJson(r.parity), consumption: r.consumption, speed: r.speed }, null, 2));
    return;
  }
  out(`replay of ${r.service} in session ${r.sessionId} (shadow under ${r.shadowPrefix}), ticks 0..${r.toTick}${Object.keys(r.overrides).length > 0 ? ` with ${Object.entries(r.overrides).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
  out(formatParityReport(r.parity, r.service, r.consumption));
  const v = r.speed;
  out(`replay speed: ${v.inputEvents} input events over ${v.ticks} ticks in ${v.wallSeconds.toFixed(1)} s = ${v.eventsPerSecond.toFixed(0)} events/s from process start; ${v.processingSeconds.toFixed(1)} s = ${v.processingEventsPerSecond.toFixed(0)} events/s from the first output to the last tick's marks`);
}

function printReset(r: ResetResult, json: boolean): void {
  if (json) {
    out(JSON.stringify({ ...r, reemitted: r.reemitted === undefined ? null : parityJson(r.reemitted) }, null, 2));
    return;
  }
  out(`reset of group ${r.groupId} (${r.service}, session ${r.sessionId})`);
  for (const t of r.topics) out(`  ${t.topic}: ${t.partitions.map((p) => `p${p.partition} ${p.before} -> ${p.after}`).join(', ')}`);
  out(`lane snapshots deleted: ${r.snapshotsDeleted.length === 0 ? 'none' : r.snapshotsDeleted.join(', ')}`);
  if (r.lanes === undefined || r.reemitted === undefined) {
    out(`restart ${r.service} now: each lane rebuilds from the log on its next start`);
    return;
  }
  for (const l of r.lanes) out(`lane ${l.partition}: started from ${l.from}, ${l.replayedTicks} ticks replayed through the handler (${l.detail})`);
  out(`outputs written beyond the recorded session: ${r.reemitted.replayed}`);
  if (r.reemitted.replayed > 0) out(formatParityReport(r.reemitted, r.service));
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseReplayArgs(argv);
  if (args.help) {
    out(REPLAY_USAGE);
    return 0;
  }
  const ctx: ReplayContext = {
    session: openSession(args.outDir, args.sessionId),
    stack: stackSettings(process.env),
    service: args.service,
    distDir: resolve('dist'),
    timeoutMs: args.timeoutSeconds * 1000,
    progress,
  };
  const { plan } = await recordedPlan(ctx, args.toTick);
  if (args.mode === 'shadow') {
    const result = await runShadowReplay(ctx, plan, args.sets);
    printShadow(result, args.json);
    return result.parity.firstDivergence === undefined ? 0 : 1;
  }
  const result = await runResetReplay(ctx, plan, args.resetTo, args.restart);
  printReset(result, args.json);
  return result.reemitted === undefined || result.reemitted.firstDivergence === undefined ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ReplayArgsError || error instanceof SessionSourceError || error instanceof ReplayPlanError;
    process.stderr.write(`replay: ${error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error)}\n${error instanceof ReplayArgsError ? `${REPLAY_USAGE}\n` : ''}`);
    process.exit(error instanceof ReplayArgsError ? 2 : 1);
  },
);
