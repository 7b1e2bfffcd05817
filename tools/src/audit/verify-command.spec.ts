import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting } from '@fleet/audit';
import { TrailStore } from '@fleet/audit-store';
import { verifyCommand } from './verify-command';

const sources = auditTesting.sourcesOf(auditTesting.flowEvents({ instrument: 'SOL-USDT-PERP', orders: 2 }));

describe('verify command', () => {
  let dir: string;
  const segment = (): string => join(dir, 'segment-000001.jsonl');
  const lines = (): string[] => readFileSync(segment(), 'utf8').split('\n').slice(0, -1);
  const writeLines = (next: string[]): void => writeFileSync(segment(), next.map((l) => `${l}\n`).join(''));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-verify-'));
    const store = await TrailStore.open(dir, { maxRecords: 6, maxBytes: 1 << 20 });
    for (const s of sources) await store.append(s);
    await store.close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 on an intact trail and says what it holds', async () => {
    const result = await verifyCommand([dir]);
    expect(result.exitCode).toBe(0);
    expect(result.lines[0]).toBe(`trail ${dir}: intact`);
    expect(result.lines[1]).toContain(`records ${sources.length}`);
  });

  it('exits 1 on a flipped byte, naming segment, line, seq and why', async () => {
    const bytes = readFileSync(segment());
    const at = bytes.indexOf('"seq":9') + '"seq":'.length;
    bytes[at] = '8'.charCodeAt(0);
    writeFileSync(segment(), bytes);
    const result = await verifyCommand([dir]);
    expect(result.exitCode).toBe(1);
    expect(result.lines[1]).toContain('trail-sequence at segment segment-000001.jsonl line 3 seq 8: expected trail seq 9 after 8, found 8');
  });

  it('exits 1 on a dropped record', async () => {
    const l = lines();
    writeLines([...l.slice(0, 1), ...l.slice(2)]);
    const result = await verifyCommand([dir]);
    expect(result.exitCode).toBe(1);
    expect(result.lines[1]).toContain('trail-sequence at segment segment-000001.jsonl line 2 seq 9: expected trail seq 8 after 7, found 9');
  });

  it('exits 1 on two swapped records', async () => {
    const l = lines();
    writeLines([l[0], l[2], l[1], ...l.slice(3)]);
    const result = await verifyCommand([dir]);
    expect(result.exitCode).toBe(1);
    expect(result.lines[1]).toContain('trail-sequence at segment segment-000001.jsonl line 2 seq 9');
  });

  it('exits 2 without a directory', async () => {
    expect((await verifyCommand([])).exitCode).toBe(2);
  });
});
