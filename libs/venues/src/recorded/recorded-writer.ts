import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { RecordedFileError } from '../errors';
import type { MarketEvent } from '../market-data/market-events';
import { formatEvent, formatHeader, LineProblem, OrderChecker, parseEvent, RECORDED_FORMAT, RECORDED_FORMAT_VERSION, type RecordedHeader } from './recorded-format';

/** Returns a header for `events`: every venue and instrument that appears, sorted. */
export function headerFor(events: readonly MarketEvent[], description?: string): RecordedHeader {
  const venues = [...new Set(events.map((e) => e.venue))].sort();
  const instruments = [...new Set(events.map((e) => e.instrument))].sort();
  return { format: RECORDED_FORMAT, version: RECORDED_FORMAT_VERSION, venues, instruments, ...(description === undefined ? {} : { description }) };
}

/**
 * Writes a recorded market-data file: the header, then one event per line. Every event is
 * validated exactly as the reader would (fields, header membership, order) before it is
 * written, so a written file always reads back.
 */
export class RecordedFileWriter {
  private readonly order = new OrderChecker();
  /** Lines written so far, the header included. */
  private line = 0;

  private constructor(
    private readonly file: string,
    private readonly stream: WriteStream,
    private readonly header: RecordedHeader,
  ) {}

  /** Creates (or truncates) `file` and writes the header line. */
  static async create(file: string, header: RecordedHeader): Promise<RecordedFileWriter> {
    const stream = createWriteStream(file, { encoding: 'utf8' });
    await once(stream, 'open');
    const writer = new RecordedFileWriter(file, stream, header);
    await writer.put(formatHeader(header));
    return writer;
  }

  /** Validates and appends one event; throws RecordedFileError naming the line it would have been. */
  async write(event: MarketEvent): Promise<void> {
    const text = formatEvent(event);
    try {
      this.order.accept(parseEvent(text, this.header));
    } catch (e) {
      if (e instanceof LineProblem) throw new RecordedFileError(this.file, this.line + 1, e.message);
      throw e;
    }
    await this.put(text);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }

  private async put(text: string): Promise<void> {
    this.line += 1;
    if (!this.stream.write(`${text}\n`)) await once(this.stream, 'drain');
  }
}

/** Returns the full text of a recorded file for `events` (validated), for small files and generators. */
export function formatRecordedFile(header: RecordedHeader, events: readonly MarketEvent[]): string {
  const order = new OrderChecker();
  const lines = [formatHeader(header)];
  events.forEach((event, i) => {
    const text = formatEvent(event);
    try {
      order.accept(parseEvent(text, header));
    } catch (e) {
      if (e instanceof LineProblem) throw new RecordedFileError('<memory>', i + 2, e.message);
      throw e;
    }
    lines.push(text);
  });
  return `${lines.join('\n')}\n`;
}
