/** The main job's options, parsed and checked. */
import { FLEET_SCENARIOS, type FleetScenarioName } from '@fleet/service';

/** What the main job was asked to run. */
export interface SessionArgs {
  readonly scenario: FleetScenarioName;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly instruments: readonly string[];
  readonly tickMs: number;
  readonly venues: number;
  /** Market data from live public venues (ccxt) instead of the simulator. */
  readonly live: boolean;
  /** How many ticks market-gateway may run ahead of the fleet (1: strict lock-step). */
  readonly window: number;
  readonly outDir: string;
  readonly help: boolean;
}

/** A bad command line; the message names the option and what was received. */
export class SessionArgsError extends Error {
  override readonly name = 'SessionArgsError';
}

const DEFAULTS: SessionArgs = { scenario: 'calm-then-volatile', seed: 1, durationSeconds: 60, instruments: ['ETH-PERP'], tickMs: 250, venues: 2, live: false, window: 1, outDir: 'out/sessions', help: false };

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new SessionArgsError(`${flag} must be a whole number from ${min} to ${max}; received ${JSON.stringify(value)}`);
  return n;
}

/** Returns the parsed options; throws SessionArgsError naming the bad option. */
export function parseSessionArgs(argv: readonly string[]): SessionArgs {
  let args = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') {
      args = { ...args, help: true };
      continue;
    }
    if (flag === '--live') {
      args = { ...args, live: true };
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new SessionArgsError(`${flag} needs a value`);
    i += 1;
    switch (flag) {
      case '--scenario':
        if (!(FLEET_SCENARIOS as readonly string[]).includes(value)) throw new SessionArgsError(`--scenario must be one of ${FLEET_SCENARIOS.join(', ')}; received ${JSON.stringify(value)}`);
        args = { ...args, scenario: value as FleetScenarioName };
        break;
      case '--seed':
        args = { ...args, seed: integer('--seed', value, 0, 2 ** 31 - 1) };
        break;
      case '--duration':
        args = { ...args, durationSeconds: integer('--duration', value, 1, 86_400) };
        break;
      case '--instruments': {
        const instruments = value.split(',').map((s) => s.trim());
        const bad = instruments.find((s) => !/^[A-Z0-9]+-[A-Z0-9]+$/.test(s));
        if (bad !== undefined || new Set(instruments).size !== instruments.length) throw new SessionArgsError(`--instruments must be distinct instruments such as ETH-PERP,BTC-PERP; received ${JSON.stringify(value)}`);
        args = { ...args, instruments };
        break;
      }
      case '--tick-ms':
        args = { ...args, tickMs: integer('--tick-ms', value, 10, 60_000) };
        break;
      case '--venues':
        args = { ...args, venues: integer('--venues', value, 2, 3) };
        break;
      case '--window':
        args = { ...args, window: integer('--window', value, 1, 1000) };
        break;
      case '--out':
        args = { ...args, outDir: value };
        break;
      default:
        throw new SessionArgsError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return args;
}

/** Returns the session settings every service reads, for `args`. */
export function sessionEnvOf(args: SessionArgs): Record<string, string> {
  return {
    FLEET_SCENARIO: args.scenario,
    FLEET_SEED: String(args.seed),
    FLEET_DURATION_S: String(args.durationSeconds),
    FLEET_TICK_MS: String(args.tickMs),
    FLEET_VENUE_COUNT: String(args.venues),
    FLEET_INSTRUMENTS: args.instruments.join(','),
    FLEET_LOCKSTEP_WINDOW: String(args.window),
    FLEET_MD_SOURCE: args.live ? 'live' : 'sim',
  };
}
