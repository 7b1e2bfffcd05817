/** The options of the why command and of the why HTTP server, parsed and checked. */

/** What to explain. */
export type WhySubject = { readonly kind: 'order' | 'fill' | 'intent' | 'signal'; readonly id: string };

/** The why command's options. */
export interface WhyArgs {
  readonly help: boolean;
  readonly sessionId: string;
  readonly subject: WhySubject;
  readonly outDir: string;
  readonly json: boolean;
}

/** The why server's options. */
export interface WhyServerArgs {
  readonly help: boolean;
  readonly sessionId: string;
  readonly port: number;
  readonly host: string;
  readonly outDir: string;
}

/** A bad command line; the message names the option and what was received. */
export class WhyArgsError extends Error {
  override readonly name = 'WhyArgsError';
}

/** The usage of the why command. */
export const WHY_USAGE = 'usage: tools/fleet why --session ID (--order CLIENT_ORDER_ID | --fill FILL_ID | --intent INTENT_ID | --signal FV_STATE_EVENT_ID) [--out DIR] [--json]';

/** The usage of the why server. */
export const WHY_SERVER_USAGE = 'usage: tools/fleet why-server --session ID --port N [--host 127.0.0.1] [--out DIR]';

const SESSION_ID = /^[0-9a-f]{24}$/;
/** Client order ids are up to 32 characters of [A-Za-z0-9_-]; intent, fill and event ids are 64 hex. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns true when `id` has the shape of a client order id, fill id, intent id or event id. */
export function isWhyId(id: string): boolean {
  return ID.test(id);
}

function options(argv: readonly string[], flags: readonly string[], switches: readonly string[]): { values: Map<string, string>; set: Set<string>; help: boolean } {
  const values = new Map<string, string>();
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return { values, set, help: true };
    if (switches.includes(flag)) {
      set.add(flag);
      continue;
    }
    if (!flags.includes(flag)) throw new WhyArgsError(flag.startsWith('-') ? `unknown option ${JSON.stringify(flag)}` : `unexpected argument ${JSON.stringify(flag)}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new WhyArgsError(`${flag} needs a value; received ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    if (values.has(flag)) throw new WhyArgsError(`${flag} is given twice`);
    values.set(flag, value);
    i++;
  }
  return { values, set, help: false };
}

function sessionOf(values: Map<string, string>): string {
  const id = values.get('--session');
  if (id === undefined) throw new WhyArgsError('--session is required');
  if (!SESSION_ID.test(id)) throw new WhyArgsError(`--session must be a session id of 24 lower-case hex characters; received ${JSON.stringify(id)}`);
  return id;
}

const SUBJECTS = ['order', 'fill', 'intent', 'signal'] as const;

/** Returns the why command's options; throws WhyArgsError naming the bad option. */
export function parseWhyArgs(argv: readonly string[]): WhyArgs {
  const { values, set, help } = options(argv, ['--session', '--out', ...SUBJECTS.map((s) => `--${s}`)], ['--json']);
  const outDir = values.get('--out') ?? 'out/sessions';
  if (help) return { help, sessionId: '', subject: { kind: 'order', id: '' }, outDir, json: false };
  const sessionId = sessionOf(values);
  const given = SUBJECTS.filter((s) => values.has(`--${s}`));
  if (given.length !== 1) throw new WhyArgsError(`exactly one of --order, --fill, --intent or --signal is required; received ${given.length === 0 ? 'none' : given.map((s) => `--${s}`).join(', ')}`);
  const kind = given[0]!;
  const id = values.get(`--${kind}`)!;
  if (!isWhyId(id)) throw new WhyArgsError(`--${kind} must be an id of 1 to 64 letters, digits, dashes or underscores; received ${JSON.stringify(id)}`);
  return { help, sessionId, subject: { kind, id }, outDir, json: set.has('--json') };
}

/** Returns the why server's options; throws WhyArgsError naming the bad option. */
export function parseWhyServerArgs(argv: readonly string[]): WhyServerArgs {
  const { values, help } = options(argv, ['--session', '--port', '--host', '--out'], []);
  const outDir = values.get('--out') ?? 'out/sessions';
  const host = values.get('--host') ?? '127.0.0.1';
  if (help) return { help, sessionId: '', port: 0, host, outDir };
  const sessionId = sessionOf(values);
  const portText = values.get('--port');
  if (portText === undefined) throw new WhyArgsError('--port is required (0 picks a free port)');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65_535)) throw new WhyArgsError(`--port must be a TCP port from 0 to 65535; received ${JSON.stringify(portText)}`);
  return { help, sessionId, port, host, outDir };
}
