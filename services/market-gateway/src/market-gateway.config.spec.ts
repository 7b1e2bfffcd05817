import { join } from 'node:path';
import { ConfigurationError } from '@fleet/service';
import { readMarketGatewayConfig } from './market-gateway.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };
const SAMPLE = join(__dirname, '..', '..', '..', 'libs', 'venues', 'fixtures', 'sample-market-data.jsonl');

function issuesOf(env: Record<string, string>) {
  try {
    readMarketGatewayConfig({ ...stack, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('market-gateway configuration', () => {
  it('defaults to the simulator, a lock-step window of 1 and no injected record', () => {
    const config = readMarketGatewayConfig(stack);
    expect(config.service.service).toBe('market-gateway');
    expect(config.session).toMatchObject({ scenario: 'calm-then-volatile', seed: 1, tickUs: 250_000, instruments: ['ETH-PERP'] });
    expect(config.source).toEqual({ kind: 'sim' });
    expect(config.lockstepWindow).toBe(1);
    expect(config.injectMalformedAtTick).toBeUndefined();
  });

  it('reads a recorded file, the window and the malformed-record tick', () => {
    const config = readMarketGatewayConfig({ ...stack, FLEET_MD_SOURCE: 'recorded', FLEET_MD_FILE: SAMPLE, FLEET_LOCKSTEP_WINDOW: '4', FLEET_INJECT_MALFORMED_AT_TICK: '3' });
    expect(config.source).toEqual({ kind: 'recorded', file: SAMPLE });
    expect(config.lockstepWindow).toBe(4);
    expect(config.injectMalformedAtTick).toBe(3);
  });

  it('requires an existing file for a recorded source', () => {
    expect(issuesOf({ FLEET_MD_SOURCE: 'recorded' }).map((i) => i.setting)).toEqual(['FLEET_MD_FILE']);
    const [missing] = issuesOf({ FLEET_MD_SOURCE: 'recorded', FLEET_MD_FILE: join(__dirname, 'no-such-file.jsonl') });
    expect(missing.message).toBe(`FLEET_MD_FILE must be the path of an existing recorded market-data file, received ${JSON.stringify(join(__dirname, 'no-such-file.jsonl'))}`);
    expect(issuesOf({ FLEET_MD_SOURCE: 'recorded', FLEET_MD_FILE: __dirname }).map((i) => i.setting)).toEqual(['FLEET_MD_FILE']);
  });

  it('derives the live symbols from the session instruments', () => {
    const config = readMarketGatewayConfig({ ...stack, FLEET_MD_SOURCE: 'live', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_LIVE_VENUES: 'binanceusdm,bybit' });
    expect(config.source).toEqual({ kind: 'live', venues: ['binanceusdm', 'bybit'], symbols: ['ETH/USDT:USDT', 'BTC/USDT:USDT'] });
  });

  it('takes explicit live symbols that map onto the session instruments', () => {
    const config = readMarketGatewayConfig({ ...stack, FLEET_MD_SOURCE: 'live', FLEET_INSTRUMENTS: 'BTC-PERP', FLEET_LIVE_SYMBOLS: 'BTC/USDC:USDC' });
    expect(config.source).toEqual({ kind: 'live', venues: ['binanceusdm', 'bybit'], symbols: ['BTC/USDC:USDC'] });
  });

  it('names live symbols that do not cover the instruments, or are not perpetuals', () => {
    const [uncovered] = issuesOf({ FLEET_MD_SOURCE: 'live', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_LIVE_SYMBOLS: 'BTC/USDT:USDT' });
    expect(uncovered.setting).toBe('FLEET_LIVE_SYMBOLS');
    expect(uncovered.message).toBe('FLEET_LIVE_SYMBOLS must be one symbol per FLEET_INSTRUMENTS instrument (ETH-PERP, BTC-PERP); they map to BTC-PERP, received "BTC/USDT:USDT"');
    const [spot] = issuesOf({ FLEET_MD_SOURCE: 'live', FLEET_LIVE_SYMBOLS: 'ETH/USDT' });
    expect(spot.message).toContain('("ETH/USDT" is not one)');
    expect(issuesOf({ FLEET_MD_SOURCE: 'live', FLEET_LIVE_VENUES: 'Binance!' }).map((i) => i.setting)).toEqual(['FLEET_LIVE_VENUES']);
    const [underived] = issuesOf({ FLEET_MD_SOURCE: 'live', FLEET_INSTRUMENTS: 'BTC-USD' });
    expect(underived.message).toBe('FLEET_LIVE_SYMBOLS must be set when FLEET_INSTRUMENTS (BTC-USD) are not all BASE-PERP instruments, received nothing (the variable is not set)');
  });

  it('names every bad setting at once', () => {
    const issues = issuesOf({ FLEET_MD_SOURCE: 'kafka', FLEET_LOCKSTEP_WINDOW: '0', FLEET_INJECT_MALFORMED_AT_TICK: '-1' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['FLEET_MD_SOURCE', 'kafka'],
      ['FLEET_LOCKSTEP_WINDOW', '0'],
      ['FLEET_INJECT_MALFORMED_AT_TICK', '-1'],
    ]);
    expect(issues[1]!.message).toBe('FLEET_LOCKSTEP_WINDOW must be an integer from 1 to 10000, received "0"');
  });

  it('refuses a malformed-record tick past the end of a simulated session', () => {
    const [issue] = issuesOf({ FLEET_DURATION_S: '1', FLEET_INJECT_MALFORMED_AT_TICK: '4' });
    expect(issue.message).toBe('FLEET_INJECT_MALFORMED_AT_TICK must be an integer from 0 to 3, received "4"');
  });
});
