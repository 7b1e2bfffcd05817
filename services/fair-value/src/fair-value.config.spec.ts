import { ConfigurationError } from '@fleet/service';
import { readFairValueConfig } from './fair-value.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

function issuesOf(env: Record<string, string>) {
  try {
    readFairValueConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('fair-value configuration', () => {
  it('defaults to the balanced profile over the five default venues', () => {
    const config = readFairValueConfig(stack);
    expect(config.service.service).toBe('fair-value');
    expect(config.strategy.profile).toBe('balanced');
    expect(config.strategy.venues.map((v) => v.venueId)).toEqual(['venue-a', 'venue-b', 'venue-c', 'venue-d', 'venue-e']);
  });

  it('takes venues, profile and gating overrides from the environment', () => {
    const config = readFairValueConfig({ ...stack, FLEET_VENUES: 'venue-a,venue-b,venue-c', FLEET_RISK_PROFILE: 'conservative', FLEET_FV_MIN_HEALTHY_VENUES: '2', FLEET_FV_STALE_BOOK_MAX_AGE_US: '750000' });
    expect(config.strategy.venues).toHaveLength(3);
    expect(config.strategy.profile).toBe('conservative');
    expect(config.strategy.fairValue.minHealthyVenues).toBe(2);
    expect(config.strategy.fairValue.staleBookMaxAgeUs).toBe(750_000);
  });

  it('names a bad profile and what was received', () => {
    const [issue] = issuesOf({ ...stack, FLEET_RISK_PROFILE: 'yolo' });
    expect(issue.setting).toBe('FLEET_RISK_PROFILE');
    expect(issue.message).toBe('FLEET_RISK_PROFILE must be one of conservative, balanced, aggressive, received "yolo"');
  });

  it('names the variable behind a strategy setting the core validator rejects', () => {
    const issues = issuesOf({ ...stack, FLEET_VENUES: 'venue-a,venue-b', FLEET_FV_MIN_HEALTHY_VENUES: '3' });
    expect(issues.map((i) => i.setting)).toEqual(['FLEET_FV_MIN_HEALTHY_VENUES']);
    expect(issues[0].received).toBe('3');
    expect(issues[0].message).toBe('FLEET_FV_MIN_HEALTHY_VENUES is invalid: fairValue.minHealthyVenues must be at most the number of venues (2), received 3');
  });

  it('names a duplicate venue', () => {
    const issues = issuesOf({ ...stack, FLEET_VENUES: 'venue-a,venue-a' });
    expect(issues.map((i) => [i.setting, i.received])).toContainEqual(['FLEET_VENUES', 'venue-a,venue-a']);
  });
});
