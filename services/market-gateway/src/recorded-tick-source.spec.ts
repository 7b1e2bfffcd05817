import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Envelope } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { type LaneSessionConfig } from '@fleet/service';
import { formatRecordedFile, headerFor, readRecordedFile, RecordedFileError, toContractPayload } from '@fleet/venues';
import { compareMdEvents, MD_TOPICS } from './md-events';
import { RecordedTickSource } from './recorded-tick-source';
import { type GatewayTick } from './tick-source';

const SAMPLE = join(__dirname, '..', '..', '..', 'libs', 'venues', 'fixtures', 'sample-market-data.jsonl');
const session: LaneSessionConfig = { scenario: 'calm', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['BTC-PERP', 'ETH-PERP'] };

async function drain(source: RecordedTickSource): Promise<GatewayTick[]> {
  const ticks: GatewayTick[] = [];
  for (let t = await source.next(); t !== undefined; t = await source.next()) ticks.push(t);
  return ticks;
}

function withoutEnvelope(value: object): object {
  const rest: Record<string, unknown> = { ...value };
  delete rest.envelope;
  return rest;
}

describe('RecordedTickSource', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'recorded-ticks-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduces every event of the recorded sample, in ticks of its event time', async () => {
    const { header, events } = await readRecordedFile(SAMPLE);
    const source = await RecordedTickSource.open(SAMPLE, session);
    const ticks = await drain(source);
    const first = events[0]!.eventTimeUs;
    const last = events.at(-1)!.eventTimeUs;
    expect(source.instruments).toEqual(header.instruments);
    expect(source.startUs).toBe(Math.floor(first / session.tickUs) * session.tickUs);
    expect(source.ticks).toBe(Math.ceil((last - source.startUs) / session.tickUs));
    expect(ticks.map((t) => t.tick)).toEqual([...Array(source.ticks).keys()]);
    const expected = [...events].sort((a, b) => compareMdEvents({ ...a, kind: a.type }, { ...b, kind: b.type }));
    const outputs = ticks.flatMap((t) => t.outputs);
    expect(outputs.map((o) => [o.spec, o.key, withoutEnvelope(o.value)])).toEqual(expected.map((e) => [MD_TOPICS[e.type], e.instrument, toContractPayload(e).payload]));
    const envelopes = outputs.map((o) => (o.value as { envelope: Envelope }).envelope);
    expect(envelopes.map((e) => e.eventTimeUs)).toEqual(expected.map((e) => e.eventTimeUs));
    expect(outputs.every((o) => checkEnvelope(o.value as { envelope: Envelope }) === undefined)).toBe(true);
    for (const t of ticks) {
      for (const o of t.outputs) expect((o.value as { envelope: Envelope }).envelope.eventTimeUs).toBeLessThanOrEqual(t.tickTimeUs);
    }
  });

  it('replays the same file into the same ticks every time', async () => {
    const a = await drain(await RecordedTickSource.open(SAMPLE, session));
    const b = await drain(await RecordedTickSource.open(SAMPLE, session));
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('stops at the session duration', async () => {
    const short = { ...session, durationUs: 1_000_000 };
    const source = await RecordedTickSource.open(SAMPLE, short);
    const ticks = await drain(source);
    expect(ticks).toHaveLength(4);
    const { events } = await readRecordedFile(SAMPLE);
    expect(ticks.flatMap((t) => t.outputs)).toHaveLength(events.filter((e) => e.eventTimeUs <= ticks[3]!.tickTimeUs).length);
  });

  it('opens an empty tick where the recording has a gap', async () => {
    const { events } = await readRecordedFile(SAMPLE);
    const book = events.find((e) => e.type === 'book')!;
    const later = { ...book, eventTimeUs: book.eventTimeUs + 3 * session.tickUs, sequence: book.sequence + 1 };
    const file = join(dir, 'gap.jsonl');
    writeFileSync(file, formatRecordedFile(headerFor([book]), [book, later]));
    const ticks = await drain(await RecordedTickSource.open(file, session));
    // The first book opens tick 0; the second, at the close of tick 2, belongs to tick 2.
    expect(book.eventTimeUs % session.tickUs).toBe(0);
    expect(ticks.map((t) => t.outputs.length)).toEqual([1, 0, 1]);
    expect(ticks[2]!.tickTimeUs).toBe(later.eventTimeUs);
  });

  it('refuses a file with a bad line when it opens, naming the line', async () => {
    const lines = (await import('node:fs')).readFileSync(SAMPLE, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/"sequence":\d+/, '"sequence":0');
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, lines.join('\n'));
    await expect(RecordedTickSource.open(file, session)).rejects.toThrow(RecordedFileError);
    await expect(RecordedTickSource.open(file, session)).rejects.toThrow(`${file}:6:`);
  });
});
