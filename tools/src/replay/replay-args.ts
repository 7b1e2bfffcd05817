/** The options of the replay command, parsed and checked. */

/** The services a replay can run: every lane service (market-gateway is the clock, audit-writer decides nothing). */
export const REPLAY_SERVICES = ['fair-value', 'quoting', 'hedge', 'exit', 'risk-shield', 'budget-ledger', 'execution-router'] as const;

/** A service a replay can run. */
export type ReplayService = (typeof REPLAY_SERVICES)[number];

/** Where a reset moves the service's group: to the beginning of its inputs, or to the first offsets at or after a time. */
export type ResetPoint = { readonly kind: 'earliest' } | { readonly kind: 'time'; readonly timestampMs: number };

/** What the replay command was asked to do. */
export interface ReplayArgs {
  readonly help: boolean;
  readonly sessionId: string;
  readonly service: ReplayService;
  readonly mode: 'shadow' | 'reset';
  /** Environment overrides of the replayed service, in the order given. */
  readonly sets: Readonly<Record<string, string>>;
  /** Replay up to this tick (inclusive); the last recorded tick unless given. */
  readonly toTick: number | undefined;
  readonly outDir: string;
  readonly json: boolean;
  readonly timeoutSeconds: number;
  readonly iKnowOutputsDuplicate: boolean;
  readonly resetTo: ResetPoint;
  /** Reset mode: restart the service in place after the reset (false: the operator restarts it). */
  readonly restart: boolean;
}

/** A bad command line; the message names the option and what was received. */
export class ReplayArgsError extends Error {
  override readonly name = 'ReplayArgsError';
}

/** The usage text of the replay command. */
export const REPLAY_USAGE = `usage: tools/fleet replay --session ID --service ${REPLAY_SERVICES.join('|')}
         [--set KEY=VALUE ...] [--to-tick N] [--mode shadow|reset] [--out DIR] [--json] [--timeout SECONDS]
       reset mode only: --i-know-outputs-duplicate [--reset-to earliest|ISO-8601-TIME] [--no-restart]`;

/** Settings a replay controls itself: overriding them would point the replay at production topics or groups. */
const RESERVED = new Set(['FLEET_TOPIC_PREFIX', 'FLEET_INPUT_TOPIC_PREFIX', 'FLEET_GROUP_ID', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'REDIS_URL']);

const SESSION_ID = /^[0-9a-f]{24}$/;

function resetPointOf(value: string): ResetPoint {
  if (value === 'earliest') return { kind: 'earliest' };
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new ReplayArgsError(`--reset-to must be earliest or an ISO-8601 time such as 2026-01-02T03:04:05Z; received ${JSON.stringify(value)}`);
  return { kind: 'time', timestampMs: ms };
}

/** Returns the parsed options; throws ReplayArgsError naming the bad option and what was received. */
export function parseReplayArgs(argv: readonly string[]): ReplayArgs {
  let sessionId: string | undefined;
  let service: string | undefined;
  let mode: 'shadow' | 'reset' = 'shadow';
  const sets: Record<string, string> = {};
  let toTick: number | undefined;
  let outDir = 'out/sessions';
  let json = false;
  let timeoutSeconds = 900;
  let iKnowOutputsDuplicate = false;
  let resetTo: ResetPoint = { kind: 'earliest' };
  let resetToGiven = false;
  let restart = true;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return { help: true, sessionId: '', service: 'fair-value', mode, sets, toTick, outDir, json, timeoutSeconds, iKnowOutputsDuplicate, resetTo, restart };
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (flag === '--i-know-outputs-duplicate') {
      iKnowOutputsDuplicate = true;
      continue;
    }
    if (flag === '--no-restart') {
      restart = false;
      continue;
    }
    const value = argv[i + 1];
    if (!flag.startsWith('--')) throw new ReplayArgsError(`unexpected argument ${JSON.stringify(flag)}`);
    if (value === undefined || value.startsWith('--')) throw new ReplayArgsError(`${flag} needs a value; received ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    i++;
    switch (flag) {
      case '--session':
        if (!SESSION_ID.test(value)) throw new ReplayArgsError(`--session must be a session id of 24 lower-case hex characters; received ${JSON.stringify(value)}`);
        sessionId = value;
        break;
      case '--service':
        if (!(REPLAY_SERVICES as readonly string[]).includes(value)) throw new ReplayArgsError(`--service must be one of ${REPLAY_SERVICES.join(', ')}; received ${JSON.stringify(value)}`);
        service = value;
        break;
      case '--mode':
        if (value !== 'shadow' && value !== 'reset') throw new ReplayArgsError(`--mode must be shadow or reset; received ${JSON.stringify(value)}`);
        mode = value;
        break;
      case '--set': {
        const m = /^([A-Z][A-Z0-9_]*)=(.*)$/s.exec(value);
        if (!m) throw new ReplayArgsError(`--set must be KEY=VALUE with an upper-case environment variable name; received ${JSON.stringify(value)}`);
        if (RESERVED.has(m[1]!)) throw new ReplayArgsError(`--set cannot change ${m[1]}: the replay sets it to keep production untouched`);
        sets[m[1]!] = m[2]!;
        break;
      }
      case '--to-tick':
        if (!/^\d{1,9}$/.test(value)) throw new ReplayArgsError(`--to-tick must be a tick number (a whole number from 0); received ${JSON.stringify(value)}`);
        toTick = Number(value);
        break;
      case '--out':
        outDir = value;
        break;
      case '--timeout':
        if (!/^\d{1,6}$/.test(value) || Number(value) < 10) throw new ReplayArgsError(`--timeout must be whole seconds, at least 10; received ${JSON.stringify(value)}`);
        timeoutSeconds = Number(value);
        break;
      case '--reset-to':
        resetTo = resetPointOf(value);
        resetToGiven = true;
        break;
      default:
        throw new ReplayArgsError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (sessionId === undefined) throw new ReplayArgsError('--session is required');
  if (service === undefined) throw new ReplayArgsError('--service is required');
  if (mode === 'reset') {
    if (!iKnowOutputsDuplicate) throw new ReplayArgsError('--mode reset replays in place: the service re-reads its inputs and writes to the production topics. Add --i-know-outputs-duplicate to go ahead, or use the default --mode shadow');
    if (Object.keys(sets).length > 0) throw new ReplayArgsError('--set applies to shadow replays only: a reset replays the service as deployed');
  } else if (iKnowOutputsDuplicate || resetToGiven || !restart) {
    throw new ReplayArgsError('--i-know-outputs-duplicate, --reset-to and --no-restart apply to --mode reset only');
  }
  return { help: false, sessionId, service: service as ReplayService, mode, sets, toTick, outDir, json, timeoutSeconds, iKnowOutputsDuplicate, resetTo, restart };
}
