import { readFileSync } from 'node:fs';
/**
 * Typed configuration from the environment, validated once at start. Every problem names the
 * setting and what was received; a service that cannot start exits with {@link CONFIG_EXIT_CODE}.
 */

/** The exit code of a process stopped by bad configuration: 78, EX_CONFIG of sysexits.h. */
export const CONFIG_EXIT_CODE = 78;

/** The environment as the process sees it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One bad or missing setting. */
export interface ConfigIssue {
  /** The environment variable, for example `FLEET_HTTP_PORT`. */
  readonly setting: string;
  /** The raw value received; undefined when the variable is not set. */
  readonly received: string | undefined;
  /** A full sentence naming the setting, the rule and the value received. */
  readonly message: string;
}

/** Thrown by {@link EnvReader.done} with every issue found. */
export class ConfigurationError extends Error {
  /** Returns the error listing `issues`. */
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

function show(value: string | undefined): string {
  return value === undefined ? 'nothing (the variable is not set)' : JSON.stringify(value);
}

/** Reads settings from an environment and collects every problem before failing once. */
export class EnvReader {
  private readonly issues: ConfigIssue[] = [];

  /** Returns a reader over `env`. */
  constructor(private readonly env: Environment) {}

  /** Records a problem with `setting`: it must satisfy `rule`. */
  fail(setting: string, received: string | undefined, rule: string): void {
    this.issues.push({ setting, received, message: `${setting} must be ${rule}, received ${show(received)}` });
  }

  /** Records a problem with `setting` found by another validator, with that validator's message. */
  report(setting: string, received: string | undefined, message: string): void {
    this.issues.push({ setting, received, message });
  }

  /** Returns the raw value of `setting`, or undefined when unset or empty. */
  raw(setting: string): string | undefined {
    const v = this.env[setting];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  /** Returns a string setting; required unless a default is given. */
  string(setting: string, options: { readonly default?: string; readonly pattern?: RegExp; readonly rule?: string } = {}): string {
    const v = this.raw(setting);
    if (v === undefined) {
      if (options.default !== undefined) return options.default;
      this.fail(setting, this.env[setting], options.rule ?? 'set');
      return '';
    }
    if (options.pattern && !options.pattern.test(v)) {
      this.fail(setting, v, options.rule ?? `a value matching ${String(options.pattern)}`);
      return '';
    }
    return v;
  }

  /** Returns an integer setting within [min, max]. */
  integer(setting: string, options: { readonly default?: number; readonly min?: number; readonly max?: number }): number {
    const v = this.raw(setting);
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    const rule = `an integer from ${min} to ${max}`;
    if (v === undefined) {
      if (options.default !== undefined) return options.default;
      this.fail(setting, this.env[setting], rule);
      return 0;
    }
    const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.fail(setting, v, rule);
      return 0;
    }
    return n;
  }

  /** Returns a TCP port (0 picks a free one). */
  port(setting: string, defaultPort?: number): number {
    return this.integer(setting, { default: defaultPort, min: 0, max: 65_535 });
  }

  /** Returns an http(s) or redis(s) URL setting. */
  url(setting: string, protocols: readonly string[]): string {
    const v = this.raw(setting);
    const rule = `a URL with protocol ${protocols.join(' or ')}`;
    if (v === undefined) {
      this.fail(setting, this.env[setting], rule);
      return '';
    }
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol.replace(/:$/, ''))) throw new Error('protocol');
    } catch {
      this.fail(setting, v, rule);
      return '';
    }
    return v;
  }

  /** Returns a comma-separated list setting, entries trimmed, none empty. */
  list(setting: string, options: { readonly default?: readonly string[]; readonly item?: RegExp; readonly rule?: string } = {}): string[] {
    const v = this.raw(setting);
    const rule = options.rule ?? 'a comma-separated list of non-empty values';
    if (v === undefined) {
      if (options.default !== undefined) return [...options.default];
      this.fail(setting, this.env[setting], rule);
      return [];
    }
    const items = v.split(',').map((s) => s.trim());
    if (items.some((s) => s === '' || (options.item !== undefined && !options.item.test(s)))) {
      this.fail(setting, v, rule);
      return [];
    }
    return items;
  }

  /** Returns one of `values`. */
  oneOf<T extends string>(setting: string, values: readonly T[], defaultValue?: T): T {
    const v = this.raw(setting);
    if (v === undefined && defaultValue !== undefined) return defaultValue;
    if (v === undefined || !(values as readonly string[]).includes(v)) {
      this.fail(setting, v ?? this.env[setting], `one of ${values.join(', ')}`);
      return values[0];
    }
    return v as T;
  }

  /** Returns the issues found so far. */
  problems(): readonly ConfigIssue[] {
    return [...this.issues];
  }

  /** Throws a {@link ConfigurationError} listing every issue when there is any. */
  done(): void {
    if (this.issues.length > 0) throw new ConfigurationError(this.issues);
  }
}

/** The settings every service reads. */
export interface ServiceConfig {
  /** The service name, for example `fair-value` (fixed by the service, not configurable). */
  readonly service: string;
  /** FLEET_SERVICE_INSTANCE: this process's name (pod name); `<service>-0` unless set. */
  readonly instance: string;
  /** KAFKA_BROKERS: host:port list. */
  readonly kafkaBrokers: readonly string[];
  /** SCHEMA_REGISTRY_URL: the Confluent-API registry. */
  readonly schemaRegistryUrl: string;
  /** REDIS_URL: where snapshots live. */
  readonly redisUrl: string;
  /** FLEET_HTTP_PORT: /health/live and /health/ready; 8080 unless set. */
  readonly httpPort: number;
  /** FLEET_METRICS_PORT: /metrics; 9464 unless set; the same port as FLEET_HTTP_PORT serves both on one server. */
  readonly metricsPort: number;
  /** FLEET_TOPIC_PREFIX: prepended to every topic name (shadow replays); empty unless set. */
  readonly topicPrefix: string;
  /** FLEET_INPUT_TOPIC_PREFIX: the prefix of the topics a lane service reads; FLEET_TOPIC_PREFIX unless set (a shadow replay reads a recorded session and writes under its own prefix). */
  readonly inputTopicPrefix: string;
  /** FLEET_GROUP_ID: the consumer group; `<prefix>fleet.<service>` unless set. */
  readonly groupId: string;
  /**
   * How the Kafka clients authenticate: KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or
   * plain) with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, and KAFKA_SSL_CA_FILE (TLS trusting
   * that CA; KAFKA_SSL=true trusts the system store). Plaintext and no SASL unless set.
   */
  readonly kafkaAuth: KafkaAuth;
  /** FLEET_SNAPSHOT_EVERY: inputs per partition between Redis snapshots; 1000 unless set. */
  readonly snapshotEvery: number;
}

/** Kafka client authentication, as KafkaJsClient takes it. */
export interface KafkaAuth {
  readonly ssl?: boolean | { readonly ca: readonly string[] };
  readonly sasl?: { readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; readonly username: string; readonly password: string };
}

const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/** Reads KAFKA_SASL_* and KAFKA_SSL*; the password is never echoed in a problem. */
function readKafkaAuth(reader: EnvReader): KafkaAuth {
  const mechanism = reader.raw('KAFKA_SASL_MECHANISM');
  let sasl: KafkaAuth['sasl'];
  if (mechanism !== undefined) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) reader.fail('KAFKA_SASL_MECHANISM', mechanism, SASL_MECHANISMS.join(', '));
    const username = reader.raw('KAFKA_SASL_USERNAME');
    const password = reader.raw('KAFKA_SASL_PASSWORD');
    if (username === undefined) reader.fail('KAFKA_SASL_USERNAME', undefined, 'set when KAFKA_SASL_MECHANISM is');
    if (password === undefined) reader.report('KAFKA_SASL_PASSWORD', undefined, 'KAFKA_SASL_PASSWORD must be set when KAFKA_SASL_MECHANISM is');
    if (username !== undefined && password !== undefined) sasl = { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username, password };
  }
  const caFile = reader.raw('KAFKA_SSL_CA_FILE');
  if (caFile !== undefined) {
    try {
      return { ssl: { ca: [readFileSync(caFile, 'utf8')] }, ...(sasl && { sasl }) };
    } catch (error) {
      reader.fail('KAFKA_SSL_CA_FILE', caFile, `a readable PEM file (${(error as Error).message})`);
    }
  }
  const ssl = reader.raw('KAFKA_SSL');
  if (ssl !== undefined && ssl !== 'true' && ssl !== 'false') reader.fail('KAFKA_SSL', ssl, 'true or false');
  return { ...(ssl === 'true' && { ssl: true }), ...(sasl && { sasl }) };
}

/** Inputs of one transaction at most; snapshots are taken further apart than this (see docs/services.md). */
export const MAX_MESSAGES_PER_TRANSACTION = 500;

const NAME = /^[A-Za-z0-9._-]+$/;
const BROKER = /^[A-Za-z0-9._-]+:\d{1,5}$/;

/** Reads the common settings of `service` through `reader` (call `reader.done()` after reading the service's own). */
export function readServiceConfig(service: string, reader: EnvReader): ServiceConfig {
  const topicPrefix = reader.string('FLEET_TOPIC_PREFIX', { default: '', pattern: /^[A-Za-z0-9._-]*$/, rule: 'letters, digits, dots, underscores or dashes' });
  return {
    service,
    instance: reader.string('FLEET_SERVICE_INSTANCE', { default: `${service}-0`, pattern: NAME, rule: 'letters, digits, dots, underscores or dashes' }),
    kafkaBrokers: reader.list('KAFKA_BROKERS', { item: BROKER, rule: 'a comma-separated list of host:port' }),
    kafkaAuth: readKafkaAuth(reader),
    schemaRegistryUrl: reader.url('SCHEMA_REGISTRY_URL', ['http', 'https']),
    redisUrl: reader.url('REDIS_URL', ['redis', 'rediss']),
    httpPort: reader.port('FLEET_HTTP_PORT', 8080),
    metricsPort: reader.port('FLEET_METRICS_PORT', 9464),
    topicPrefix,
    inputTopicPrefix: reader.string('FLEET_INPUT_TOPIC_PREFIX', { default: topicPrefix, pattern: /^[A-Za-z0-9._-]*$/, rule: 'letters, digits, dots, underscores or dashes' }),
    groupId: reader.string('FLEET_GROUP_ID', { default: `${topicPrefix}fleet.${service}`, pattern: NAME, rule: 'letters, digits, dots, underscores or dashes' }),
    snapshotEvery: reader.integer('FLEET_SNAPSHOT_EVERY', { default: 1000, min: MAX_MESSAGES_PER_TRANSACTION + 1, max: 10_000_000 }),
  };
}

/** Where a failed configuration goes: the message and the exit. */
export interface ConfigFailureSink {
  readonly write: (text: string) => void;
  readonly exit: (code: number) => never;
}

/**
 * Returns `read(env)`; on a {@link ConfigurationError} writes one line per issue to stderr and
 * exits the process with {@link CONFIG_EXIT_CODE}. Other errors are thrown.
 */
export function loadConfigOrExit<T>(read: (env: Environment) => T, env: Environment = process.env, sink?: ConfigFailureSink): T {
  try {
    return read(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const out = sink ?? { write: (t: string) => process.stderr.write(t), exit: (c: number) => process.exit(c) };
    out.write(`configuration rejected, the service does not start:\n${error.issues.map((i) => `  ${i.message}`).join('\n')}\n`);
    return out.exit(CONFIG_EXIT_CODE);
  }
}
