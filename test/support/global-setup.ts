/**
 * Jest global setup for the integration project: makes sure a real stack is reachable,
 * provisions every catalogue topic and registers every catalogue value schema (BACKWARD per
 * subject) with the operator's own command, and exports the stack's settings to the test workers through
 * process.env (workers are started after this runs and inherit it).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startContainerStack } from './testcontainers-stack';
import { dockerEngineAnswers, repoRoot, startLocalStack, stackFromEnvironment, type StackEnv, type StackOrigin } from './stack';

declare global {
  // Read by the global teardown, which runs in the same process.
  var __FLEET_STACK__: { origin: StackOrigin; stop?: () => Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  let env: StackEnv | undefined = stackFromEnvironment();
  let origin: StackOrigin = 'environment';
  let stop: (() => Promise<void>) | undefined;
  if (!env && process.env.FLEET_USE_TESTCONTAINERS !== '0' && dockerEngineAnswers()) {
    const stack = await startContainerStack();
    env = stack.env;
    origin = 'testcontainers';
    stop = () => stack.stop();
  }
  if (!env) {
    env = startLocalStack();
    origin = 'local';
  }
  Object.assign(process.env, env);
  globalThis.__FLEET_STACK__ = { origin, stop };
  process.stdout.write(`\nintegration stack (${origin}): kafka ${env.KAFKA_BROKERS}, registry ${env.SCHEMA_REGISTRY_URL}, redis ${env.REDIS_URL}\n`);
  provisionCatalogue(env);
}

/**
 * Creates the catalogue topics and registers their value schemas by running the same command
 * an operator runs (tools/src/topics/create-topics.ts, on @fleet/kafka). A child process keeps
 * the global setup free of the path aliases that jest maps only inside test files.
 */
function provisionCatalogue(env: StackEnv): void {
  const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const out = execFileSync(process.execPath, [tsx, join(repoRoot, 'tools', 'src', 'topics', 'create-topics.ts'), '--brokers', env.KAFKA_BROKERS, '--registry', env.SCHEMA_REGISTRY_URL], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const count = (prefix: string): number => out.split('\n').filter((line) => line.startsWith(prefix)).length;
  process.stdout.write(`integration catalogue: topics ${count('created')} created, ${count('existing')} existing; ${count('schema')} subjects registered (BACKWARD)\n`);
}
