/** The service name: producer of audit.checkpoint, metrics label, default consumer group segment. */
export const AUDIT_WRITER_SERVICE = 'audit-writer';

/** Rotation by size, next to FLEET_AUDIT_SEGMENT_RECORDS: a segment is sealed at 64 MiB whatever its record count. */
export const SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
