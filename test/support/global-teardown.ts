/**
 * Jest global teardown: stops containers that the setup started. A local stack started by
 * infra/local/up.sh is left running (it is shared with the main job and stopped by
 * infra/local/down.sh), unless FLEET_STACK_DOWN_AFTER_TESTS=1.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__FLEET_STACK__;
  if (stack?.stop) await stack.stop();
  if (stack?.origin === 'local' && process.env.FLEET_STACK_DOWN_AFTER_TESTS === '1') {
    execFileSync('bash', [join(repoRoot, 'infra', 'local', 'down.sh')], { stdio: 'inherit' });
  }
}
