/**
 * Serves the Why chain of one recorded session over HTTP, as JSON (docs/why.md):
 *
 *   node --import tsx tools/src/why/why-server.ts --session <id> --port N [--host 127.0.0.1]
 *
 *   GET /why/order/<clientOrderId>   GET /why/fill/<fillId>
 *   GET /why/intent/<intentId>       GET /why/signal/<fvStateEventId>
 *
 * The session's log is read once at start; the server prints `listening on http://host:port`.
 */
import { createServer } from 'node:http';
import { SessionSourceError } from '../replay/session-source';
import { parseWhyServerArgs, WHY_SERVER_USAGE, WhyArgsError } from './why-args';
import { routeWhy } from './why-routes';
import { loadWhyIndex } from './why-source';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseWhyServerArgs(argv);
  if (args.help) {
    process.stdout.write(`${WHY_SERVER_USAGE}\n`);
    return;
  }
  const { index, records } = await loadWhyIndex(args.outDir, args.sessionId);
  const server = createServer((req, res) => {
    const { status, body } = routeWhy(index, args.sessionId, req.method ?? 'GET', req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body, null, 2)}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, args.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : args.port;
  process.stdout.write(`session ${args.sessionId}: ${records} records indexed\nlistening on http://${args.host}:${port}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof WhyArgsError || error instanceof SessionSourceError;
  process.stderr.write(`why-server: ${error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error)}\n${error instanceof WhyArgsError ? `${WHY_SERVER_USAGE}\n` : ''}`);
  process.exit(error instanceof WhyArgsError ? 2 : 1);
});
