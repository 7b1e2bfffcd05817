import type { MarketDataSink, MarketDataSource } from '../market-data/market-data-source';
import { RecordedFileReader } from './recorded-reader';

/**
 * A market-data source that replays a recorded file as fast as the sink takes events (the sink's
 * promise is awaited before the next event, so a lock-step gateway paces it). Ends at the
 * end of the file; a bad line ends it with RecordedFileError.
 */
export class RecordedFileSource implements MarketDataSource {
  readonly name: string;
  private running: Promise<void> | undefined;
  private stopped = false;
  private reader: RecordedFileReader | undefined;

  /** Returns a source for `file`. */
  constructor(private readonly file: string) {
    this.name = `recorded:${file}`;
  }

  /** Opens the file (a bad header fails here) and starts replaying it in the background. */
  async start(sink: MarketDataSink): Promise<void> {
    if (this.running !== undefined) throw new Error(`${this.name} was already started`);
    const reader = await RecordedFileReader.open(this.file);
    this.reader = reader;
    this.running = (async () => {
      for await (const event of reader.events()) {
        if (this.stopped) break;
        await sink.onEvent(event);
      }
    })();
    this.running.catch(() => undefined);
  }

  /** Stops after the event being delivered and closes the file. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.reader?.close();
    await this.running?.catch(() => undefined);
  }

  /** Resolves at the end of the file or after stop; rejects with the error of a bad line. */
  async done(): Promise<void> {
    if (this.running === undefined) throw new Error(`${this.name} was never started`);
    await this.running;
  }
}
