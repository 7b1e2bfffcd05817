import { ConfigurationError } from '@fleet/service';
import { readExecutionRouterConfig } from './execution-router.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };
const KEY = 'live-key-5f0c2a9e1d7b4c3a8e6f';
const SECRET = 'live-secret-9a8b7c6d5e4f3a2b1c0d';
const keys = { FLEET_BINANCEUSDM_API_KEY: KEY, FLEET_BINANCEUSDM_API_SECRET: SECRET };

function rejection(env: Record<string, string | undefined>): ConfigurationError {
  try {
    readExecutionRouterConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('execution-router configuration', () => {
  it('defaults to the paper venue over the default session', () => {
    const config = readExecutionRouterConfig(stack);
    expect(config.service.service).toBe('execution-router');
    expect(config.venue).toBe('paper');
    expect(config.live).toBeNull();
    expect(config.session).toMatchObject({ scenario: 'calm-then-volatile', instruments: ['ETH-PERP'], venueCount: 2 });
  });

  it('names a bad FLEET_EXECUTION_VENUE and what was received', () => {
    const error = rejection({ ...stack, FLEET_EXECUTION_VENUE: 'testnet' });
    expect(error.issues.map((i) => [i.setting, i.received])).toEqual([['FLEET_EXECUTION_VENUE', 'testnet']]);
    expect(error.issues[0]!.message).toBe('FLEET_EXECUTION_VENUE must be one of paper, live, received "testnet"');
  });

  it('refuses the live venue without FLEET_LIVE_TRADING=I_UNDERSTAND_REAL_ORDERS, naming both settings and never a key', () => {
    for (const consent of [{}, { FLEET_LIVE_TRADING: 'yes' }]) {
      const error = rejection({ ...stack, ...keys, ...consent, FLEET_EXECUTION_VENUE: 'live' });
      expect(error.issues.map((i) => i.setting)).toEqual(['FLEET_LIVE_TRADING']);
      expect(error.message).toContain('FLEET_EXECUTION_VENUE=live');
      expect(error.message).toContain('FLEET_LIVE_TRADING=I_UNDERSTAND_REAL_ORDERS');
      const text = [error.message, String(error.stack), JSON.stringify(error.issues)].join('\n');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    }
  });

  it('reads the live settings with the opt-in: venues, credential variable names (not values), symbols and timeout', () => {
    const config = readExecutionRouterConfig({ ...stack, ...keys, FLEET_EXECUTION_VENUE: 'live', FLEET_LIVE_TRADING: 'I_UNDERSTAND_REAL_ORDERS', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_LIVE_TIMEOUT_MS: '2500' });
    expect(config.live).toEqual({
      venues: [{ exchangeId: 'binanceusdm', apiKeyEnv: 'FLEET_BINANCEUSDM_API_KEY', secretEnv: 'FLEET_BINANCEUSDM_API_SECRET' }],
      symbols: ['ETH/USDT:USDT', 'BTC/USDT:USDT'],
      timeoutMs: 2500,
    });
    expect(JSON.stringify(config)).not.toContain(KEY);
  });

  it('names a missing credential variable and an unmapped instrument', () => {
    const error = rejection({ ...stack, FLEET_BINANCEUSDM_API_KEY: KEY, FLEET_EXECUTION_VENUE: 'live', FLEET_LIVE_TRADING: 'I_UNDERSTAND_REAL_ORDERS', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_LIVE_SYMBOLS: 'ETH/USDT:USDT' });
    expect(error.issues.map((i) => i.setting)).toEqual(['FLEET_BINANCEUSDM_API_SECRET', 'FLEET_LIVE_SYMBOLS']);
    expect(error.issues[0]!.message).toBe('FLEET_EXECUTION_VENUE=live needs the venue credential variable FLEET_BINANCEUSDM_API_SECRET, which is not set');
    expect(error.issues[1]!.received).toBe('ETH/USDT:USDT');
    expect(error.message).not.toContain(KEY);
  });
});
