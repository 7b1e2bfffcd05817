/**
 * Jest global setup for the integration project: makes sure a real stack is reachable and
 * exports its settings to the test workers through process.env (workers are started after
 * this runs and inherit it).
 */
import { startContainerStack } from './testcontainers-stack';
import { dockerEngineAnswers, startLocalStack, stackFromEnvironment, type StackEnv, type StackOrigin } from './stack';

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
}
