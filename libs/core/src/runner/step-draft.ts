import { deriveId } from '../canonical';
import { type VenueBookTop } from '../fair-value';
import { deriveClientOrderId, deriveIntentId } from '../orders';
import { type Portfolio } from '../portfolio';
import { HEALTHY_VENUE, type RiskState, type VenueSnapshot } from '../risk';
import { type TimeUs } from '../types';
import { type Action, type ActionCause, type OrderPurpose, type PlaceOrderAction, type Why } from './actions';
import { type RunnerState, type RunnerStats, type VenueView, type WorkingOrder } from './runner-state';

/*
 * The draft of the next runner state that one `step` builds, and the helpers that change it.
 * Internal to the runner: `step` is the only entry point.
 */

/** A mutable draft of the next state; only `step` sees it. */
export interface Draft {
  nowUs: TimeUs;
  orderSeq: number;
  books: readonly (VenueBookTop | null)[];
  venues: readonly VenueView[];
  fv: RunnerState['fv'];
  risk: RiskState;
  operatorKill: boolean;
  killReason: RunnerState['killReason'];
  killedAtUs: TimeUs | null;
  quotingPaused: boolean;
  portfolio: Portfolio;
  orders: WorkingOrder[] | readonly WorkingOrder[];
  stats: RunnerStats;
  actions: Action[];
  cause: ActionCause;
  base: RunnerState;
  fvDirty: boolean;
  inventoryChanged: boolean;
}

/** Returns the index of `venue` in the configuration, or -1. */
export function venueIndex(state: RunnerState, venue: string): number {
  const venues = state.config.strategy.venues;
  for (let i = 0; i < venues.length; i++) if (venues[i]!.venueId === venue) return i;
  return -1;
}

/** Replaces venue `i` in the draft with a patched copy. */
export function setVenue(d: Draft, i: number, patch: Partial<VenueView>): void {
  const venues = d.venues.slice();
  venues[i] = { ...venues[i]!, ...patch };
  d.venues = venues;
}

/** Replaces the book of venue `i` in the draft. */
export function setBook(d: Draft, i: number, book: VenueBookTop | null): void {
  const books = d.books.slice();
  books[i] = book;
  d.books = books;
}

/** Adds to the draft's counters. */
export function bump(d: Draft, patch: Partial<Record<keyof RunnerStats, number>>): void {
  const s: Record<string, number> = { ...d.stats };
  for (const [k, v] of Object.entries(patch)) s[k] = (s[k] ?? 0) + (v ?? 0);
  d.stats = s as unknown as RunnerStats;
}

/** Returns the venue snapshots the models read. */
export function snapshots(d: Draft): VenueSnapshot[] {
  const cfg = d.base.config;
  const out: VenueSnapshot[] = [];
  for (let i = 0; i < d.venues.length; i++) {
    const v = d.venues[i]!;
    out.push({
      venueId: v.venue,
      book: d.books[i] ?? null,
      fundingRate8h: v.fundingRate,
      positionQty: v.positionQty,
      avgEntryPrice: v.avgEntryPrice,
      distLiqSigma: Infinity,
      marginAvailableUsd: cfg.marginPerVenueUsd,
      health: v.up ? HEALTHY_VENUE : { ...HEALTHY_VENUE, disabled: true },
    });
  }
  return out;
}

/** Returns the Why of an action emitted now. */
export function why(d: Draft, model: Why['model']): Why {
  return { cause: d.cause, fairValue: d.fv.fairValue, sigmaEff: d.fv.sigmaEff, regime: d.risk.regime, killSwitch: d.risk.killSwitch || d.operatorKill, inventory: inventoryOf(d), model };
}

/** Returns the global position of the draft, rounded to 1e-8. */
export function inventoryOf(d: Draft): number {
  let q = 0;
  for (const v of d.venues) q += v.positionQty;
  return Math.round(q * 1e8) / 1e8;
}

/** An action without the fields `emit` fills in. */
export type ActionBody = Action extends infer A ? (A extends Action ? Omit<A, 'actionId' | 'atUs' | 'instrument' | 'why'> : never) : never;

/** Appends an action with its derived id, time, instrument and Why; returns it. */
export function emit(d: Draft, body: ActionBody, model: Why['model']): Action {
  const cfg = d.base.config;
  const actionId = deriveId('action', [cfg.strategyId, cfg.instrument, d.nowUs, d.base.steps, d.actions.length, body.type], 32);
  const action = { ...body, actionId, atUs: d.nowUs, instrument: cfg.instrument, why: why(d, model) } as Action;
  d.actions.push(action);
  return action;
}

/** Emits CancelAll and marks every order as cancelling. */
export function cancelEverything(d: Draft, reason: 'kill-switch' | 'operator'): void {
  emit(d, { type: 'CancelAll', reason }, { openOrders: d.orders.length });
  d.orders = d.orders.map((o) => (o.status === 'cancelling' ? o : { ...o, status: 'cancelling' as const }));
}

/** Emits CancelOrder for every matching order on a venue that is up. */
export function cancelWhere(d: Draft, pred: (o: WorkingOrder) => boolean, reason: 'no-quote' | 'venue-unhealthy' | 'operator' | 'replace'): void {
  let changed = 0;
  const orders = d.orders.map((o) => {
    if (o.status === 'cancelling' || !pred(o) || !d.venues[o.venueIndex]!.up) return o;
    changed += 1;
    emit(d, { type: 'CancelOrder', venue: d.venues[o.venueIndex]!.venue, clientOrderId: o.clientOrderId, reason }, { price: o.price, remaining: o.remaining });
    return { ...o, status: 'cancelling' as const };
  });
  if (changed > 0) {
    d.orders = orders;
    bump(d, { cancels: changed });
  }
}

/** Returns the next derived client order id. */
export function newClientOrderId(d: Draft, purpose: OrderPurpose, venue: string): string {
  const cfg = d.base.config;
  const intent = deriveIntentId(cfg.strategyId, `${cfg.instrument}:${purpose}`, d.nowUs, d.orderSeq);
  d.orderSeq += 1;
  return deriveClientOrderId(intent, venue);
}

/** An order to place: the grid price and size (float and exact text) and the model figures behind it. */
export interface Placement {
  readonly venueIndex: number;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly priceText: string;
  readonly size: number;
  readonly sizeText: string;
  readonly model: Why['model'];
}

/** Emits a PlaceOrder and records the pending order. */
export function place(d: Draft, orders: WorkingOrder[], p: Placement, purpose: OrderPurpose, timeInForce: 'post-only' | 'ioc', replaces: string | undefined): void {
  const venue = d.venues[p.venueIndex]!.venue;
  const clientOrderId = newClientOrderId(d, purpose, venue);
  const body: Omit<PlaceOrderAction, 'actionId' | 'atUs' | 'instrument' | 'why'> = { type: 'PlaceOrder', venue, clientOrderId, side: p.side, price: p.priceText, size: p.sizeText, timeInForce, purpose, replaces };
  emit(d, body, p.model);
  orders.push({ clientOrderId, venueIndex: p.venueIndex, side: p.side, price: p.price, size: p.size, remaining: p.size, purpose, status: 'pending', placedUs: d.nowUs });
}
