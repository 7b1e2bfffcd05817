/** The main job's options, parsed and checked. */

/** The preset scenarios the main job can run. */
export const SESSION_SCENARIOS = ['calm', 'volatile', 'venue-outage', 'funding-flip', 'basis-spike'] as const;

/** A preset scenario name. */
export type SessionScenario = (typeof SESSION_SCENARIOS)[number];

/** What the main job was asked to run. */
export interface SessionArgs {
  readonly scenario: SessionScenario;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly outDir: string;
  readonly help: boolean;
}

/** A bad command line; the message names the option and what was received. */
export class SessionArgsError extends Error {
  override readonly name = 'SessionArgsError';
}

const DEFAULTS: SessionArgs = { scenario: 'calm', seed: 1, durationSeconds: 60, outDir: 'out/sessions', help: false };

/** Returns the parsed options; throws SessionArgsError naming the bad option. */
export function parseSessionArgs(argv: readonly string[]): SessionArgs {
  let args = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') {
      args = { ...args, help: true };
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new SessionArgsError(`${flag} needs a value`);
    i += 1;
    switch (flag) {
      case '--scenario':
        if (!(SESSION_SCENARIOS as readonly string[]).includes(value)) {
          throw new SessionArgsError(`--scenario must be one of ${SESSION_SCENARIOS.join(', ')}; received ${JSON.stringify(value)}`);
        }
        args = { ...args, scenario: value as SessionScenario };
        break;
      case '--seed': {
        const seed = Number(value);
        if (!Number.isSafeInteger(seed)) throw new SessionArgsError(`--seed must be an integer; received ${JSON.stringify(value)}`);
        args = { ...args, seed };
        break;
      }
      case '--duration': {
        const seconds = Number(value);
        if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
          throw new SessionArgsError(`--duration must be a whole number of seconds from 1 to 86400; received ${JSON.stringify(value)}`);
        }
        args = { ...args, durationSeconds: seconds };
        break;
      }
      case '--out':
        args = { ...args, outDir: value };
        break;
      default:
        throw new SessionArgsError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return args;
}
