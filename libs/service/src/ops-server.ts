import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type FleetMetrics, writeMetrics } from '@fleet/metrics';

/** The conditions a service must meet before /health/ready answers 200. */
export type ReadinessCheck = 'kafka-connected' | 'partitions-assigned' | 'state-rebuilt';

/** The readiness flags of a process; live means the process answers at all. */
export class Readiness {
  private recovery: unknown;
  private readonly checks = new Map<ReadinessCheck, boolean>([
    ['kafka-connected', false],
    ['partitions-assigned', false],
    ['state-rebuilt', false],
  ]);

  /** Sets one condition. */
  set(check: ReadinessCheck, ok: boolean): void {
    this.checks.set(check, ok);
  }

  /** Returns true when every condition holds. */
  isReady(): boolean {
    return [...this.checks.values()].every(Boolean);
  }

  /** Records how the state was recovered at start, shown on /health/ready. */
  setRecovery(report: unknown): void {
    this.recovery = report;
  }

  /** Returns the recovery report recorded at start, if any. */
  recoveryReport(): unknown {
    return this.recovery;
  }

  /** Returns every condition and its state. */
  report(): Record<ReadinessCheck, boolean> {
    return Object.fromEntries(this.checks) as Record<ReadinessCheck, boolean>;
  }

  /** Marks every condition false (shutting down). */
  clear(): void {
    for (const k of this.checks.keys()) this.checks.set(k, false);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** What one ops server answers. */
export interface OpsRoutes {
  readonly readiness?: Readiness;
  readonly metrics?: FleetMetrics;
}

/**
 * Starts a plain node http server: GET /health/live (200 while the process runs), GET
 * /health/ready (200 when every readiness condition holds, else 503 with the report), GET
 * /metrics (Prometheus text) for the routes given; resolves once it listens. The readiness body
 * carries the checks and how the state was recovered at start.
 */
export function startOpsServer(port: number, routes: OpsRoutes, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') return json(res, 405, { error: 'only GET' });
    if (routes.readiness && path === '/health/live') return json(res, 200, { status: 'live' });
    if (routes.readiness && path === '/health/ready') {
      const ready = routes.readiness.isReady();
      return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks: routes.readiness.report(), recovery: routes.readiness.recoveryReport() ?? null });
    }
    if (routes.metrics && path === '/metrics') {
      void writeMetrics(routes.metrics, res);
      return;
    }
    json(res, 404, { error: `no route ${path}` });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Returns the port `server` listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Closes `server`, ending idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
