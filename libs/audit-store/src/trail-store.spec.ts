import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTesting, verifyTrail } from '@fleet/audit';
import { readTrailFiles } from './trail-files';
import { TrailStore } from './trail-store';

const sources = auditTesting.sourcesOf(auditTesting.flowEvents({ instrument: 'ETH-USDT-PERP', orders: 3 }));
const policy = { maxRecords: 4, maxBytes: 1 << 20 };

describe('TrailStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same bytes as the in-memory builder and leaves no temporary file', async () => {
    const store = await TrailStore.open(dir, policy);
    for (const s of sources) await store.append(s);
    await store.close();
    const expected = auditTesting.buildTrail(sources, policy);
    const files = await readTrailFiles(dir);
    expect(files.manifest).toEqual(JSON.parse(JSON.stringify(expected.manifest)));
    for (const [name, bytes] of expected.segments) expect(Buffer.from(files.segments.get(name)!).equals(Buffer.from(bytes))).toBe(true);
    expect(verifyTrail(files).ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('tmp') || f.includes('.open.'))).toEqual([]);
  });

  it('after a crash discards what was not sealed and resumes with no gap and no duplicate', async () => {
    const first = await TrailStore.open(dir, policy);
    for (const s of sources.slice(0, 10)) await first.append(s);
    expect(first.openRecords).toBe(2);
    await first.abandon();
    expect(readdirSync(dir).some((f) => f.endsWith('.open.jsonl'))).toBe(true);
    // A crash between the segment rename and the manifest write leaves a sealed-looking orphan too.
    writeFileSync(join(dir, 'segment-000002.jsonl'), 'orphan\n');
    writeFileSync(join(dir, 'manifest.json.tmp-99'), '{');

    const second = await TrailStore.open(dir, policy);
    expect(second.recovery.discarded).toEqual(['manifest.json.tmp-99', 'segment-000002.jsonl', 'segment-000002.open.jsonl']);
    expect(second.recovery.head.seq).toBe(8);
    // The consumer re-reads from its committed position, which may be earlier: re-deliveries are skipped.
    let skipped = 0;
    for (const s of sources) if (!(await second.append(s)).appended) skipped += 1;
    await second.close();
    expect(skipped).toBe(8);
    const files = await readTrailFiles(dir);
    expect(verifyTrail(files)).toMatchObject({ ok: true, summary: { records: sources.length } });
    expect(files.manifest).toEqual(JSON.parse(JSON.stringify(auditTesting.buildTrail(sources, policy).manifest)));
  });

  it('refuses to continue a chain whose sealed segment changed size', async () => {
    const store = await TrailStore.open(dir, policy);
    for (const s of sources.slice(0, 4)) await store.append(s);
    await store.close();
    const file = join(dir, 'segment-000000.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8') + 'x');
    await expect(TrailStore.open(dir, policy)).rejects.toThrow('sealed at');
    expect(existsSync(file)).toBe(true);
  });
});
