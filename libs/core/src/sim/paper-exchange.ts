import { deriveFillId } from '../orders';
import { decimalText, ExactDecimal } from '../money';
import { type InstrumentId, type Side, type TimeUs, type VenueId } from '../types';
import { scaleOf, unitsText } from './decimal-grid';
import { type ExchangeEvent, type PaperOrderRequest } from './exchange-events';
import { type MarketEvent } from './market-events';
import { type SimVenueSpec } from './scenario';

interface RestingOrder {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly priceTicks: number;
  remainingLots: number;
  /** Displayed size ahead of us at our price, in lots (the queue-position model). */
  queueAheadLots: number;
  fills: number;
}

interface VenueBook {
  readonly spec: SimVenueSpec;
  readonly scale: number;
  readonly sizeScale: number;
  up: boolean;
  hasBook: boolean;
  bidTicks: number[];
  bidLots: number[];
  askTicks: number[];
  askLots: number[];
  readonly orders: Map<string, RestingOrder>;
  readonly seen: Set<string>;
}

type PendingOp =
  | { readonly kind: 'place'; readonly atUs: TimeUs; readonly seq: number; readonly order: PaperOrderRequest }
  | { readonly kind: 'cancel'; readonly atUs: TimeUs; readonly seq: number; readonly venue: VenueId; readonly clientOrderId: string }
  | { readonly kind: 'cancel-all'; readonly atUs: TimeUs; readonly seq: number; readonly venue: VenueId };

/**
 * The paper exchange: a deterministic fill model in simulated time. Orders go live one venue
 * latency after they are sent, and cancels take effect one latency after they are sent.
 * A resting order fills as maker at its own price when the market trades through it (a print
 * or a book strictly beyond its price) or, at its price, after the displayed size ahead of it
 * when it went live has traded (queue position). A marketable order takes the displayed levels
 * up to its limit as taker. Fees are exact: price × size × bps / 10⁴. A buy never fills above
 * its limit and a sell never below it.
 */
export class PaperExchange {
  private readonly books = new Map<VenueId, VenueBook>();
  private pending: PendingOp[] = [];
  private seq = 0;

  /** Returns an exchange for `instrument` on `venues`. */
  constructor(
    readonly instrument: InstrumentId,
    venues: readonly SimVenueSpec[],
  ) {
    for (const spec of venues) {
      this.books.set(spec.venue, {
        spec,
        scale: scaleOf(spec.priceDecimals),
        sizeScale: scaleOf(spec.sizeDecimals),
        up: true,
        hasBook: false,
        bidTicks: [],
        bidLots: [],
        askTicks: [],
        askLots: [],
        orders: new Map(),
        seen: new Set(),
      });
    }
  }

  /** Sends an order at `nowUs`; it reaches the venue one latency later. */
  submit(order: PaperOrderRequest, nowUs: TimeUs): void {
    const book = this.book(order.venue);
    this.enqueue({ kind: 'place', atUs: nowUs + book.spec.latencyUs, seq: this.seq++, order });
  }

  /** Sends a cancel at `nowUs`; it takes effect one latency later. */
  cancel(venue: VenueId, clientOrderId: string, nowUs: TimeUs): void {
    const book = this.book(venue);
    this.enqueue({ kind: 'cancel', atUs: nowUs + book.spec.latencyUs, seq: this.seq++, venue, clientOrderId });
  }

  /** Sends a cancel of every order on `venue` (every venue when undefined) at `nowUs`. */
  cancelAll(venue: VenueId | undefined, nowUs: TimeUs): void {
    for (const book of this.books.values()) {
      if (venue !== undefined && book.spec.venue !== venue) continue;
      this.enqueue({ kind: 'cancel-all', atUs: nowUs + book.spec.latencyUs, seq: this.seq++, venue: book.spec.venue });
    }
  }

  /** Returns the time of the next pending order or cancel, or undefined when none is pending. */
  nextPendingTimeUs(): TimeUs | undefined {
    return this.pending[0]?.atUs;
  }

  /** Returns the number of resting orders on `venue` (all venues when undefined). */
  restingCount(venue?: VenueId): number {
    let n = 0;
    for (const book of this.books.values()) if (venue === undefined || book.spec.venue === venue) n += book.orders.size;
    return n;
  }

  /** Applies every pending order and cancel due at or before `timeUs`, in time order, and returns what happened. */
  advanceTo(timeUs: TimeUs): ExchangeEvent[] {
    const out: ExchangeEvent[] = [];
    while (this.pending.length > 0 && this.pending[0]!.atUs <= timeUs) {
      const op = this.pending.shift()!;
      if (op.kind === 'place') this.place(op.order, op.atUs, out);
      else if (op.kind === 'cancel') this.cancelNow(op.venue, op.clientOrderId, op.atUs, out);
      else this.cancelAllNow(op.venue, op.atUs, out);
    }
    return out;
  }

  /** Applies a market event to the fill model and returns the fills and cancels it caused. */
  onMarket(event: MarketEvent): ExchangeEvent[] {
    const book = this.books.get(event.venue);
    if (book === undefined) return [];
    const out: ExchangeEvent[] = [];
    switch (event.type) {
      case 'venue-status':
        book.up = event.up;
        if (!event.up) {
          for (const order of [...book.orders.values()]) {
            book.orders.delete(order.clientOrderId);
            out.push({ type: 'order-cancelled', venue: book.spec.venue, instrument: this.instrument, eventTimeUs: event.eventTimeUs, clientOrderId: order.clientOrderId, reason: 'venue-down', remainingSize: unitsText(order.remainingLots, book.spec.sizeDecimals) });
          }
          book.hasBook = false;
        }
        return out;
      case 'book':
        this.onBook(book, event.bids, event.asks, event.eventTimeUs, out);
        return out;
      case 'trade':
        this.onTrade(book, event.aggressor, Math.round(event.price * book.scale), Math.round(event.size * book.sizeScale), event.eventTimeUs, out);
        return out;
      default:
        return out;
    }
  }

  private book(venue: VenueId): VenueBook {
    const book = this.books.get(venue);
    if (book === undefined) throw new RangeError(`the paper exchange has no venue "${venue}"`);
    return book;
  }

  private enqueue(op: PendingOp): void {
    let i = this.pending.length;
    while (i > 0 && (this.pending[i - 1]!.atUs > op.atUs || (this.pending[i - 1]!.atUs === op.atUs && this.pending[i - 1]!.seq > op.seq))) i -= 1;
    this.pending.splice(i, 0, op);
  }

  private onBook(book: VenueBook, bids: readonly { price: number; size: number }[], asks: readonly { price: number; size: number }[], t: TimeUs, out: ExchangeEvent[]): void {
    book.hasBook = true;
    book.bidTicks = bids.map((l) => Math.round(l.price * book.scale));
    book.bidLots = bids.map((l) => Math.round(l.size * book.sizeScale));
    book.askTicks = asks.map((l) => Math.round(l.price * book.scale));
    book.askLots = asks.map((l) => Math.round(l.size * book.sizeScale));
    const bestBid = book.bidTicks[0];
    const bestAsk = book.askTicks[0];
    for (const order of [...book.orders.values()]) {
      const through = order.side === 'buy' ? bestAsk !== undefined && bestAsk <= order.priceTicks : bestBid !== undefined && bestBid >= order.priceTicks;
      if (through) {
        this.fill(book, order, order.priceTicks, order.remainingLots, 'maker', t, out);
        continue;
      }
      // Displayed size at our price can only shrink the queue ahead of us (cancels ahead).
      const ticks = order.side === 'buy' ? book.bidTicks : book.askTicks;
      const lots = order.side === 'buy' ? book.bidLots : book.askLots;
      const idx = ticks.indexOf(order.priceTicks);
      const shown = idx >= 0 ? lots[idx]! : 0;
      const inside = order.side === 'buy' ? bestBid !== undefined && order.priceTicks > bestBid : bestAsk !== undefined && order.priceTicks < bestAsk;
      if (idx >= 0 || inside) order.queueAheadLots = Math.min(order.queueAheadLots, shown);
    }
  }

  private onTrade(book: VenueBook, aggressor: Side, priceTicks: number, lots: number, t: TimeUs, out: ExchangeEvent[]): void {
    // A sell aggressor hits bids (our buys); a buy aggressor lifts offers (our sells).
    const restingSide: Side = aggressor === 'sell' ? 'buy' : 'sell';
    let available = lots;
    for (const order of [...book.orders.values()]) {
      if (order.side !== restingSide) continue;
      const through = restingSide === 'buy' ? priceTicks < order.priceTicks : priceTicks > order.priceTicks;
      if (through) {
        this.fill(book, order, order.priceTicks, order.remainingLots, 'maker', t, out);
      } else if (priceTicks === order.priceTicks && available > 0) {
        const ahead = Math.min(order.queueAheadLots, available);
        order.queueAheadLots -= ahead;
        available -= ahead;
        const take = Math.min(available, order.remainingLots);
        if (take > 0) {
          available -= take;
          this.fill(book, order, order.priceTicks, take, 'maker', t, out);
        }
      }
    }
  }

  private place(order: PaperOrderRequest, t: TimeUs, out: ExchangeEvent[]): void {
    const book = this.book(order.venue);
    const header = { venue: order.venue, instrument: this.instrument, eventTimeUs: t, clientOrderId: order.clientOrderId };
    const priceTicks = Math.round(Number(order.price) * book.scale);
    const lots = Math.round(Number(order.size) * book.sizeScale);
    if (!book.up) {
      out.push({ ...header, type: 'order-rejected', reason: 'venue-down', cancel: false });
      return;
    }
    if (book.seen.has(order.clientOrderId)) {
      out.push({ ...header, type: 'order-rejected', reason: 'duplicate-client-order-id', cancel: false });
      return;
    }
    if (!(lots > 0) || !(priceTicks > 0) || unitsText(priceTicks, book.spec.priceDecimals) !== decimalText(new ExactDecimal(order.price))) {
      out.push({ ...header, type: 'order-rejected', reason: 'invalid-order', cancel: false });
      return;
    }
    book.seen.add(order.clientOrderId);
    const resting: RestingOrder = { clientOrderId: order.clientOrderId, side: order.side, priceTicks, remainingLots: lots, queueAheadLots: 0, fills: 0 };
    const marketable = this.isMarketable(book, order.side, priceTicks);
    if (marketable && order.timeInForce === 'post-only') {
      out.push({ ...header, type: 'order-rejected', reason: 'post-only-would-cross', cancel: false });
      return;
    }
    out.push({ ...header, type: 'order-accepted' });
    if (marketable) this.take(book, resting, t, out);
    if (resting.remainingLots === 0) return;
    if (order.timeInForce === 'ioc') {
      out.push({ ...header, type: 'order-cancelled', reason: 'ioc-remainder', remainingSize: unitsText(resting.remainingLots, book.spec.sizeDecimals) });
      return;
    }
    const ticks = order.side === 'buy' ? book.bidTicks : book.askTicks;
    const idx = ticks.indexOf(priceTicks);
    resting.queueAheadLots = idx >= 0 ? (order.side === 'buy' ? book.bidLots : book.askLots)[idx]! : 0;
    book.orders.set(order.clientOrderId, resting);
  }

  private isMarketable(book: VenueBook, side: Side, priceTicks: number): boolean {
    if (!book.hasBook) return false;
    return side === 'buy' ? book.askTicks.length > 0 && book.askTicks[0]! <= priceTicks : book.bidTicks.length > 0 && book.bidTicks[0]! >= priceTicks;
  }

  private take(book: VenueBook, order: RestingOrder, t: TimeUs, out: ExchangeEvent[]): void {
    const ticks = order.side === 'buy' ? book.askTicks : book.bidTicks;
    const lots = order.side === 'buy' ? book.askLots : book.bidLots;
    for (let i = 0; i < ticks.length && order.remainingLots > 0; i += 1) {
      const level = ticks[i]!;
      const ok = order.side === 'buy' ? level <= order.priceTicks : level >= order.priceTicks;
      if (!ok) break;
      const take = Math.min(lots[i]!, order.remainingLots);
      if (take <= 0) continue;
      lots[i] = lots[i]! - take;
      this.fill(book, order, level, take, 'taker', t, out);
    }
  }

  private fill(book: VenueBook, order: RestingOrder, priceTicks: number, lots: number, liquidity: 'maker' | 'taker', t: TimeUs, out: ExchangeEvent[]): void {
    order.remainingLots -= lots;
    order.fills += 1;
    if (order.remainingLots === 0) book.orders.delete(order.clientOrderId);
    const spec = book.spec;
    const price = unitsText(priceTicks, spec.priceDecimals);
    const size = unitsText(lots, spec.sizeDecimals);
    const bps = liquidity === 'maker' ? spec.makerFeeBps : spec.takerFeeBps;
    const fee = new ExactDecimal(price).times(size).times(String(bps)).div(10_000);
    out.push({
      type: 'fill',
      venue: spec.venue,
      instrument: this.instrument,
      eventTimeUs: t,
      clientOrderId: order.clientOrderId,
      fillId: deriveFillId(spec.venue, `${order.clientOrderId}:${order.fills}`),
      side: order.side,
      price,
      size,
      fee: decimalText(fee),
      liquidity,
      remainingSize: unitsText(order.remainingLots, spec.sizeDecimals),
    });
  }

  private cancelNow(venue: VenueId, clientOrderId: string, t: TimeUs, out: ExchangeEvent[]): void {
    const book = this.book(venue);
    const header = { venue, instrument: this.instrument, eventTimeUs: t, clientOrderId };
    const order = book.orders.get(clientOrderId);
    if (!book.up || order === undefined) {
      out.push({ ...header, type: 'order-rejected', reason: book.up ? 'unknown-order' : 'venue-down', cancel: true });
      return;
    }
    book.orders.delete(clientOrderId);
    out.push({ ...header, type: 'order-cancelled', reason: 'requested', remainingSize: unitsText(order.remainingLots, book.spec.sizeDecimals) });
  }

  private cancelAllNow(venue: VenueId, t: TimeUs, out: ExchangeEvent[]): void {
    const book = this.book(venue);
    for (const order of [...book.orders.values()]) {
      book.orders.delete(order.clientOrderId);
      out.push({ type: 'order-cancelled', venue, instrument: this.instrument, eventTimeUs: t, clientOrderId: order.clientOrderId, reason: 'requested', remainingSize: unitsText(order.remainingLots, book.spec.sizeDecimals) });
    }
  }
}
