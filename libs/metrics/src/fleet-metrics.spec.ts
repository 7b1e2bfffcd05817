import { request } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createIsolatedMetrics, createMetrics } from './fleet-metrics';
import { serveMetrics } from './metrics-http';
import { Topics } from '@fleet/contracts';

describe('fleet metrics', () => {
  it('stamps service and instance on every series of the standard set', async () => {
    const m = createIsolatedMetrics({ service: 'fair-value', instance: 'fv-0' });
    m.eventsIn.inc({ topic: 'md.trades' });
    m.eventsOut.inc({ topic: Topics.fvState.name }, 2);
    m.handlerLatency.observe({ topic: 'md.trades' }, 0.003);
    m.consumerLag.set({ topic: 'md.trades', partition: '0' }, 7);
    m.deadLetters.inc({ topic: 'md.trades', reason: 'bad-magic-byte' });
    const { body } = await m.exposition();
    expect(body).toContain('events_in_total{topic="md.trades",service="fair-value",instance="fv-0"} 1');
    expect(body).toContain(`events_out_total{topic="${Topics.fvState.name}",service="fair-value",instance="fv-0"} 2`);
    expect(body).toContain('consumer_lag{topic="md.trades",partition="0",service="fair-value",instance="fv-0"} 7');
    expect(body).toContain('dead_letter_total{topic="md.trades",reason="bad-magic-byte",service="fair-value",instance="fv-0"} 1');
    const bucket = body.split('\n').find((l) => l.startsWith('handler_latency_seconds_bucket{le="0.005"'));
    expect(bucket).toContain('topic="md.trades"');
    expect(bucket).toContain('service="fair-value"');
    expect(bucket).toContain('instance="fv-0"');
    expect(bucket).toMatch(/ 1$/);
  });

  it('adds domain gauges to the same registry', async () => {
    const m = createIsolatedMetrics({ service: 'risk-shield', instance: 'rs-1' });
    m.gauge('kill_switch_latched', 'Whether the kill switch is latched.', ['venue']).set({ venue: 'x' }, 1);
    expect((await m.exposition()).body).toContain('kill_switch_latched{venue="x",service="risk-shield",instance="rs-1"} 1');
  });

  it('keeps one registry per process and refuses a second identity', () => {
    const a = createMetrics({ service: 'svc', instance: 'i-0' });
    expect(createMetrics({ service: 'svc', instance: 'i-0' })).toBe(a);
    expect(() => createMetrics({ service: 'other', instance: 'i-0' })).toThrow(/already exist/);
  });

  it('serves the exposition over HTTP at /metrics', async () => {
    const m = createIsolatedMetrics({ service: 'svc', instance: 'http-0' });
    m.eventsIn.inc({ topic: 't' });
    const server = await serveMetrics(m, 0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const get = (path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          request({ host: '127.0.0.1', port, path }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
            .on('error', reject)
            .end();
        });
      const ok = await get('/metrics');
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('events_in_total{topic="t",service="svc",instance="http-0"} 1');
      expect((await get('/other')).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
