import { createReadStream } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { RecordedFileError } from '../errors';
import type { MarketEvent } from '../market-data/market-events';
import { LineProblem, OrderChecker, parseEvent, parseHeader, type RecordedHeader } from './recorded-format';

/**
 * Reads a recorded market-data file line by line (streaming; the file is never loaded whole),
 * validating each line. A bad line raises RecordedFileError naming the file and line number.
 */
export class RecordedFileReader {
  private constructor(
    private readonly file: string,
    private readonly lines: Interface,
    private readonly iterator: AsyncIterator<string>,
    /** The header of the file. */
    readonly header: RecordedHeader,
  ) {}

  /** Opens `file` and reads its header; throws RecordedFileError for a missing or bad header. */
  static async open(file: string): Promise<RecordedFileReader> {
    const stream = createReadStream(file, { encoding: 'utf8' });
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    try {
      await opened;
    } catch (e) {
      throw new RecordedFileError(file, 0, `cannot open the file: ${(e as Error).message}`);
    }
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) {
      lines.close();
      throw new RecordedFileError(file, 1, 'the file is empty; the first line must be a header');
    }
    try {
      return new RecordedFileReader(file, lines, iterator, parseHeader(first.value));
    } catch (e) {
      lines.close();
      stream.destroy();
      throw wrap(file, 1, e);
    }
  }

  /** Yields every event after the header, in file order; a blank line at the very end is allowed. */
  async *events(): AsyncGenerator<MarketEvent> {
    const order = new OrderChecker();
    let lineNo = 1;
    let blankAt: number | undefined;
    try {
      for (;;) {
        const next = await this.iterator.next();
        if (next.done === true) break;
        lineNo += 1;
        if (next.value.trim() === '') {
          blankAt ??= lineNo;
          continue;
        }
        if (blankAt !== undefined) throw new RecordedFileError(this.file, blankAt, 'blank line inside the file');
        let event: MarketEvent;
        try {
          event = parseEvent(next.value, this.header);
          order.accept(event);
        } catch (e) {
          throw wrap(this.file, lineNo, e);
        }
        yield event;
      }
    } finally {
      this.close();
    }
  }

  /** Closes the file; safe to call twice. */
  close(): void {
    this.lines.close();
  }
}

function wrap(file: string, line: number, e: unknown): Error {
  if (e instanceof LineProblem) return new RecordedFileError(file, line, e.message);
  if (e instanceof RecordedFileError) return e;
  return new RecordedFileError(file, line, (e as Error).message ?? String(e));
}

/** Returns the header and every event of a recorded file (for small files and tests). */
export async function readRecordedFile(file: string): Promise<{ header: RecordedHeader; events: MarketEvent[] }> {
  const reader = await RecordedFileReader.open(file);
  const events: MarketEvent[] = [];
  for await (const e of reader.events()) events.push(e);
  return { header: reader.header, events };
}
