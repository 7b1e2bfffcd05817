/**
 * The parity of a replay: the decisions a service recorded against the ones its replay
 * reproduced, compared by (topic, eventId, payload digest) in the session's canonical order.
 * Pure: two lists of logged records in, the report out.
 */
import { type InputJournal, Topics } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { canonicalOrder, PIPELINE_ORDER, type LoggedRecord } from '@fleet/fleet-session';

/** One decision slot: the i-th output of a producer on one topic, lane and tick. */
export interface DecisionSlot {
  readonly tick: number;
  readonly partition: number;
  readonly topic: string;
  /** Position of the decision among the service's outputs on that topic, lane and tick (from 0). */
  readonly index: number;
}

/** The first decision that differs, with both versions (undefined where one side has none). */
export interface Divergence extends DecisionSlot {
  readonly recorded: LoggedRecord | undefined;
  readonly replayed: LoggedRecord | undefined;
}

/** The parity report of one replay. */
export interface ParityReport {
  /** Decision slots compared: per (tick, lane, topic) the larger of the two counts, summed. */
  readonly compared: number;
  /** Slots where both sides hold the same topic, eventId and digest. */
  readonly identical: number;
  /** Decisions on the pipeline topics recorded, and replayed (input journals are compared apart). */
  readonly recorded: number;
  readonly replayed: number;
  /** The first differing slot in canonical order, or undefined at full parity. */
  readonly firstDivergence: Divergence | undefined;
}

/** Returns true when two logged records are the same decision: same topic, eventId and payload digest. */
export function sameDecision(a: LoggedRecord, b: LoggedRecord): boolean {
  return a.topic === b.topic && a.value.envelope.eventId === b.value.envelope.eventId && a.value.envelope.digest === b.value.envelope.digest;
}

function groupKey(r: LoggedRecord): string {
  return `${r.tick}/${r.partition}/${r.topic}`;
}

function groups(records: readonly LoggedRecord[]): Map<string, LoggedRecord[]> {
  const out = new Map<string, LoggedRecord[]>();
  for (const r of canonicalOrder(records)) {
    const key = groupKey(r);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

function slotOrder(a: DecisionSlot, b: DecisionSlot): number {
  const rank = (t: string): number => PIPELINE_ORDER.indexOf(t);
  return a.tick - b.tick || a.partition - b.partition || rank(a.topic) - rank(b.topic) || a.index - b.index;
}

/**
 * Compares the recorded outputs of one service with its replay's outputs. Both sides are put in
 * canonical order and grouped by (tick, lane, topic); within a group the i-th decision of one side
 * is compared with the i-th of the other, so a divergence in one tick does not shift the
 * comparison of the ticks after it.
 */
export function compareDecisions(recorded: readonly LoggedRecord[], replayed: readonly LoggedRecord[]): ParityReport {
  const a = groups(recorded);
  const b = groups(replayed);
  let compared = 0;
  let identical = 0;
  let first: Divergence | undefined;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const left = a.get(key) ?? [];
    const right = b.get(key) ?? [];
    const sample = left[0] ?? right[0]!;
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      compared++;
      const x = left[i];
      const y = right[i];
      if (x !== undefined && y !== undefined && sameDecision(x, y)) {
        identical++;
        continue;
      }
      const slot: Divergence = { tick: sample.tick, partition: sample.partition, topic: sample.topic, index: i, recorded: x, replayed: y };
      if (first === undefined || slotOrder(slot, first) < 0) first = slot;
    }
  }
  const count = (g: Map<string, LoggedRecord[]>): number => [...g.values()].reduce((n, list) => n + list.length, 0);
  return { compared, identical, recorded: count(a), replayed: count(b), firstDivergence: first };
}

/** How the replay's consumption order compares with the recorded one, tick by tick (the input journals). */
export interface ConsumptionParity {
  /** (tick, lane) journals compared. */
  readonly compared: number;
  /** Journals listing the same input eventIds in the same order. */
  readonly identical: number;
  /** The first (tick, lane) whose inputs differ, or undefined. */
  readonly firstDifference: { readonly tick: number; readonly partition: number } | undefined;
  /** Input events the replay handed to its handler (the sum of its journals' inputs). */
  readonly replayedInputs: number;
}

function journals(records: readonly LoggedRecord[]): Map<string, { readonly tick: number; readonly partition: number; readonly inputs: string }> {
  const out = new Map<string, { tick: number; partition: number; inputs: string }>();
  for (const r of records) {
    if (r.topic !== Topics.journalInput.name) continue;
    const j = r.value as unknown as InputJournal;
    out.set(`${r.tick}/${r.partition}`, { tick: r.tick, partition: r.partition, inputs: j.inputs.map((i) => i.eventId).join(',') });
  }
  return out;
}

/**
 * Compares the input journals (journal.input: the inputs of each tick in the order the handler
 * saw them) of the recording and the replay: the proof that a multi-topic service consumed the
 * same events in the same order. The consumer group in a journal differs by design and is not compared.
 */
export function compareConsumption(recorded: readonly LoggedRecord[], replayed: readonly LoggedRecord[]): ConsumptionParity {
  const a = journals(recorded);
  const b = journals(replayed);
  let compared = 0;
  let identical = 0;
  let first: { tick: number; partition: number } | undefined;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    compared++;
    const x = a.get(key);
    const y = b.get(key);
    if (x !== undefined && y !== undefined && x.inputs === y.inputs) {
      identical++;
      continue;
    }
    const at = (x ?? y)!;
    if (first === undefined || at.tick < first.tick || (at.tick === first.tick && at.partition < first.partition)) first = { tick: at.tick, partition: at.partition };
  }
  let replayedInputs = 0;
  for (const r of replayed) if (r.topic === Topics.journalInput.name) replayedInputs += (r.value as unknown as InputJournal).inputs.length;
  return { compared, identical, firstDifference: first, replayedInputs };
}

/** Returns `value` without its envelope: the decision itself. */
export function payloadOf(r: LoggedRecord): Record<string, unknown> {
  const { envelope: _envelope, ...payload } = r.value;
  return payload;
}

/** Returns the leaves of a JSON value as `path → canonical JSON`, paths in sorted key order. */
export function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : Object.keys(value).sort().map((k) => [path ? `${path}.${k}` : k, (value as Record<string, unknown>)[k]]);
    for (const [p, v] of entries) for (const [lp, lv] of leaves(v, p)) out.set(lp, lv);
    return out;
  }
  out.set(path || '<root>', canonicalJson(value ?? null));
  return out;
}

function percent(n: number, d: number): string {
  return d === 0 ? '100.00' : ((100 * n) / d).toFixed(2);
}

/** Orders leaf paths as the payload nests them: key by key, array indices by number. */
export function comparePaths(a: string, b: string): number {
  const split = (p: string): (string | number)[] => p.split(/\.|(?=\[)/).map((t) => (/^\[\d+\]$/.test(t) ? Number(t.slice(1, -1)) : t));
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const u = x[i]!;
    const v = y[i]!;
    if (u === v) continue;
    if (typeof u === 'number' && typeof v === 'number') return u - v;
    return String(u) < String(v) ? -1 : 1;
  }
  return x.length - y.length;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** Returns the two versions of a divergence side by side: every payload field, a `*` on the rows that differ. */
export function sideBySide(d: Divergence, width = 48): string[] {
  const left = d.recorded === undefined ? undefined : leaves(payloadOf(d.recorded));
  const right = d.replayed === undefined ? undefined : leaves(payloadOf(d.replayed));
  const paths = [...new Set([...(left?.keys() ?? []), ...(right?.keys() ?? [])])].sort(comparePaths);
  const keyWidth = Math.min(36, Math.max(5, ...paths.map((p) => p.length)));
  const row = (mark: string, key: string, l: string, r: string): string => `${mark} ${clip(key, keyWidth)}  ${clip(l, width)}  ${r.length > width ? `${r.slice(0, width - 1)}…` : r}`;
  const envelope = (r: LoggedRecord | undefined, f: (x: LoggedRecord) => string): string => (r === undefined ? '(none)' : f(r));
  const lines = [row(' ', '', 'recorded', 'replayed')];
  lines.push(row(d.recorded?.value.envelope.eventId === d.replayed?.value.envelope.eventId ? ' ' : '*', 'envelope.eventId', envelope(d.recorded, (r) => r.value.envelope.eventId), envelope(d.replayed, (r) => r.value.envelope.eventId)));
  lines.push(row(d.recorded?.value.envelope.digest === d.replayed?.value.envelope.digest ? ' ' : '*', 'envelope.digest', envelope(d.recorded, (r) => r.value.envelope.digest), envelope(d.replayed, (r) => r.value.envelope.digest)));
  for (const p of paths) {
    const l = left === undefined ? '(none)' : (left.get(p) ?? '(absent)');
    const r = right === undefined ? '(none)' : (right.get(p) ?? '(absent)');
    lines.push(row(l === r ? ' ' : '*', p, l, r));
  }
  return lines;
}

/** Returns the consumption line of the report: how many ticks' input journals are identical, and the first that is not. */
export function formatConsumption(c: ConsumptionParity): string {
  const first = c.firstDifference === undefined ? '' : `; first difference at tick ${c.firstDifference.tick}, lane ${c.firstDifference.partition}`;
  return `consumption order: ${c.identical}/${c.compared} ticks identical${first}`;
}

/** Returns the parity report as the text the replay command prints (with the consumption line when given). */
export function formatParityReport(report: ParityReport, service: string, consumption?: ConsumptionParity): string {
  const lines = [
    `decisions compared: ${report.compared}`,
    `identical: ${report.identical}`,
    `parity: ${report.identical}/${report.compared} (${percent(report.identical, report.compared)}%)`,
    `recorded outputs: ${report.recorded}, replayed outputs: ${report.replayed}`,
    ...(consumption === undefined ? [] : [formatConsumption(consumption)]),
  ];
  const d = report.firstDivergence;
  if (d === undefined) {
    lines.push(`first divergence: none (${service} reproduced every decision)`);
    return lines.join('\n');
  }
  lines.push(`first divergence: tick ${d.tick}, lane ${d.partition}, topic ${d.topic}, decision ${d.index + 1} of ${service} on that topic in the tick`);
  const missing = d.recorded === undefined ? 'the replay produced a decision the recording does not have' : d.replayed === undefined ? 'the replay did not produce this recorded decision' : 'both produced a decision; they differ';
  lines.push(`  ${missing}`);
  for (const line of sideBySide(d)) lines.push(`  ${line}`);
  lines.push(`  recorded: ${d.recorded === undefined ? '(none)' : canonicalJson(payloadOf(d.recorded))}`);
  lines.push(`  replayed: ${d.replayed === undefined ? '(none)' : canonicalJson(payloadOf(d.replayed))}`);
  return lines.join('\n');
}
