import 'reflect-metadata';
import { type Server } from 'node:http';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMetrics } from '@fleet/metrics';
import { closeServer, loadConfigOrExit, portOf, Readiness, startOpsServer } from '@fleet/service';
import { readAuditWriterConfig } from './audit-writer.config';
import { AuditWriterModule } from './audit-writer.module';
import { AuditWriterService } from './audit-writer.service';

/**
 * Starts audit-writer: configuration (exit 78 naming the bad setting), the ops servers
 * (/health/live, /health/ready, /metrics), then the Nest application whose provider recovers the
 * trail and starts consuming. SIGTERM and SIGINT stop it gracefully (the open segment is sealed)
 * and exit 0; a fatal writer error exits 1 with the open segment left unsealed.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(readAuditWriterConfig);
  const service = config.service;
  const metrics = createMetrics({ service: service.service, instance: service.instance });
  const readiness = new Readiness();
  const servers: Server[] = [await startOpsServer(service.httpPort, { readiness, ...(service.metricsPort === service.httpPort && { metrics }) })];
  if (service.metricsPort !== service.httpPort) servers.push(await startOpsServer(service.metricsPort, { metrics }));
  const log = (entry: Readonly<Record<string, unknown>>): void => {
    process.stderr.write(`${JSON.stringify({ service: service.service, instance: service.instance, ...entry })}\n`);
  };

  const running: { app?: INestApplicationContext } = {};
  let closing: Promise<void> | undefined;
  const shutdown = (exitCode: number): void => {
    closing ??= (async () => {
      readiness.clear();
      await running.app?.close();
      await Promise.all(servers.map(closeServer));
    })();
    closing.then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`audit-writer stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => shutdown(0));

  const app = await NestFactory.createApplicationContext(AuditWriterModule.forRoot(config, { metrics, readiness, log, onFatal: () => shutdown(1) }), { logger: ['error', 'warn', 'log'], abortOnError: false });
  running.app = app;
  const report = app.get(AuditWriterService).report;
  process.stdout.write(
    `${JSON.stringify({ event: 'started', service: service.service, instance: service.instance, group: service.groupId, sessionId: config.sessionId, dir: config.dir, httpPort: portOf(servers[0]), metricsPort: portOf(servers[servers.length - 1]), recovery: report })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`audit-writer failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
