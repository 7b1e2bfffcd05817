import { type FleetMetrics } from '@fleet/metrics';
import { type Counter, type Gauge } from 'prom-client';

/** The audit writer's metrics (docs/metrics.md and docs/audit.md). */
export interface AuditMetrics {
  readonly chainHeight: Gauge<string>;
  readonly lag: Gauge<string>;
  readonly overflow: Counter<string>;
  readonly lastCheckpoint: Gauge<string>;
  readonly marks: Counter<string>;
  readonly records: Counter<string>;
  readonly sealed: Counter<string>;
  readonly duplicates: Counter<string>;
  readonly undecodable: Counter<string>;
  /** The transport metrics of the process registry (events in and out, consumer lag). */
  readonly fleet: FleetMetrics;
}

/** Registers the audit writer's metrics on the process registry. */
export function registerAuditMetrics(fleet: FleetMetrics): AuditMetrics {
  return {
    chainHeight: fleet.gauge('fleet_audit_chain_height', 'Records hash-chained so far (the chain head\'s height).'),
    lag: fleet.gauge('fleet_audit_lag_records', 'Records on the WAL topics not yet chained: high watermark minus the next offset to process, summed over partitions.'),
    overflow: fleet.counter('fleet_audit_overflow_total', 'Times the audit buffer overflowed and the writer had to pause consumption.'),
    lastCheckpoint: fleet.gauge('fleet_audit_last_checkpoint_timestamp_seconds', 'Unix time of the last audit.checkpoint written (wall clock, telemetry only).'),
    marks: fleet.counter('fleet_audit_marks_total', 'Tick marks read on the WAL topics and skipped (punctuation, not events).'),
    records: fleet.counter('fleet_audit_records_total', 'Records appended to the audit chain.'),
    sealed: fleet.counter('fleet_audit_segments_sealed_total', 'Audit segments sealed.'),
    duplicates: fleet.counter('fleet_audit_duplicates_skipped_total', 'Re-delivered records skipped because their offset is already in the trail.'),
    undecodable: fleet.counter('fleet_audit_undecodable_total', 'Records chained as undecodable raw bytes.'),
    fleet,
  };
}
