import { type LaneSessionConfig } from '@fleet/service';
import { type MarketEvent, RecordedFileReader } from '@fleet/venues';
import { assembleTick, MdSequencer, venueMdItem } from './md-events';
import { type GatewayTick, tickCloseUs, tickOfTime, type TickSource, ticksIn } from './tick-source';

/** What a first pass over a recorded file finds: its instruments and the span of its event times. */
interface RecordedSpan {
  readonly instruments: readonly string[];
  readonly firstUs: number | undefined;
  readonly lastUs: number | undefined;
}

async function scan(file: string): Promise<RecordedSpan> {
  const reader = await RecordedFileReader.open(file);
  let firstUs: number | undefined;
  let lastUs: number | undefined;
  for await (const event of reader.events()) {
    firstUs ??= event.eventTimeUs;
    lastUs = event.eventTimeUs;
  }
  return { instruments: reader.header.instruments, firstUs, lastUs };
}

/**
 * Ticks of a recorded market-data file (docs/market-data-format.md), by the recorded event
 * time: tick 0 opens at the first event's time rounded down to a whole tick. The session lasts
 * until the file's last event, and at most the session's duration (later events are not
 * replayed). {@link RecordedTickSource.open} reads the file once to check every line and find
 * its span, then the replay streams it again, one tick at a time.
 */
export class RecordedTickSource implements TickSource {
  private readonly sequencer = new MdSequencer();
  private readonly events: AsyncIterator<MarketEvent>;
  private pending: MarketEvent | undefined;
  private tick = 0;
  private closed = false;

  private constructor(
    private readonly reader: RecordedFileReader,
    readonly instruments: readonly string[],
    readonly ticks: number,
    /** The time tick 0 opens at. */
    readonly startUs: number,
    private readonly tickUs: number,
  ) {
    this.events = reader.events();
  }

  /** Opens `file` for `session` (its tick and duration); a missing file or a bad line fails here with RecordedFileError. */
  static async open(file: string, session: LaneSessionConfig): Promise<RecordedTickSource> {
    const span = await scan(file);
    const tickUs = session.tickUs;
    const startUs = span.firstUs === undefined ? 0 : Math.floor(span.firstUs / tickUs) * tickUs;
    const fileTicks = span.lastUs === undefined ? 0 : tickOfTime(startUs, tickUs, span.lastUs) + 1;
    const ticks = Math.min(fileTicks, ticksIn(session.durationUs, tickUs));
    return new RecordedTickSource(await RecordedFileReader.open(file), span.instruments, ticks, startUs, tickUs);
  }

  /** Returns the next tick, or undefined after the last. */
  async next(): Promise<GatewayTick | undefined> {
    if (this.closed || this.tick >= this.ticks) {
      await this.close();
      return undefined;
    }
    const tick = this.tick;
    const tickTimeUs = tickCloseUs(this.startUs, this.tickUs, tick);
    const events: MarketEvent[] = [];
    for (let event = await this.peek(); event !== undefined && event.eventTimeUs <= tickTimeUs; event = await this.peek()) {
      events.push(event);
      this.pending = undefined;
    }
    this.tick += 1;
    return { tick, tickTimeUs, outputs: assembleTick(events.map((e) => venueMdItem(e, e.eventTimeUs)), this.sequencer) };
  }

  /** Closes the file; `next` returns undefined from now on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.events.return?.();
    this.reader.close();
  }

  private async peek(): Promise<MarketEvent | undefined> {
    if (this.pending === undefined) {
      const next = await this.events.next();
      this.pending = next.done === true ? undefined : next.value;
    }
    return this.pending;
  }
}
