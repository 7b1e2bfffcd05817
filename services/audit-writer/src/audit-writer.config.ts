import { deriveSessionId } from '@fleet/audit';
import { type Environment, EnvReader, type LaneSessionConfig, readLaneSessionConfig, readServiceConfig, type ServiceConfig } from '@fleet/service';
import { AUDIT_WRITER_SERVICE } from './audit-writer.constants';

/** The configuration of the audit-writer service. */
export interface AuditWriterConfig {
  readonly service: ServiceConfig;
  /** The session the fleet runs; its derived id keys every audit.checkpoint. */
  readonly session: LaneSessionConfig;
  /** The session id: deriveSessionId of the scenario, seed and duration over the whole session configuration. */
  readonly sessionId: string;
  /** FLEET_AUDIT_DIR: the trail directory (a volume in Kubernetes); required, an absolute path. */
  readonly dir: string;
  /** FLEET_AUDIT_SEGMENT_RECORDS: records per segment before it is sealed; 5000 unless set. */
  readonly segmentRecords: number;
  /** FLEET_AUDIT_QUEUE_CAPACITY: records held between the consumer and the trail; 1000 unless set. */
  readonly queueCapacity: number;
}

/**
 * Reads the configuration: the common settings, the session settings, then FLEET_AUDIT_DIR
 * (required, absolute), FLEET_AUDIT_SEGMENT_RECORDS (1 to 10 000 000, 5000 unless set) and
 * FLEET_AUDIT_QUEUE_CAPACITY (1 to 1 000 000, 1000 unless set). Throws a ConfigurationError
 * naming every bad setting and what was received.
 */
export function readAuditWriterConfig(env: Environment): AuditWriterConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(AUDIT_WRITER_SERVICE, reader);
  const session = readLaneSessionConfig(reader);
  const dir = reader.string('FLEET_AUDIT_DIR', { pattern: /^\//, rule: 'an absolute directory path (the trail volume)' });
  const segmentRecords = reader.integer('FLEET_AUDIT_SEGMENT_RECORDS', { default: 5_000, min: 1, max: 10_000_000 });
  const queueCapacity = reader.integer('FLEET_AUDIT_QUEUE_CAPACITY', { default: 1_000, min: 1, max: 1_000_000 });
  reader.done();
  return { service, session, sessionId: fleetSessionId(session), dir, segmentRecords, queueCapacity };
}

/** Returns the id of a fleet session: the same derivation as a recorded session's, over the configuration every service shares. */
export function fleetSessionId(session: LaneSessionConfig): string {
  return deriveSessionId({ scenario: session.scenario, seed: session.seed, durationSeconds: session.durationUs / 1_000_000 }, session);
}
