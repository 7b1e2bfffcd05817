/**
 * The stable end-of-session summary text: one block the main job prints at the end of a
 * session and every research tool parses with `parseSessionSummary`. Version 1:
 *
 *   === session summary v1 ===
 *   scenario: <text>
 *   seed: <text>
 *   pnl_realised: <number>
 *   pnl_unrealised: <number>
 *   pnl_total: <number>
 *   fees: <number>              (a cost: pnl_total = realised + unrealised − fees + funding)
 *   funding: <number>
 *   max_drawdown: <number ≥ 0>
 *   quotes: <integer>
 *   fills: <integer>
 *   hedges: <integer>
 *   exits: <integer>
 *   kill_switch: true|false
 *   kill_reason: <text, or "None">
 *   session_digest: <64 lower-case hex>
 *   === end session summary ===
 *
 * Numbers are written in JavaScript's shortest round-trip form, so format → parse gives back
 * the same float64 values; exact decimal text (as the core's runner prints it) parses to the
 * nearest float64. Fields appear in this order; unknown lines inside the block are an error (a new field means a
 * new version). Text outside the block is ignored; if the output holds several blocks the
 * last one is the session's summary. The parser also reads the bare field lines without the
 * header and footer: the last `scenario:` line followed by the fields in order.
 */

import { type SessionSummary } from '@fleet/core';

/** The summary of one session, as printed and parsed. */
export interface SessionSummaryRecord {
  readonly scenario: string;
  readonly seed: string;
  readonly pnlRealised: number;
  readonly pnlUnrealised: number;
  readonly pnlTotal: number;
  readonly fees: number;
  readonly funding: number;
  readonly quotes: number;
  readonly fills: number;
  readonly hedges: number;
  readonly exits: number;
  readonly maxDrawdown: number;
  readonly killSwitch: boolean;
  /** Why the kill switch latched; null when it did not (printed as `None`). */
  readonly killReason: string | null;
  readonly sessionDigest: string;
}

/** Returns the summary record of a core session: its exact PnL text as numbers, its digest, and `None` for no kill. */
export function summaryRecordOf(summary: SessionSummary, sessionDigest: string): SessionSummaryRecord {
  return {
    scenario: summary.scenario,
    seed: summary.seed,
    pnlRealised: Number(summary.pnl.realised),
    pnlUnrealised: Number(summary.pnl.unrealised),
    pnlTotal: Number(summary.pnl.total),
    fees: Number(summary.pnl.fees),
    funding: Number(summary.pnl.funding),
    maxDrawdown: Number(summary.maxDrawdown),
    quotes: summary.quotes,
    fills: summary.fills,
    hedges: summary.hedges,
    exits: summary.exits,
    killSwitch: summary.killSwitch,
    // The format reserves "None" for "not killed"; a latched switch always has a reason.
    killReason: summary.killSwitch ? (summary.killReason && summary.killReason !== 'None' ? summary.killReason : 'Unspecified') : null,
    sessionDigest,
  };
}

/** The first line of a version-1 summary block. */
export const SUMMARY_HEADER = '=== session summary v1 ===';
/** The last line of a summary block. */
export const SUMMARY_FOOTER = '=== end session summary ===';

type Kind = 'text' | 'number' | 'count' | 'drawdown' | 'bool' | 'reason' | 'digest';
const FIELDS: readonly (readonly [string, keyof SessionSummaryRecord, Kind])[] = [
  ['scenario', 'scenario', 'text'],
  ['seed', 'seed', 'text'],
  ['pnl_realised', 'pnlRealised', 'number'],
  ['pnl_unrealised', 'pnlUnrealised', 'number'],
  ['pnl_total', 'pnlTotal', 'number'],
  ['fees', 'fees', 'number'],
  ['funding', 'funding', 'number'],
  ['max_drawdown', 'maxDrawdown', 'drawdown'],
  ['quotes', 'quotes', 'count'],
  ['fills', 'fills', 'count'],
  ['hedges', 'hedges', 'count'],
  ['exits', 'exits', 'count'],
  ['kill_switch', 'killSwitch', 'bool'],
  ['kill_reason', 'killReason', 'reason'],
  ['session_digest', 'sessionDigest', 'digest'],
];

/** Raised when a summary block is missing or malformed; says which line and what was received. */
export class SessionSummaryParseError extends Error {
  /** Returns a new error. */
  constructor(message: string) {
    super(message);
    this.name = 'SessionSummaryParseError';
  }
}

function formatValue(kind: Kind, value: unknown, key: string): string {
  switch (kind) {
    case 'text':
      if (typeof value !== 'string' || value.length === 0 || /[\r\n]/.test(value) || value !== value.trim()) {
        throw new RangeError(`summary field ${key} must be a one-line, non-empty, trimmed string, received ${JSON.stringify(value)}`);
      }
      return value;
    case 'reason':
      if (value === null) return 'None';
      if (typeof value !== 'string' || value.length === 0 || value === 'None' || /[\r\n]/.test(value) || value !== value.trim()) {
        throw new RangeError(`summary field ${key} must be null or a one-line trimmed string other than "None", received ${JSON.stringify(value)}`);
      }
      return value;
    case 'bool':
      return value ? 'true' : 'false';
    case 'digest':
      if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new RangeError(`summary field ${key} must be 64 lower-case hex characters, received ${JSON.stringify(value)}`);
      return value;
    default: {
      const n = value as number;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new RangeError(`summary field ${key} must be a finite number, received ${String(value)}`);
      if (kind === 'count' && !(Number.isInteger(n) && n >= 0)) throw new RangeError(`summary field ${key} must be a non-negative integer, received ${n}`);
      if (kind === 'drawdown' && n < 0) throw new RangeError(`summary field ${key} must be non-negative, received ${n}`);
      return Object.is(n, -0) ? '0' : String(n);
    }
  }
}

/** Returns the summary block text (with a trailing newline) for `summary`. */
export function formatSessionSummary(summary: SessionSummaryRecord): string {
  const lines = [SUMMARY_HEADER];
  for (const [label, key, kind] of FIELDS) lines.push(`${label}: ${formatValue(kind, summary[key], label)}`);
  lines.push(SUMMARY_FOOTER);
  return `${lines.join('\n')}\n`;
}

const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

function parseValue(kind: Kind, raw: string, label: string, lineNo: number): unknown {
  const bad = (what: string): never => {
    throw new SessionSummaryParseError(`summary line ${lineNo}: ${label} must be ${what}, received ${JSON.stringify(raw)}`);
  };
  switch (kind) {
    case 'text':
      return raw.length > 0 ? raw : bad('a non-empty string');
    case 'reason':
      return raw === 'None' ? null : raw.length > 0 ? raw : bad('a reason or "None"');
    case 'bool':
      return raw === 'true' ? true : raw === 'false' ? false : bad('true or false');
    case 'digest':
      return /^[0-9a-f]{64}$/.test(raw) ? raw : bad('64 lower-case hex characters');
    default: {
      if (!NUMBER.test(raw)) return bad('a number');
      const n = Number(raw);
      if (!Number.isFinite(n)) return bad('a finite number');
      if (kind === 'count' && !(Number.isInteger(n) && n >= 0)) return bad('a non-negative integer');
      if (kind === 'drawdown' && n < 0) return bad('a non-negative number');
      return n;
    }
  }
}

/** Returns the last summary block of `output` parsed; throws SessionSummaryParseError if there is none or it is malformed. */
export function parseSessionSummary(output: string): SessionSummaryRecord {
  const lines = output.split(/\r?\n/);
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    if (lines[i]!.trim() === SUMMARY_HEADER) {
      start = i;
      break;
    }
  }
  let bare = false;
  const other = lines.find((l) => /^=== session summary v\d+ ===$/.test(l.trim()));
  if (start < 0 && other !== undefined) {
    throw new SessionSummaryParseError(`unsupported summary version: received ${JSON.stringify(other.trim())}, expected ${JSON.stringify(SUMMARY_HEADER)}`);
  }
  if (start < 0) {
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      if (/^scenario: /.test(lines[i]!.trim())) {
        start = i - 1;
        bare = true;
        break;
      }
    }
  }
  if (start < 0 && !bare) throw new SessionSummaryParseError(`no session summary found: expected a line ${JSON.stringify(SUMMARY_HEADER)} or a "scenario:" line`);
  const out: Record<string, unknown> = {};
  let i = start + 1;
  for (const [label, key, kind] of FIELDS) {
    const line = lines[i];
    const lineNo = i + 1;
    if (line === undefined || line.trim() === SUMMARY_FOOTER || (bare && line.trim() === '')) throw new SessionSummaryParseError(`summary line ${lineNo}: missing field ${label}`);
    const m = /^([a-z_]+): ?(.*)$/.exec(line.trim());
    if (!m || m[1] !== label) throw new SessionSummaryParseError(`summary line ${lineNo}: expected field ${label}, received ${JSON.stringify(line)}`);
    out[key] = parseValue(kind, m[2]!.trim(), label, lineNo);
    i += 1;
  }
  if (!bare && lines[i]?.trim() !== SUMMARY_FOOTER) throw new SessionSummaryParseError(`summary line ${i + 1}: expected ${JSON.stringify(SUMMARY_FOOTER)}, received ${JSON.stringify(lines[i] ?? '<end of output>')}`);
  return out as unknown as SessionSummaryRecord;
}
