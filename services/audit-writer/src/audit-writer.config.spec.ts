import { deriveSessionId } from '@fleet/audit';
import { ConfigurationError } from '@fleet/service';
import { readAuditWriterConfig } from './audit-writer.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379', FLEET_AUDIT_DIR: '/var/lib/fleet/audit' };

function issuesOf(env: Record<string, string | undefined>) {
  try {
    readAuditWriterConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('audit-writer configuration', () => {
  it('reads the trail directory and defaults to 5000 records per segment and a queue of 1000', () => {
    const config = readAuditWriterConfig(stack);
    expect(config.service.service).toBe('audit-writer');
    expect(config.service.groupId).toBe('fleet.audit-writer');
    expect([config.dir, config.segmentRecords, config.queueCapacity]).toEqual(['/var/lib/fleet/audit', 5_000, 1_000]);
  });

  it('takes the segment size and queue capacity from the environment, and the group under the topic prefix', () => {
    const config = readAuditWriterConfig({ ...stack, FLEET_AUDIT_SEGMENT_RECORDS: '250', FLEET_AUDIT_QUEUE_CAPACITY: '64', FLEET_TOPIC_PREFIX: 'replay-7.' });
    expect([config.segmentRecords, config.queueCapacity, config.service.groupId]).toEqual([250, 64, 'replay-7.fleet.audit-writer']);
  });

  it('derives the session id from the session settings, the same for the same settings', () => {
    const a = readAuditWriterConfig({ ...stack, FLEET_SEED: '7', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    const b = readAuditWriterConfig({ ...stack, FLEET_SEED: '7', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    const other = readAuditWriterConfig({ ...stack, FLEET_SEED: '8', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    expect(a.sessionId).toBe(b.sessionId);
    expect(a.sessionId).toBe(deriveSessionId({ scenario: 'calm-then-volatile', seed: 7, durationSeconds: 60 }, a.session));
    expect(a.sessionId).toMatch(/^[0-9a-f]{24}$/);
    expect(other.sessionId).not.toBe(a.sessionId);
  });

  it('requires the trail directory, naming the setting', () => {
    const issues = issuesOf({ ...stack, FLEET_AUDIT_DIR: undefined });
    expect(issues.map((i) => [i.setting, i.message])).toEqual([['FLEET_AUDIT_DIR', 'FLEET_AUDIT_DIR must be an absolute directory path (the trail volume), received nothing (the variable is not set)']]);
  });

  it('rejects a relative trail directory and out-of-range sizes, naming each setting and what was received', () => {
    const issues = issuesOf({ ...stack, FLEET_AUDIT_DIR: 'audit', FLEET_AUDIT_SEGMENT_RECORDS: '0', FLEET_AUDIT_QUEUE_CAPACITY: 'lots' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['FLEET_AUDIT_DIR', 'audit'],
      ['FLEET_AUDIT_SEGMENT_RECORDS', '0'],
      ['FLEET_AUDIT_QUEUE_CAPACITY', 'lots'],
    ]);
    expect(issues[1].message).toBe('FLEET_AUDIT_SEGMENT_RECORDS must be an integer from 1 to 10000000, received "0"');
  });
});
