import { CONFIG_EXIT_CODE, ConfigurationError, EnvReader, loadConfigOrExit, readServiceConfig } from './service-config';

const good = {
  KAFKA_BROKERS: '127.0.0.1:9092, broker-2:9093',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

function read(env: Record<string, string | undefined>) {
  const reader = new EnvReader(env);
  const config = readServiceConfig('fair-value', reader);
  reader.done();
  return config;
}

function issuesOf(env: Record<string, string | undefined>) {
  try {
    read(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('service configuration', () => {
  it('reads the common settings with their defaults', () => {
    expect(read(good)).toEqual({
      service: 'fair-value',
      instance: 'fair-value-0',
      kafkaBrokers: ['127.0.0.1:9092', 'broker-2:9093'],
      kafkaAuth: {},
      schemaRegistryUrl: good.SCHEMA_REGISTRY_URL,
      redisUrl: good.REDIS_URL,
      httpPort: 8080,
      metricsPort: 9464,
      topicPrefix: '',
      inputTopicPrefix: '',
      groupId: 'fleet.fair-value',
      snapshotEvery: 1000,
    });
  });

  it('derives the group from the topic prefix unless FLEET_GROUP_ID is set', () => {
    expect(read({ ...good, FLEET_TOPIC_PREFIX: 'shadow-1.' }).groupId).toBe('shadow-1.fleet.fair-value');
    expect(read({ ...good, FLEET_TOPIC_PREFIX: 'shadow-1.', FLEET_GROUP_ID: 'replay-7' }).groupId).toBe('replay-7');
  });

  it('reads the input topics under the output prefix unless FLEET_INPUT_TOPIC_PREFIX names a recorded session', () => {
    expect(read({ ...good, FLEET_TOPIC_PREFIX: 's-1.' }).inputTopicPrefix).toBe('s-1.');
    expect(read({ ...good, FLEET_TOPIC_PREFIX: 's-1.replay.', FLEET_INPUT_TOPIC_PREFIX: 's-1.' }).inputTopicPrefix).toBe('s-1.');
  });

  it('reads SCRAM and TLS for the cluster, and names a half-configured SASL without echoing the password', () => {
    expect(read({ ...good, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'quoting', KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL: 'true' }).kafkaAuth).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'quoting', password: 's3cret' },
    });
    const issues = issuesOf({ ...good, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' });
    expect(issues.map((i) => i.setting)).toEqual(['KAFKA_SASL_USERNAME', 'KAFKA_SSL_CA_FILE']);
    expect(issues.map((i) => i.message).join('\n')).not.toContain('s3cret');
  });

  it('names every missing setting at once', () => {
    const issues = issuesOf({});
    expect(issues.map((i) => i.setting)).toEqual(['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'REDIS_URL']);
    expect(issues[0].message).toBe('KAFKA_BROKERS must be a comma-separated list of host:port, received nothing (the variable is not set)');
  });

  it('names a bad setting and what was received', () => {
    const issues = issuesOf({ ...good, FLEET_HTTP_PORT: '80x', FLEET_METRICS_PORT: '70000', REDIS_URL: 'http://localhost', FLEET_SNAPSHOT_EVERY: '10' });
    const byName = Object.fromEntries(issues.map((i) => [i.setting, i]));
    expect(byName.FLEET_HTTP_PORT.message).toBe('FLEET_HTTP_PORT must be an integer from 0 to 65535, received "80x"');
    expect(byName.FLEET_METRICS_PORT.received).toBe('70000');
    expect(byName.REDIS_URL.message).toBe('REDIS_URL must be a URL with protocol redis or rediss, received "http://localhost"');
    expect(byName.FLEET_SNAPSHOT_EVERY.message).toBe('FLEET_SNAPSHOT_EVERY must be an integer from 501 to 10000000, received "10"');
  });

  it('rejects a broker without a port and a prefix with a slash', () => {
    const issues = issuesOf({ ...good, KAFKA_BROKERS: 'localhost', FLEET_TOPIC_PREFIX: 'a/b' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['FLEET_TOPIC_PREFIX', 'a/b'],
      ['KAFKA_BROKERS', 'localhost'],
    ]);
  });

  it('stops the process with exit code 78 and one line per issue', () => {
    const written: string[] = [];
    const exits: number[] = [];
    const sink = {
      write: (t: string) => void written.push(t),
      exit: (code: number): never => {
        exits.push(code);
        throw new Error('exited');
      },
    };
    expect(() => loadConfigOrExit(read, { ...good, FLEET_HTTP_PORT: '-1' }, sink)).toThrow('exited');
    expect(exits).toEqual([CONFIG_EXIT_CODE]);
    expect(CONFIG_EXIT_CODE).toBe(78);
    expect(written.join('')).toContain('FLEET_HTTP_PORT must be an integer from 0 to 65535, received "-1"');
  });

  it('passes a valid configuration through', () => {
    expect(loadConfigOrExit(read, good).groupId).toBe('fleet.fair-value');
  });
});
