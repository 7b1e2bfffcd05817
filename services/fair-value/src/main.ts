import 'reflect-metadata';
import { loadConfigOrExit, runService } from '@fleet/service';
import { readFairValueConfig } from './fair-value.config';
import { FairValueEngine } from './fair-value.engine';
import { FAIR_VALUE_SUBSCRIPTIONS, FairValueModule } from './fair-value.module';

/** Starts fair-value: configuration (exit 78 when invalid), then the kit with the state engine. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(readFairValueConfig);
  const running = await runService((kit) => FairValueModule.forRoot(config, kit), {
    config: config.service,
    mode: 'transactional',
    subscriptions: FAIR_VALUE_SUBSCRIPTIONS,
    state: FairValueEngine,
    handleSignals: true,
  });
  process.stdout.write(`${JSON.stringify({ event: 'started', service: config.service.service, instance: config.service.instance, group: config.service.groupId, httpPort: running.httpPort, metricsPort: running.metricsPort, recovery: running.recovery })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fair-value failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
