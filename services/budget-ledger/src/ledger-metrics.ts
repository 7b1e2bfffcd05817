import { findPosition, Money, Price, unrealisedPnl } from '@fleet/core';
import { type FleetMetrics } from '@fleet/metrics';
import { type Counter, type Gauge } from 'prom-client';
import { type BudgetRefusal, type InstrumentBook } from './instrument-ledger';

/** The PnL of an instrument in the fleet_pnl kinds: booked (realised − fees + funding), unrealised at the venue marks, and their total. */
interface InstrumentPnl {
  readonly realised: Money;
  readonly unrealised: Money;
  readonly total: Money;
}

/** Returns the PnL of an instrument; an open position without a venue mark adds no unrealised PnL. */
function instrumentPnl(book: InstrumentBook): InstrumentPnl {
  const currency = book.portfolio.currency;
  let realised = Money.zero(currency);
  let unrealised = Money.zero(currency);
  for (const venue of book.venues) {
    const position = findPosition(book.portfolio, venue.venue, book.instrument);
    if (position === undefined) continue;
    realised = realised.plus(position.realisedPnl).minus(position.fees).plus(position.funding);
    if (venue.markPrice !== null) unrealised = unrealised.plus(unrealisedPnl(position, Price.create(venue.markPrice)));
  }
  return { realised, unrealised, total: realised.plus(unrealised) };
}

/** The domain metrics budget-ledger owns (docs/metrics.md); updating them is the handler's only side effect. */
export class LedgerMetrics {
  private readonly inventory: Gauge<'instrument' | 'venue'>;
  private readonly pnl: Gauge<'instrument' | 'kind'>;
  private readonly utilisation: Gauge<'bucket'>;
  private readonly reserved: Gauge<'bucket'>;
  private readonly committed: Gauge<'bucket'>;
  private readonly rejections: Counter<'reason'>;

  /** Registers the metrics on `metrics`. */
  constructor(metrics: FleetMetrics) {
    this.inventory = metrics.gauge('fleet_inventory', 'Net position in base units (negative = short).', ['instrument', 'venue']);
    this.pnl = metrics.gauge('fleet_pnl', 'PnL in portfolio currency; kind is realised (net of fees, with funding), unrealised or total.', ['instrument', 'kind']);
    this.utilisation = metrics.gauge('fleet_budget_utilisation_ratio', '(reserved + committed) / allocated of an execution budget, 0..1.', ['bucket']);
    this.reserved = metrics.gauge('fleet_budget_reserved', 'Amount reserved by open orders, in portfolio currency.', ['bucket']);
    this.committed = metrics.gauge('fleet_budget_committed', 'Amount committed by filled orders, in portfolio currency.', ['bucket']);
    this.rejections = metrics.counter('fleet_budget_rejections_total', 'Reservations refused, by the first failed check.', ['reason']);
    // Every reason a reservation can be refused exists from the start at 0, so a rate over it is defined before the first refusal.
    for (const reason of ['NoBudget', 'ExceedsMaxOrderFraction', 'InsufficientBudget', 'RateLimited', 'MaxOpenOrders', 'DuplicateOrder']) this.rejections.inc({ reason }, 0);
  }

  /** Sets the inventory, PnL and budget gauges of an instrument from its book. */
  observe(book: InstrumentBook): void {
    for (const venue of book.venues) {
      const position = findPosition(book.portfolio, venue.venue, book.instrument);
      this.inventory.set({ instrument: book.instrument, venue: venue.venue }, position === undefined ? 0 : position.netQuantity.toNumber());
    }
    const pnl = instrumentPnl(book);
    this.pnl.set({ instrument: book.instrument, kind: 'realised' }, pnl.realised.toNumber());
    this.pnl.set({ instrument: book.instrument, kind: 'unrealised' }, pnl.unrealised.toNumber());
    this.pnl.set({ instrument: book.instrument, kind: 'total' }, pnl.total.toNumber());
    for (const budget of book.execution.ledger.budgets) {
      const used = budget.reserved.plus(budget.committed);
      this.utilisation.set({ bucket: budget.bucketId }, budget.allocated.isPositive() ? used.value.div(budget.allocated.value).toNumber() : 0);
      this.reserved.set({ bucket: budget.bucketId }, budget.reserved.toNumber());
      this.committed.set({ bucket: budget.bucketId }, budget.committed.toNumber());
    }
  }

  /** Counts a refused reservation under its first failed check. */
  refused(refusal: BudgetRefusal): void {
    this.rejections.inc({ reason: refusal.reasons[0] ?? 'Unknown' });
  }
}
