import { ConfigurationError } from '@fleet/service';
import { readHedgeConfig } from './hedge.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

function issuesOf(env: Record<string, string>) {
  try {
    readHedgeConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('hedge configuration', () => {
  it('reads the common settings and the default session', () => {
    const config = readHedgeConfig(stack);
    expect(config.service.service).toBe('hedge');
    expect(config.service.groupId).toBe('fleet.hedge');
    expect(config.session).toEqual({ scenario: 'calm-then-volatile', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'] });
  });

  it('takes the session from the environment', () => {
    const config = readHedgeConfig({ ...stack, FLEET_SCENARIO: 'basis-spike', FLEET_VENUE_COUNT: '3', FLEET_TICK_MS: '100', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    expect(config.session).toMatchObject({ scenario: 'basis-spike', venueCount: 3, tickUs: 100_000, instruments: ['ETH-PERP', 'BTC-PERP'] });
  });

  it('names every bad setting and what was received', () => {
    const issues = issuesOf({ ...stack, FLEET_SCENARIO: 'storm', FLEET_TICK_MS: '5', REDIS_URL: 'http://x' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['REDIS_URL', 'http://x'],
      ['FLEET_SCENARIO', 'storm'],
      ['FLEET_TICK_MS', '5'],
    ]);
    expect(issues[1].message).toContain('FLEET_SCENARIO must be one of calm-then-volatile');
  });
});
