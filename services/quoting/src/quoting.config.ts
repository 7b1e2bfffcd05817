import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { QUOTING_SERVICE } from './quoting.constants';

/** The configuration of the quoting service: the common settings and the fleet session it quotes in. */
export interface QuotingServiceConfig {
  readonly service: ServiceConfig;
  /** The session every service agrees on; each instrument's quoting parameters come from `laneRunnerConfig(session, instrument)`. */
  readonly session: LaneSessionConfig;
}

/**
 * Reads the configuration: the common settings, then the session (FLEET_SCENARIO, FLEET_SEED,
 * FLEET_DURATION_S, FLEET_TICK_MS, FLEET_VENUE_COUNT, FLEET_INSTRUMENTS). Throws a
 * ConfigurationError naming every bad setting and what was received.
 */
export function readQuotingConfig(env: Environment): QuotingServiceConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(QUOTING_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  reader.done();
  return { service, session };
}
