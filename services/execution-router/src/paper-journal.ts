import { type BookEvent, type ExchangeEvent, PaperExchange, type PaperOrderRequest, type Side, type SimVenueSpec, type TradeEvent } from '@fleet/core';

/**
 * The core PaperExchange keeps its books, resting orders and queue positions in private
 * fields and has no export. This module keeps, next to it, the shortest log of the calls made
 * to it that rebuilds a state with the same future behaviour, so the exchange can go into a
 * JSON snapshot: replaying the log into a new PaperExchange gives the same events for every
 * later input.
 *
 * What a later event depends on, and what the log therefore keeps (`S` is the index of the
 * oldest call kept; calls before it are dropped and, per venue, the last book before it is
 * kept as that venue's base book):
 * - every working order, every order with a cancel still on its way, and every order sent at
 *   or after `S` is replayed whole, from its submit (`S` ≤ its submit);
 * - an order that took liquidity at or after `S` is replayed whole (takes reduce the displayed
 *   lots that later orders on the venue take from and queue behind, until the next book);
 * - an order resting at the same venue, side and price as a replayed order while that order
 *   lived is replayed whole (orders at one price share each trade's size, oldest first);
 * - a venue's base book must be its real state at `S`: if liquidity was taken on the venue
 *   between that book and `S`, `S` moves back to the book.
 * These rules are applied until none moves `S` (it only moves back, so this ends); the orders
 * they name are the only ones whose traces are kept. Everything else that happened before `S`
 * (trades, dead orders, older books) cannot change a later event. Two things are not
 * rebuilt: the exchange's set of client order ids seen before `S` (the router never sends an
 * id twice) and a venue's up/down status (no contract carries it; venues stay up).
 */

/** One recorded call on the exchange. */
export type JournalCall =
  | { readonly call: 'market'; readonly event: BookEvent | TradeEvent }
  | { readonly call: 'submit'; readonly order: PaperOrderRequest; readonly atUs: number }
  | { readonly call: 'cancel'; readonly venue: string; readonly clientOrderId: string; readonly atUs: number }
  | { readonly call: 'advance'; readonly toUs: number };

/** What the log needs to know about one order sent to the exchange; indices are call indices. */
export interface OrderTrace {
  readonly clientOrderId: string;
  readonly venue: string;
  readonly side: Side;
  readonly price: string;
  readonly submitIdx: number;
  /** The call that ended the order (last fill, cancel or reject); null while it works. */
  readonly finishIdx: number | null;
  /** Cancels sent whose effect has not happened yet. */
  readonly cancelsPending: number;
}

/** A take of displayed liquidity: the call that caused it, its venue and its order. */
export interface TakeMark {
  readonly idx: number;
  readonly venue: string;
  readonly clientOrderId: string;
}

/** A venue's book and the index of the call that delivered it. */
export interface BookMark {
  readonly idx: number;
  readonly event: BookEvent;
}

/** The JSON form of a {@link JournaledPaperExchange}. */
export interface PaperJournal {
  /** The index of `calls[0]`. */
  readonly base: number;
  /** Per venue that had a book before `base`, the last such book (replayed first). */
  readonly baseBooks: readonly BookMark[];
  readonly calls: readonly JournalCall[];
  readonly traces: readonly OrderTrace[];
  readonly takes: readonly TakeMark[];
}

function overlaps(a: OrderTrace, b: OrderTrace): boolean {
  const end = (t: OrderTrace): number => (t.finishIdx === null || t.cancelsPending > 0 ? Infinity : t.finishIdx);
  return end(a) > b.submitIdx && end(b) > a.submitIdx;
}

/**
 * A core PaperExchange plus the log of calls that rebuilds it (see the module comment). The
 * calls mirror the exchange's; `compact()` drops what can no longer matter and
 * `toJournal()` / `fromJournal()` give the JSON form and rebuild from it.
 */
export class JournaledPaperExchange {
  private readonly exchange: PaperExchange;
  private readonly venues: ReadonlySet<string>;
  private base = 0;
  private baseBooks = new Map<string, BookMark>();
  private calls: JournalCall[] = [];
  private traces = new Map<string, OrderTrace>();
  private takes: TakeMark[] = [];
  private readonly lastBooks = new Map<string, BookMark>();

  private constructor(
    readonly instrument: string,
    private readonly specs: readonly SimVenueSpec[],
  ) {
    this.exchange = new PaperExchange(instrument, specs);
    this.venues = new Set(specs.map((s) => s.venue));
  }

  /** Returns an empty exchange for `instrument` on the `venues`. */
  static create(instrument: string, venues: readonly SimVenueSpec[]): JournaledPaperExchange {
    return new JournaledPaperExchange(instrument, venues);
  }

  /** Returns the exchange `journal` describes, rebuilt by replaying it on `venues` (the same specs it was recorded on). */
  static fromJournal(instrument: string, venues: readonly SimVenueSpec[], journal: PaperJournal): JournaledPaperExchange {
    const x = new JournaledPaperExchange(instrument, venues);
    for (const mark of journal.baseBooks) {
      x.exchange.onMarket(mark.event);
      x.lastBooks.set(mark.event.venue, mark);
    }
    journal.calls.forEach((c, i) => {
      if (c.call === 'market') {
        x.exchange.onMarket(c.event);
        if (c.event.type === 'book') x.lastBooks.set(c.event.venue, { idx: journal.base + i, event: c.event });
      } else if (c.call === 'submit') x.exchange.submit(c.order, c.atUs);
      else if (c.call === 'cancel') x.exchange.cancel(c.venue, c.clientOrderId, c.atUs);
      else x.exchange.advanceTo(c.toUs);
    });
    x.base = journal.base;
    x.baseBooks = new Map(journal.baseBooks.map((m) => [m.event.venue, m]));
    x.calls = [...journal.calls];
    x.traces = new Map(journal.traces.map((t) => [t.clientOrderId, t]));
    x.takes = [...journal.takes];
    return x;
  }

  /** Returns true when `venue` is one of the exchange's venues. */
  hasVenue(venue: string): boolean {
    return this.venues.has(venue);
  }

  /** Returns the venue specs, in configuration order. */
  venueSpecs(): readonly SimVenueSpec[] {
    return this.specs;
  }

  /** Returns the last book of `venue`, if one arrived. */
  lastBook(venue: string): BookEvent | undefined {
    return this.lastBooks.get(venue)?.event;
  }

  /** Returns the number of resting orders on `venue` (every venue when undefined). */
  restingCount(venue?: string): number {
    return this.exchange.restingCount(venue);
  }

  /** Sends an order at `nowUs` (PaperExchange.submit). */
  submit(order: PaperOrderRequest, nowUs: number): void {
    const idx = this.record({ call: 'submit', order, atUs: nowUs });
    this.traces.set(order.clientOrderId, { clientOrderId: order.clientOrderId, venue: order.venue, side: order.side, price: order.price, submitIdx: idx, finishIdx: null, cancelsPending: 0 });
    this.exchange.submit(order, nowUs);
  }

  /** Sends a cancel at `nowUs` (PaperExchange.cancel). */
  cancel(venue: string, clientOrderId: string, nowUs: number): void {
    this.record({ call: 'cancel', venue, clientOrderId, atUs: nowUs });
    const trace = this.traces.get(clientOrderId);
    if (trace !== undefined) this.traces.set(clientOrderId, { ...trace, cancelsPending: trace.cancelsPending + 1 });
    this.exchange.cancel(venue, clientOrderId, nowUs);
  }

  /** Applies a book or trade (PaperExchange.onMarket) and returns the events it caused. */
  onMarket(event: BookEvent | TradeEvent): ExchangeEvent[] {
    // A trade on a venue with no resting order, or an event of another venue, changes nothing.
    const matters = this.venues.has(event.venue) && (event.type === 'book' || this.exchange.restingCount(event.venue) > 0);
    if (!matters) return this.exchange.onMarket(event);
    const idx = this.record({ call: 'market', event });
    if (event.type === 'book') this.lastBooks.set(event.venue, { idx, event });
    return this.observe(idx, this.exchange.onMarket(event));
  }

  /** Applies every order and cancel due at or before `timeUs` (PaperExchange.advanceTo) and returns what happened. */
  advanceTo(timeUs: number): ExchangeEvent[] {
    const due = this.exchange.nextPendingTimeUs();
    if (due === undefined || due > timeUs) return [];
    const idx = this.record({ call: 'advance', toUs: timeUs });
    return this.observe(idx, this.exchange.advanceTo(timeUs));
  }

  /** Drops every call, trace and take that can no longer change a later event (see the module comment). */
  compact(): void {
    const end = this.base + this.calls.length;
    const traces = [...this.traces.values()];
    const kept = new Set(traces.filter((t) => t.finishIdx === null || t.cancelsPending > 0).map((t) => t.clientOrderId));
    let s = end;
    for (let changed = true; changed; ) {
      changed = false;
      // Nothing before `base` is left to keep; every index the rules name is at or after it.
      const lower = (idx: number): void => {
        const to = Math.max(idx, this.base);
        if (to < s) {
          s = to;
          changed = true;
        }
      };
      const keep = (id: string): void => {
        if (!kept.has(id)) {
          kept.add(id);
          changed = true;
        }
      };
      for (const id of kept) lower(this.traces.get(id)!.submitIdx);
      for (const take of this.takes) if (take.idx >= s) keep(take.clientOrderId);
      for (const t of traces) {
        if (kept.has(t.clientOrderId)) continue;
        const shares = (r: OrderTrace): boolean => r.venue === t.venue && r.side === t.side && r.price === t.price && overlaps(r, t);
        if (t.submitIdx >= s || [...kept].some((id) => shares(this.traces.get(id)!))) keep(t.clientOrderId);
      }
      for (const venue of this.venues) {
        // The state of the venue as the call at `s` finds it: the book at or before `s`, less the takes since.
        const book = this.bookBefore(venue, s + 1);
        if (this.takes.some((k) => k.venue === venue && k.idx > (book?.idx ?? -1) && k.idx < s)) lower(book?.idx ?? this.base);
      }
    }
    for (const venue of this.venues) {
      const book = this.bookBefore(venue, s);
      if (book !== undefined) this.baseBooks.set(venue, book);
    }
    this.calls = this.calls.slice(s - this.base);
    this.base = s;
    this.traces = new Map(traces.filter((t) => kept.has(t.clientOrderId)).map((t) => [t.clientOrderId, t]));
    this.takes = this.takes.filter((k) => k.idx >= s);
  }

  /** Returns the log as plain JSON. */
  toJournal(): PaperJournal {
    return {
      base: this.base,
      baseBooks: this.specs.flatMap((v) => this.baseBooks.get(v.venue) ?? []),
      calls: [...this.calls],
      traces: [...this.traces.values()],
      takes: [...this.takes],
    };
  }

  private record(call: JournalCall): number {
    this.calls.push(call);
    return this.base + this.calls.length - 1;
  }

  /** Returns the last book of `venue` delivered by a call before `idx` (a base book when none is left in the log). */
  private bookBefore(venue: string, idx: number): BookMark | undefined {
    for (let i = Math.min(idx - this.base, this.calls.length) - 1; i >= 0; i -= 1) {
      const c = this.calls[i]!;
      if (c.call === 'market' && c.event.type === 'book' && c.event.venue === venue) return { idx: this.base + i, event: c.event };
    }
    return this.baseBooks.get(venue);
  }

  private observe(idx: number, events: ExchangeEvent[]): ExchangeEvent[] {
    for (const e of events) {
      const trace = this.traces.get(e.clientOrderId);
      if (trace === undefined) continue;
      if (e.type === 'fill') {
        const last = this.takes.at(-1);
        if (e.liquidity === 'taker' && (last?.idx !== idx || last.clientOrderId !== e.clientOrderId)) this.takes.push({ idx, venue: e.venue, clientOrderId: e.clientOrderId });
        if (e.remainingSize === '0') this.traces.set(e.clientOrderId, { ...trace, finishIdx: idx });
      } else if (e.type === 'order-rejected') {
        this.traces.set(e.clientOrderId, e.cancel ? { ...trace, cancelsPending: trace.cancelsPending - 1 } : { ...trace, finishIdx: idx });
      } else if (e.type === 'order-cancelled') {
        this.traces.set(e.clientOrderId, { ...trace, finishIdx: idx, cancelsPending: e.reason === 'requested' ? trace.cancelsPending - 1 : trace.cancelsPending });
      }
    }
    return events;
  }
}
