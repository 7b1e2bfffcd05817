import { type OrderCommand, Topics } from '@fleet/contracts';
import { Prng } from '@fleet/core';
import { type LaneEvent, type LaneOutput, type LaneTick } from '@fleet/service';
import { decision, funding, laneEvent, laneTick, mark, report, tickTime } from './ledger-events';

const VENUES = ['venue-a', 'venue-b'];
const FUNDING_EVERY_TICKS = 20;

interface VenueOrder {
  readonly command: OrderCommand;
  readonly lots: number;
  filled: number;
  acked: boolean;
  cancelRequested: boolean;
  reports: number;
}

function lotsText(lots: number): string {
  return (lots / 100).toFixed(2);
}

/**
 * A seeded stand-in for risk-shield, market-gateway and execution-router around budget-ledger:
 * each tick it makes decisions (places of random size, price and venue, some too large for the
 * budget; cancels of known orders; denials), marks every tick and funding every few ticks, and
 * answers the previous tick's commands with order events (rejects, acks, partial and full fills,
 * cancels) plus repeats of earlier reports.
 */
export class SeededDriver {
  private readonly prng: Prng;
  private readonly orders: VenueOrder[] = [];
  private readonly sent: LaneEvent[] = [];
  private pending: LaneEvent[] = [];
  private labels = 0;
  private sequence = 0;

  /** Returns a driver whose choices all come from `seed`. */
  constructor(seed: number | string) {
    this.prng = Prng.seeded(seed);
  }

  /** Returns tick `n`: the decisions, the order events answering tick n − 1, the marks and funding of tick n. */
  tick(n: number): LaneTick {
    const atUs = tickTime(n);
    const decisions = this.decisions(atUs);
    const reports = this.pending;
    this.pending = [];
    const market = VENUES.map((venue) => mark(venue, (2990 + this.prng.int(2000) / 100).toFixed(2), atUs - 1, this.next()));
    if (n % FUNDING_EVERY_TICKS === 0) {
      const next = tickTime(n + FUNDING_EVERY_TICKS);
      for (const venue of VENUES) market.push(funding(venue, ((this.prng.int(21) - 10) / 100_000).toFixed(5), atUs, next, this.next()));
    }
    return laneTick(n, [...decisions, ...reports, ...market]);
  }

  /** Takes the handler's outputs of tick `n`; their commands are answered in tick n + 1. */
  observe(n: number, outputs: readonly LaneOutput[]): void {
    const atUs = tickTime(n) + 1;
    for (const output of outputs) {
      if (output.spec.name !== Topics.orderCommand.name) continue;
      const command = output.value as OrderCommand;
      if (command.kind === 'PLACE') {
        this.orders.push({ command, lots: Math.round(Number(command.placement!.size) * 100), filled: 0, acked: false, cancelRequested: false, reports: 0 });
      } else {
        const order = this.orders.find((o) => o.command.clientOrderId === command.clientOrderId);
        if (order !== undefined) order.cancelRequested = true;
      }
    }
    const open: VenueOrder[] = [];
    for (const order of this.orders) if (!this.answer(order, atUs)) open.push(order);
    this.orders.splice(0, this.orders.length, ...open);
    if (this.sent.length > 0 && this.prng.bernoulli(0.3)) {
      const repeated = this.sent[this.prng.int(this.sent.length)]!;
      this.pending.push(laneEvent(Topics.orderEvent, repeated.producer, repeated.value as object));
    }
  }

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }

  private send(event: LaneEvent): void {
    this.pending.push(event);
    this.sent.push(event);
  }

  /** Reports on one order; returns true when the order is done. */
  private answer(order: VenueOrder, atUs: number): boolean {
    const placement = order.command.placement!;
    if (!order.acked) {
      if (this.prng.bernoulli(0.1)) {
        this.send(report(order.command, 'REJECTED', atUs, {}, this.next()));
        return true;
      }
      order.acked = true;
      this.send(report(order.command, 'ACKED', atUs, {}, this.next()));
    }
    if (this.prng.bernoulli(0.4)) {
      const lots = 1 + this.prng.int(order.lots - order.filled);
      order.filled += lots;
      order.reports += 1;
      const fill = { quantity: lotsText(lots), price: placement.price, fee: '0.05', cumulative: lotsText(order.filled), remaining: lotsText(order.lots - order.filled) };
      this.send(report(order.command, 'FILLED', atUs, { n: order.reports, fill }, this.next()));
      if (order.filled === order.lots) return true;
    }
    if (order.cancelRequested) {
      this.send(report(order.command, 'CANCELLED', atUs, { cancelled: lotsText(order.lots - order.filled) }, this.next()));
      return true;
    }
    return false;
  }

  private decisions(atUs: number): LaneEvent[] {
    const out: LaneEvent[] = [];
    const count = this.prng.int(5);
    for (let i = 0; i < count; i += 1) {
      const roll = this.prng.next();
      const label = `d${(this.labels += 1)}`;
      if (roll < 0.2 && this.orders.length > 0) {
        const target = this.orders[this.prng.int(this.orders.length)]!.command;
        out.push(decision({ label, action: 'CANCEL', venue: target.venue, target: target.clientOrderId }, atUs, 'APPROVED', this.next()));
        continue;
      }
      const lots = this.prng.bernoulli(0.05) ? 3000 + this.prng.int(2000) : 1 + this.prng.int(400);
      const spec = {
        label,
        venue: VENUES[this.prng.int(VENUES.length)],
        side: this.prng.bernoulli(0.5) ? ('BUY' as const) : ('SELL' as const),
        price: (2990 + this.prng.int(2000) / 100).toFixed(2),
        size: lotsText(lots),
      };
      out.push(decision(spec, atUs, roll < 0.3 ? 'DENIED' : 'APPROVED', this.next()));
    }
    return out;
  }
}
