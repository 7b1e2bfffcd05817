import { type MarketEvent } from '@fleet/venues';
import { assembleTick, type MdItem, MdSequencer, venueMdItem } from './md-events';
import { type GatewayTick, tickCloseUs, tickOfTime } from './tick-source';

/**
 * Cuts live venue events into ticks by venue time, never by the receiving clock. An event's
 * gateway time is its venue timestamp (`exchangeTimeUs`), raised to the highest venue time
 * seen so far, so gateway time never goes back: a late event (an older timestamp arriving after
 * a newer one, or one without a timestamp) joins the open tick at the current venue time.
 * Tick 0 opens at the first venue timestamp rounded down to a whole tick; an event past the
 * open tick closes it and every empty tick before its own. Events that arrive before any venue
 * timestamp wait and take the first one. Pure: the same events in the same order give the same
 * ticks.
 */
export class VenueTimeTicker {
  private readonly sequencer = new MdSequencer();
  private readonly waiting: MarketEvent[] = [];
  private startUs: number | undefined;
  private venueTimeUs = 0;
  private open = 0;
  private items: MdItem[] = [];

  /** Returns a ticker of `tickUs` microseconds of venue time. */
  constructor(private readonly tickUs: number) {}

  /** Takes the next received event; returns the ticks it closes (none, or several when it skips empty ticks). */
  push(event: MarketEvent): GatewayTick[] {
    if (this.startUs === undefined) {
      if (event.exchangeTimeUs === null) {
        this.waiting.push(event);
        return [];
      }
      this.startUs = Math.floor(event.exchangeTimeUs / this.tickUs) * this.tickUs;
      this.venueTimeUs = event.exchangeTimeUs;
      for (const held of this.waiting.splice(0)) this.items.push(venueMdItem(held, this.venueTimeUs));
    }
    this.venueTimeUs = Math.max(this.venueTimeUs, event.exchangeTimeUs ?? this.venueTimeUs);
    const closed: GatewayTick[] = [];
    const tick = tickOfTime(this.startUs, this.tickUs, this.venueTimeUs);
    while (this.open < tick) closed.push(this.closeOpen());
    this.items.push(venueMdItem(event, this.venueTimeUs));
    return closed;
  }

  /** Closes the open tick (at the end of a live session); undefined before the first venue timestamp. */
  flush(): GatewayTick | undefined {
    return this.startUs === undefined ? undefined : this.closeOpen();
  }

  private closeOpen(): GatewayTick {
    const tick = this.open;
    const outputs = assembleTick(this.items, this.sequencer);
    this.items = [];
    this.open += 1;
    return { tick, tickTimeUs: tickCloseUs(this.startUs!, this.tickUs, tick), outputs };
  }
}
