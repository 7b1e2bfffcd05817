import { ConfigurationError } from '@fleet/service';
import { readQuotingConfig } from './quoting.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

function issuesOf(env: Record<string, string>) {
  try {
    readQuotingConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('quoting configuration', () => {
  it('reads the common settings as the quoting service and the default session', () => {
    const config = readQuotingConfig(stack);
    expect(config.service.service).toBe('quoting');
    expect(config.service.instance).toBe('quoting-0');
    expect(config.service.groupId).toBe('fleet.quoting');
    expect(config.session).toEqual({ scenario: 'calm-then-volatile', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'] });
  });

  it('takes the session from the environment', () => {
    const config = readQuotingConfig({ ...stack, FLEET_SCENARIO: 'volatile', FLEET_SEED: '7', FLEET_DURATION_S: '30', FLEET_TICK_MS: '100', FLEET_VENUE_COUNT: '3', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    expect(config.session).toEqual({ scenario: 'volatile', seed: 7, durationUs: 30_000_000, tickUs: 100_000, venueCount: 3, instruments: ['ETH-PERP', 'BTC-PERP'] });
  });

  it('names every bad setting and what was received', () => {
    const issues = issuesOf({ REDIS_URL: 'http://x', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', FLEET_SCENARIO: 'stormy', FLEET_TICK_MS: 'fast', FLEET_INSTRUMENTS: 'eth perp' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['KAFKA_BROKERS', undefined],
      ['REDIS_URL', 'http://x'],
      ['FLEET_SCENARIO', 'stormy'],
      ['FLEET_TICK_MS', 'fast'],
      ['FLEET_INSTRUMENTS', 'eth perp'],
    ]);
    expect(issues[2].message).toBe('FLEET_SCENARIO must be one of calm-then-volatile, calm, volatile, venue-outage, funding-flip, basis-spike, loss-limit, received "stormy"');
  });
});
