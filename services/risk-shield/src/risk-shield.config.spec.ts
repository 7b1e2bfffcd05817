import { ConfigurationError } from '@fleet/service';
import { readRiskShieldConfig } from './risk-shield.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

function issuesOf(env: Record<string, string>) {
  try {
    readRiskShieldConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('risk-shield configuration', () => {
  it('defaults to the calm-then-volatile session on ETH-PERP over two venues', () => {
    const config = readRiskShieldConfig(stack);
    expect(config.service.service).toBe('risk-shield');
    expect(config.service.groupId).toBe('fleet.risk-shield');
    expect(config.session).toEqual({ scenario: 'calm-then-volatile', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'] });
  });

  it('takes the session from the environment', () => {
    const config = readRiskShieldConfig({ ...stack, FLEET_SCENARIO: 'loss-limit', FLEET_SEED: '7', FLEET_TICK_MS: '100', FLEET_VENUE_COUNT: '3', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    expect(config.session).toEqual({ scenario: 'loss-limit', seed: 7, durationUs: 60_000_000, tickUs: 100_000, venueCount: 3, instruments: ['ETH-PERP', 'BTC-PERP'] });
  });

  it('names every bad setting and what was received', () => {
    const issues = issuesOf({ ...stack, FLEET_SCENARIO: 'panic', FLEET_TICK_MS: '5', KAFKA_BROKERS: 'nohost' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['KAFKA_BROKERS', 'nohost'],
      ['FLEET_SCENARIO', 'panic'],
      ['FLEET_TICK_MS', '5'],
    ]);
    expect(issues[1].message).toBe('FLEET_SCENARIO must be one of calm-then-volatile, calm, volatile, venue-outage, funding-flip, basis-spike, loss-limit, received "panic"');
  });
});
