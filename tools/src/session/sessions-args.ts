/** The options of the sessions command (list, show, verify), parsed and checked. */
import { SessionArgsError } from './session-args';

/** What the sessions command was asked to do. */
export type SessionsCommand =
  | { readonly action: 'help' }
  | { readonly action: 'list'; readonly outDir: string; readonly json: boolean }
  | { readonly action: 'show'; readonly outDir: string; readonly json: boolean; readonly id: string }
  | { readonly action: 'verify'; readonly outDir: string; readonly json: boolean; readonly id: string };

/** The usage line of the sessions command. */
export const SESSIONS_USAGE = 'usage: tools/fleet sessions list|show <id>|verify <id> [--out DIR] [--json]';

const SESSION_ID = /^[0-9a-f]{24}$/;

/** Returns the parsed command; throws SessionArgsError naming the bad argument and what was received. */
export function parseSessionsArgs(argv: readonly string[]): SessionsCommand {
  let outDir = 'out/sessions';
  let json = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { action: 'help' };
    if (arg === '--json') {
      json = true;
    } else if (arg === '--out') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new SessionArgsError(`--out needs a directory; received ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      outDir = value;
      i += 1;
    } else if (arg.startsWith('-')) {
      throw new SessionArgsError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      positional.push(arg);
    }
  }
  const [action, ...rest] = positional;
  if (action === undefined) throw new SessionArgsError('a command is required: list, show <id> or verify <id>; received nothing');
  if (action === 'list') {
    if (rest.length > 0) throw new SessionArgsError(`list takes no arguments; received ${JSON.stringify(rest)}`);
    return { action, outDir, json };
  }
  if (action === 'show' || action === 'verify') {
    if (rest.length !== 1) throw new SessionArgsError(`${action} needs exactly one session id; received ${rest.length === 0 ? 'none' : JSON.stringify(rest)}`);
    const id = rest[0]!;
    if (!SESSION_ID.test(id)) throw new SessionArgsError(`the session id must be 24 lower-case hex characters; received ${JSON.stringify(id)}`);
    return { action, outDir, json, id };
  }
  throw new SessionArgsError(`the command must be list, show or verify; received ${JSON.stringify(action)}`);
}
