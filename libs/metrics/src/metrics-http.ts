import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type FleetMetrics } from './fleet-metrics';

/**
 * Writes the Prometheus text exposition to `res`; a request handler for GET /metrics that a
 * Nest controller or a plain http server can call.
 */
export async function writeMetrics(metrics: FleetMetrics, res: ServerResponse): Promise<void> {
  try {
    const { contentType, body } = await metrics.exposition();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`metrics exposition failed: ${String(error)}`);
  }
}

/**
 * Starts a small HTTP server that answers GET /metrics with the exposition and anything else
 * with 404; resolves once it listens. Port 0 picks a free port (read it from `address()`).
 */
export function serveMetrics(metrics: FleetMetrics, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
      void writeMetrics(metrics, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found; metrics are at /metrics');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
