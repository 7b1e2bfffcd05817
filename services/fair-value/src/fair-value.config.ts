import { DEFAULT_VENUES, defaultVenueConfig, RISK_PROFILE_NAMES, type StrategyConfig, strategyConfigForProfile, validateStrategyConfig } from '@fleet/core';
import { type Environment, EnvReader, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { FAIR_VALUE_SERVICE } from './fair-value.constants';

/** The configuration of the fair-value service. */
export interface FairValueServiceConfig {
  readonly service: ServiceConfig;
  /** The strategy configuration; fair-value uses its venues, fairValue and volatility sections. */
  readonly strategy: StrategyConfig;
}

/** The environment variable behind each strategy setting the environment can set. */
function envOf(setting: string): string {
  if (setting === 'fairValue.minHealthyVenues') return 'FLEET_FV_MIN_HEALTHY_VENUES';
  if (setting === 'fairValue.staleBookMaxAgeUs') return 'FLEET_FV_STALE_BOOK_MAX_AGE_US';
  if (setting.startsWith('venues')) return 'FLEET_VENUES';
  return 'FLEET_RISK_PROFILE';
}

/**
 * Reads the configuration: the common settings, then FLEET_RISK_PROFILE (balanced unless set),
 * FLEET_VENUES (venue ids in filter order; the five default venues unless set),
 * FLEET_FV_MIN_HEALTHY_VENUES and FLEET_FV_STALE_BOOK_MAX_AGE_US (the profile's values unless
 * set); the strategy configuration is checked with the core's validator. Throws a
 * ConfigurationError naming every bad setting and what was received.
 */
export function readFairValueConfig(env: Environment): FairValueServiceConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(FAIR_VALUE_SERVICE, reader);
  const before = reader.problems().length;
  const profile = reader.oneOf('FLEET_RISK_PROFILE', RISK_PROFILE_NAMES, 'balanced');
  const venueIds = reader.list('FLEET_VENUES', { default: DEFAULT_VENUES.map((v) => v.venueId), item: /^[A-Za-z0-9._-]+$/, rule: 'a comma-separated list of venue ids' });
  const has = (name: string): boolean => reader.raw(name) !== undefined;
  const minHealthy = has('FLEET_FV_MIN_HEALTHY_VENUES') ? reader.integer('FLEET_FV_MIN_HEALTHY_VENUES', { min: 1, max: 31 }) : undefined;
  const staleUs = has('FLEET_FV_STALE_BOOK_MAX_AGE_US') ? reader.integer('FLEET_FV_STALE_BOOK_MAX_AGE_US', { min: 1 }) : undefined;
  const base = strategyConfigForProfile(profile, venueIds.map(defaultVenueConfig));
  const strategy: StrategyConfig = {
    ...base,
    fairValue: { ...base.fairValue, ...(minHealthy !== undefined && { minHealthyVenues: minHealthy }), ...(staleUs !== undefined && { staleBookMaxAgeUs: staleUs }) },
  };
  // The core validator runs when the strategy variables themselves parsed.
  if (reader.problems().length === before) {
    for (const issue of validateStrategyConfig(strategy)) {
      const name = envOf(issue.setting);
      reader.report(name, reader.raw(name), `${name} is invalid: ${issue.message}`);
    }
  }
  reader.done();
  return { service, strategy };
}
