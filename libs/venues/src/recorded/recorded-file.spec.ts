import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedFileError } from '../errors';
import { collectEvents } from '../market-data/market-data-source';
import { type MarketEvent, toContractPayload } from '../market-data/market-events';
import { RecordedFileSource } from './recorded-file-source';
import { formatHeader } from './recorded-format';
import { readRecordedFile } from './recorded-reader';
import { formatRecordedFile, headerFor, RecordedFileWriter } from './recorded-writer';
import { generateSampleMarketData, SAMPLE_DESCRIPTION } from './sample-generator';

const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'sample-market-data.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'venues-recorded-'));
let n = 0;
const tmp = (text: string): string => {
  const file = join(dir, `f${n++}.jsonl`);
  writeFileSync(file, text);
  return file;
};

const header = formatHeader({ format: 'fleet-market-data', version: 1, venues: ['binanceusdm'], instruments: ['BTC-PERP'] });
const mark = (t: number, seq: number, price = '65000.5') => JSON.stringify({ type: 'mark', venue: 'binanceusdm', instrument: 'BTC-PERP', eventTimeUs: t, exchangeTimeUs: null, sequence: seq, markPrice: price });

describe('recorded market-data files', () => {
  it('reads the shipped sample: header, every event type, in order', async () => {
    const { header: h, events } = await readRecordedFile(SAMPLE);
    expect(h).toMatchObject({ venues: ['binanceusdm', 'bybit'], instruments: ['BTC-PERP', 'ETH-PERP'], version: 1 });
    expect(events.length).toBeGreaterThan(300);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['book', 'trade', 'funding', 'mark', 'index']));
  });

  it('ships the sample exactly as the seeded generator makes it', () => {
    const events = generateSampleMarketData();
    const text = formatRecordedFile(headerFor(events, SAMPLE_DESCRIPTION), events);
    expect(text).toBe(readFileSync(SAMPLE, 'utf8'));
  });

  it('round-trips through the writer and the reader unchanged', async () => {
    const events = generateSampleMarketData('round-trip', 8);
    const file = join(dir, 'round-trip.jsonl');
    const writer = await RecordedFileWriter.create(file, headerFor(events));
    for (const e of events) await writer.write(e);
    await writer.close();
    const back = await readRecordedFile(file);
    expect(back.events).toEqual(events);
    expect(readFileSync(file, 'utf8')).toBe(formatRecordedFile(headerFor(events), events));
  });

  it('replays as a MarketDataSource whose events map onto the contracts', async () => {
    const events = await collectEvents(new RecordedFileSource(SAMPLE));
    expect(events).toEqual((await readRecordedFile(SAMPLE)).events);
    const book = events.find((e) => e.type === 'book')!;
    const payload = toContractPayload(book);
    expect(payload.type).toBe('book');
    expect(Object.keys(payload.payload).sort()).toEqual(['asks', 'bids', 'exchangeTimeUs', 'instrument', 'lotSize', 'tickSize', 'venue', 'venueSequence', 'venueSymbol']);
  });

  const bad: Array<[string, string, number, string]> = [
    ['a header that is not one', `${mark(1, 1)}\n`, 1, 'the first line must be a header'],
    ['an unsupported version', `${header.replace('"version":1', '"version":2')}\n`, 1, 'unsupported format version 2'],
    ['broken JSON', `${header}\n${mark(1, 1)}\n{"type":\n`, 3, 'not valid JSON'],
    ['a float price', `${header}\n${mark(1, 1).replace('"65000.5"', '65000.5')}\n`, 2, 'field "markPrice" must be a plain decimal string'],
    ['an exponent price', `${header}\n${mark(1, 1, '6.5e4')}\n`, 2, 'field "markPrice" must be a plain decimal string'],
    ['an unknown venue', `${header}\n${mark(1, 1).replace('binanceusdm', 'kraken')}\n`, 2, 'venue "kraken" is not listed in the header'],
    ['events out of time order', `${header}\n${mark(5, 1)}\n${mark(4, 2)}\n`, 3, 'events must be sorted by eventTimeUs'],
    ['a sequence going back', `${header}\n${mark(5, 2)}\n${mark(6, 1)}\n`, 3, 'sequence 1 of binanceusdm/BTC-PERP is not above the previous 2'],
    ['an unknown field', `${header}\n${mark(1, 1).replace('{', '{"extra":1,')}\n`, 2, 'unknown field(s) extra'],
    ['an unknown type', `${header}\n${mark(1, 1).replace('"mark"', '"quote"')}\n`, 2, 'field "type" must be one of'],
    ['a blank line inside', `${header}\n${mark(1, 1)}\n\n${mark(2, 2)}\n`, 3, 'blank line inside the file'],
    ['an empty file', '', 1, 'the file is empty'],
  ];
  it.each(bad)('rejects %s with the line number', async (_what, text, line, problem) => {
    const file = tmp(text);
    const error = await readRecordedFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordedFileError);
    expect((error as RecordedFileError).line).toBe(line);
    expect((error as RecordedFileError).message).toBe(`${file}:${line}: ${(error as RecordedFileError).problem}`);
    expect((error as RecordedFileError).problem).toContain(problem);
  });

  it('ends a replaying source with the error of a bad line, after the good ones', async () => {
    const file = tmp(`${header}\n${mark(1, 1)}\n${mark(2, 2)}\nnot json\n`);
    const seen: MarketEvent[] = [];
    const source = new RecordedFileSource(file);
    await source.start({ onEvent: (e) => void seen.push(e) });
    await expect(source.done()).rejects.toThrow(`${file}:4: not valid JSON`);
    expect(seen.map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('refuses to write an event the reader would reject, naming the line', async () => {
    const writer = await RecordedFileWriter.create(join(dir, 'w.jsonl'), { format: 'fleet-market-data', version: 1, venues: ['binanceusdm'], instruments: ['BTC-PERP'] });
    const e = JSON.parse(mark(10, 1)) as MarketEvent;
    await writer.write(e);
    await expect(writer.write({ ...e, sequence: 2, eventTimeUs: 9 })).rejects.toThrow(':3: events must be sorted');
    await writer.close();
  });
});
