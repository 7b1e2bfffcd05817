import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { RISK_SHIELD_SERVICE } from './risk-shield.constants';

/**
 * The configuration of risk-shield: the common settings and the fleet session. The limits it
 * enforces are not settings of its own: they come from the session's runner configuration of
 * each instrument (`laneRunnerConfig`), so every service of a run checks the same limits.
 */
export interface RiskShieldConfig {
  readonly service: ServiceConfig;
  readonly session: LaneSessionConfig;
}

/** Reads the common settings and the session; throws a ConfigurationError naming every bad setting and what was received. */
export function readRiskShieldConfig(env: Environment): RiskShieldConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(RISK_SHIELD_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  reader.done();
  return { service, session };
}
