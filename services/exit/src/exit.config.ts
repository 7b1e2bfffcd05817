import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { EXIT_SERVICE } from './exit.constants';

/** The configuration of the exit service: the common settings and the session every service shares. */
export interface ExitServiceConfig {
  readonly service: ServiceConfig;
  /** The session; the strategy (venues, exit parameters, timer) of each instrument derives from it. */
  readonly session: LaneSessionConfig;
}

/**
 * Reads the configuration: the common service settings and the session (FLEET_SCENARIO,
 * FLEET_SEED, FLEET_DURATION_S, FLEET_TICK_MS, FLEET_VENUE_COUNT, FLEET_INSTRUMENTS). Throws a
 * ConfigurationError naming every bad setting and what was received.
 */
export function readExitConfig(env: Environment): ExitServiceConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(EXIT_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  reader.done();
  return { service, session };
}
