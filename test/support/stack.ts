/**
 * Finds or starts the real backing stack for integration tests, in this order:
 *  1. KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL already set: use them as they are.
 *  2. A Docker engine answers: start the same images as infra/docker-compose.yml with testcontainers.
 *  3. Otherwise: run infra/local/up.sh (installs on first use) and read .local/stack.env.
 * Nothing here is a mock: every path ends at a real Kafka, a real registry and a real Redis.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

/** The connection settings of the backing stack. */
export interface StackEnv {
  readonly KAFKA_BROKERS: string;
  readonly SCHEMA_REGISTRY_URL: string;
  readonly REDIS_URL: string;
  readonly PROMETHEUS_URL?: string;
}

/** How the stack was obtained, so teardown stops exactly what setup started. */
export type StackOrigin = 'environment' | 'testcontainers' | 'local';

/** Returns the stack settings from the environment when all three are set. */
export function stackFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackEnv | undefined {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL, PROMETHEUS_URL } = env;
  if (KAFKA_BROKERS && SCHEMA_REGISTRY_URL && REDIS_URL) {
    return { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL, PROMETHEUS_URL };
  }
  return undefined;
}

/** Returns true when a Docker engine (not only the client) answers. */
export function dockerEngineAnswers(): boolean {
  const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}

/** Parses `export NAME=value` lines of .local/stack.env. */
export function parseStackEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replace(/^['"]|['"]$/g, '');
  }
  return vars;
}

/** Runs infra/local/up.sh (idempotent) and returns the settings it wrote. */
export function startLocalStack(): StackEnv {
  const dataDir = process.env.FLEET_DATA_DIR ?? join(repoRoot, '.local');
  execFileSync('bash', [join(repoRoot, 'infra', 'local', 'up.sh')], { stdio: 'inherit', env: process.env });
  const envFile = join(dataDir, 'stack.env');
  if (!existsSync(envFile)) throw new Error(`infra/local/up.sh finished but wrote no ${envFile}`);
  const vars = parseStackEnv(readFileSync(envFile, 'utf8'));
  const found = stackFromEnvironment(vars);
  if (!found) throw new Error(`${envFile} lacks KAFKA_BROKERS, SCHEMA_REGISTRY_URL or REDIS_URL`);
  return found;
}
