import { statSync } from 'node:fs';
import { MARKET_GATEWAY } from '@fleet/events';
import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { canonicalPerpOf } from '@fleet/venues';
import { type LiveMarketData } from './live-tick-source';
import { ticksIn } from './tick-source';

/** Where the gateway's market data comes from (FLEET_MD_SOURCE). */
export const MD_SOURCE_KINDS = ['sim', 'recorded', 'live'] as const;

/** The market-data source of a session. */
export type MdSourceConfig =
  /** The core simulator, one market per session instrument. */
  | { readonly kind: 'sim' }
  /** A recorded market-data file (docs/market-data-format.md). */
  | { readonly kind: 'recorded'; readonly file: string }
  /** Live public data from ccxt pro venues. */
  | ({ readonly kind: 'live' } & LiveMarketData);

/** The configuration of market-gateway. */
export interface MarketGatewayConfig {
  readonly service: ServiceConfig;
  readonly session: LaneSessionConfig;
  readonly source: MdSourceConfig;
  /** FLEET_LOCKSTEP_WINDOW: how many ticks the gateway may run ahead of the slowest lane; 1 unless set. */
  readonly lockstepWindow: number;
  /**
   * FLEET_INJECT_MALFORMED_AT_TICK (test and chaos setting, unset in production): at this tick
   * the gateway also writes one deliberately malformed md.book record, bytes that are not
   * Confluent-framed Avro, so an end-to-end test can watch the consumers dead-letter it.
   */
  readonly injectMalformedAtTick: number | undefined;
}

const PERP_INSTRUMENT = /^([A-Z0-9]+)-PERP$/;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readRecordedFile(reader: EnvReader): string {
  const file = reader.string('FLEET_MD_FILE', { rule: 'the path of a recorded market-data file when FLEET_MD_SOURCE=recorded' });
  if (file !== '' && !isFile(file)) reader.fail('FLEET_MD_FILE', file, 'the path of an existing recorded market-data file');
  return file;
}

/** Returns the USDT-margined perpetual symbol of a session instrument (ETH-PERP → ETH/USDT:USDT), or undefined for another shape. */
function defaultSymbolOf(instrument: string): string | undefined {
  const m = PERP_INSTRUMENT.exec(instrument);
  return m === null ? undefined : `${m[1]}/USDT:USDT`;
}

function readLive(reader: EnvReader, session: LaneSessionConfig): LiveMarketData {
  // The session reads and checks FLEET_LIVE_VENUES (every service names its venues after them).
  const venues = [...(session.liveVenues ?? [])];
  const raw = reader.raw('FLEET_LIVE_SYMBOLS');
  const defaults = session.instruments.map(defaultSymbolOf).filter((s) => s !== undefined);
  if (raw === undefined && defaults.length < session.instruments.length) {
    reader.fail('FLEET_LIVE_SYMBOLS', undefined, `set when FLEET_INSTRUMENTS (${session.instruments.join(', ')}) are not all BASE-PERP instruments`);
    return { venues, symbols: [] };
  }
  const symbols = reader.list('FLEET_LIVE_SYMBOLS', { default: defaults, rule: 'a comma-separated list of ccxt perpetual symbols such as BTC/USDT:USDT,ETH/USDT:USDT' });
  const instruments: string[] = [];
  for (const symbol of symbols) {
    try {
      instruments.push(canonicalPerpOf(symbol));
    } catch {
      reader.fail('FLEET_LIVE_SYMBOLS', raw, `a comma-separated list of ccxt perpetual symbols such as BTC/USDT:USDT (${JSON.stringify(symbol)} is not one)`);
      return { venues, symbols };
    }
  }
  const missing = session.instruments.filter((i) => !instruments.includes(i));
  const extra = instruments.filter((i) => !session.instruments.includes(i));
  if (missing.length > 0 || extra.length > 0 || new Set(instruments).size !== instruments.length) {
    reader.fail('FLEET_LIVE_SYMBOLS', raw, `one symbol per FLEET_INSTRUMENTS instrument (${session.instruments.join(', ')}); they map to ${instruments.join(', ')}`);
  }
  return { venues, symbols };
}

function readSource(reader: EnvReader, session: LaneSessionConfig): MdSourceConfig {
  const kind = reader.oneOf('FLEET_MD_SOURCE', MD_SOURCE_KINDS, 'sim');
  if (kind === 'recorded') return { kind, file: readRecordedFile(reader) };
  if (kind === 'live') return { kind, ...readLive(reader, session) };
  return { kind };
}

/**
 * Reads the configuration: the common and session settings, then FLEET_MD_SOURCE (sim unless
 * set; recorded needs FLEET_MD_FILE, an existing file; live reads FLEET_LIVE_VENUES, ccxt
 * exchange ids, binanceusdm unless set, and FLEET_LIVE_SYMBOLS, one ccxt perpetual symbol per
 * session instrument, BASE/USDT:USDT per BASE-PERP unless set), FLEET_LOCKSTEP_WINDOW and
 * FLEET_INJECT_MALFORMED_AT_TICK. Throws a ConfigurationError naming every bad setting.
 */
export function readMarketGatewayConfig(env: Environment): MarketGatewayConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(MARKET_GATEWAY, reader);
  const session = readLaneSessionConfig(reader);
  const source = readSource(reader, session);
  const lockstepWindow = reader.integer('FLEET_LOCKSTEP_WINDOW', { default: 1, min: 1, max: 10_000 });
  const lastTick = source.kind === 'sim' ? ticksIn(session.durationUs, session.tickUs) - 1 : undefined;
  const injectMalformedAtTick = reader.raw('FLEET_INJECT_MALFORMED_AT_TICK') === undefined ? undefined : reader.integer('FLEET_INJECT_MALFORMED_AT_TICK', { min: 0, max: lastTick });
  reader.done();
  return { service, session, source, lockstepWindow, injectMalformedAtTick };
}
