import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { canonicalPerpOf, LIVE_TRADING_CONSENT, LIVE_TRADING_SETTING } from '@fleet/venues';
import { EXECUTION_ROUTER_SERVICE } from './execution-router.constants';

/** Where orders go (FLEET_EXECUTION_VENUE): the in-process paper exchange or real venues. */
export const EXECUTION_VENUES = ['paper', 'live'] as const;

/** An execution venue kind. */
export type ExecutionVenueKind = (typeof EXECUTION_VENUES)[number];

/** One live venue: its ccxt exchange id and the names (never the values) of the variables holding its credentials. */
export interface LiveVenueCredentials {
  readonly exchangeId: string;
  readonly apiKeyEnv: string;
  readonly secretEnv: string;
}

/** The live venue settings, read only when FLEET_EXECUTION_VENUE=live. */
export interface LiveExecutionConfig {
  /** FLEET_LIVE_VENUES: ccxt exchange ids; binanceusdm unless set. */
  readonly venues: readonly LiveVenueCredentials[];
  /** FLEET_LIVE_SYMBOLS: the ccxt perpetual symbol of each session instrument; BASE/USDT:USDT of each BASE-PERP unless set. */
  readonly symbols: readonly string[];
  /** FLEET_LIVE_TIMEOUT_MS: the venue request timeout; a submit that times out stays in flight. 10 000 unless set. */
  readonly timeoutMs: number;
}

/** The configuration of execution-router. */
export interface ExecutionRouterConfig {
  readonly service: ServiceConfig;
  /** The session every service agrees on; the paper venues of an instrument come from `laneScenario(session, instrument)`. */
  readonly session: LaneSessionConfig;
  /** FLEET_EXECUTION_VENUE: paper unless set. */
  readonly venue: ExecutionVenueKind;
  /** The live settings; null for the paper venue. */
  readonly live: LiveExecutionConfig | null;
}

const EXCHANGE_ID = /^[a-z][a-z0-9]*$/;
const PERP = /^([A-Z0-9]+)-PERP$/;

/** Returns the environment variable names of a venue's key and secret: FLEET_<ID>_API_KEY and FLEET_<ID>_API_SECRET. */
export function credentialVariablesOf(exchangeId: string): LiveVenueCredentials {
  const id = exchangeId.toUpperCase();
  return { exchangeId, apiKeyEnv: `FLEET_${id}_API_KEY`, secretEnv: `FLEET_${id}_API_SECRET` };
}

function readSymbols(reader: EnvReader, session: LaneSessionConfig): string[] {
  const raw = reader.raw('FLEET_LIVE_SYMBOLS');
  const derived = session.instruments.map((i) => PERP.exec(i)).map((m) => (m === null ? undefined : `${m[1]}/USDT:USDT`));
  if (raw === undefined && derived.some((s) => s === undefined)) {
    reader.fail('FLEET_LIVE_SYMBOLS', undefined, `set when FLEET_INSTRUMENTS (${session.instruments.join(', ')}) are not all BASE-PERP instruments`);
    return [];
  }
  const symbols = reader.list('FLEET_LIVE_SYMBOLS', { default: derived as string[], rule: 'a comma-separated list of ccxt perpetual symbols such as BTC/USDT:USDT,ETH/USDT:USDT' });
  const mapped = symbols.map((s) => {
    try {
      return canonicalPerpOf(s);
    } catch {
      return undefined;
    }
  });
  const unmapped = session.instruments.filter((i) => !mapped.includes(i));
  if (mapped.includes(undefined) || unmapped.length > 0) {
    reader.fail('FLEET_LIVE_SYMBOLS', raw, `ccxt perpetual symbols (BASE/QUOTE:SETTLE), one for each of FLEET_INSTRUMENTS (${session.instruments.join(', ')})`);
  }
  return symbols;
}

/**
 * Reads the live settings. Live trading needs FLEET_LIVE_TRADING=I_UNDERSTAND_REAL_ORDERS and
 * the credential variables of every venue set; a problem names the variable, never the value
 * of a credential (the venue adapter reads the credentials themselves).
 */
function readLive(reader: EnvReader, session: LaneSessionConfig): LiveExecutionConfig {
  const consent = reader.raw(LIVE_TRADING_SETTING);
  if (consent !== LIVE_TRADING_CONSENT) {
    reader.report(
      LIVE_TRADING_SETTING,
      consent,
      `FLEET_EXECUTION_VENUE=live sends real orders and needs ${LIVE_TRADING_SETTING}=${LIVE_TRADING_CONSENT}, received ${consent === undefined ? 'nothing (the variable is not set)' : JSON.stringify(consent)}`,
    );
  }
  const ids = reader.list('FLEET_LIVE_VENUES', { default: ['binanceusdm'], item: EXCHANGE_ID, rule: 'a comma-separated list of ccxt exchange ids such as binanceusdm,bybit' });
  if (new Set(ids).size !== ids.length) reader.fail('FLEET_LIVE_VENUES', reader.raw('FLEET_LIVE_VENUES'), 'a list without repeated venues');
  const venues = ids.map(credentialVariablesOf);
  for (const name of venues.flatMap((v) => [v.apiKeyEnv, v.secretEnv])) {
    if (reader.raw(name) === undefined) reader.report(name, undefined, `FLEET_EXECUTION_VENUE=live needs the venue credential variable ${name}, which is not set`);
  }
  return { venues, symbols: readSymbols(reader, session), timeoutMs: reader.integer('FLEET_LIVE_TIMEOUT_MS', { default: 10_000, min: 100, max: 120_000 }) };
}

/**
 * Reads the configuration: the common settings, the session (FLEET_SCENARIO, FLEET_SEED,
 * FLEET_DURATION_S, FLEET_TICK_MS, FLEET_VENUE_COUNT, FLEET_INSTRUMENTS), then
 * FLEET_EXECUTION_VENUE (paper unless set) and, for live, the live settings. Throws a
 * ConfigurationError naming every bad setting; a credential's value never appears in it.
 */
export function readExecutionRouterConfig(env: Environment): ExecutionRouterConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(EXECUTION_ROUTER_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  const venue = reader.oneOf('FLEET_EXECUTION_VENUE', EXECUTION_VENUES, 'paper');
  const live = venue === 'live' ? readLive(reader, session) : null;
  reader.done();
  return { service, session, venue, live };
}
