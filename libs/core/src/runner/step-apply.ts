import { Money, Price, Quantity } from '../money';
import { applyPortfolioFill, applyPortfolioFunding, findPosition } from '../portfolio';
import { resetKillSwitch } from '../risk';
import { type ExchangeEvent, type FillEvent } from '../sim/exchange-events';
import { type MarketEvent } from '../sim/market-events';
import { type OperatorCommandEvent, type RunnerEvent } from './runner-events';
import { bump, cancelEverything, cancelWhere, type Draft, emit, setBook, setVenue, venueIndex } from './step-draft';

/* Applying one event to the draft: market data, our order events and fills, operator commands. */

/** Applies `event` to the draft (the first stage of a step). */
export function applyEvent(d: Draft, event: RunnerEvent): void {
  switch (event.type) {
    case 'timer':
      return;
    case 'command':
      applyCommand(d, event);
      return;
    case 'fill':
    case 'order-accepted':
    case 'order-rejected':
    case 'order-cancelled':
      applyOrderEvent(d, event);
      return;
    default:
      applyMarket(d, event);
  }
}

function applyMarket(d: Draft, event: MarketEvent): void {
  const i = venueIndex(d.base, event.venue);
  if (i < 0 || event.instrument !== d.base.config.instrument) return;
  switch (event.type) {
    case 'book': {
      const bid = event.bids[0];
      const ask = event.asks[0];
      if (bid === undefined || ask === undefined) return;
      setBook(d, i, { venueId: event.venue, bestBid: bid.price, bestAsk: ask.price, bidDepth: bid.size, askDepth: ask.size, timestampUs: event.eventTimeUs });
      if (!d.venues[i]!.up) setVenue(d, i, { up: true });
      d.fvDirty = true;
      return;
    }
    case 'venue-status':
      setVenue(d, i, { up: event.up });
      if (!event.up) setBook(d, i, null);
      d.fvDirty = true;
      return;
    case 'mark':
      setVenue(d, i, { markPrice: event.price });
      return;
    case 'index':
      setVenue(d, i, { indexPrice: event.price });
      return;
    case 'funding': {
      setVenue(d, i, { fundingRate: event.rate });
      const position = findPosition(d.portfolio, event.venue, event.instrument);
      const mark = d.venues[i]!.markPrice;
      if (event.settles && position !== undefined && !position.netQuantity.isZero() && mark !== null) {
        // Longs pay shorts when the rate is positive: amount received = −q × mark × rate.
        const amount = position.netQuantity.value.times(String(mark)).times(String(event.rate)).negated();
        d.portfolio = applyPortfolioFunding(d.portfolio, { venue: event.venue, instrument: event.instrument, amount: Money.create(amount, d.base.config.currency), atUs: event.eventTimeUs });
        refreshVenue(d, i);
      }
      return;
    }
    case 'trade':
      return;
  }
}

function refreshVenue(d: Draft, i: number): void {
  const p = findPosition(d.portfolio, d.venues[i]!.venue, d.base.config.instrument);
  if (p === undefined) return;
  const qty = p.netQuantity.toNumber();
  const avg = qty === 0 ? 0 : p.costBasis.value.div(p.netQuantity.value).toNumber();
  const booked = p.realisedPnl.minus(p.fees).plus(p.funding).toNumber();
  setVenue(d, i, { positionQty: qty, avgEntryPrice: avg, bookedPnl: booked });
}

function applyOrderEvent(d: Draft, event: ExchangeEvent): void {
  const idx = d.orders.findIndex((o) => o.clientOrderId === event.clientOrderId);
  const order = idx >= 0 ? d.orders[idx] : undefined;
  const orders = d.orders.slice();
  switch (event.type) {
    case 'order-accepted':
      if (order !== undefined && order.status === 'pending') orders[idx] = { ...order, status: 'live' };
      break;
    case 'order-rejected':
      if (order !== undefined) orders.splice(idx, 1);
      if (!event.cancel) bump(d, { rejects: 1 });
      break;
    case 'order-cancelled':
      if (order !== undefined) orders.splice(idx, 1);
      break;
    case 'fill':
      applyFill(d, event);
      if (order !== undefined) {
        const remaining = Number(event.remainingSize);
        if (remaining <= 0) orders.splice(idx, 1);
        else orders[idx] = { ...order, remaining, status: order.status === 'pending' ? 'live' : order.status };
      }
      break;
  }
  d.orders = orders;
}

function applyFill(d: Draft, fill: FillEvent): void {
  const i = venueIndex(d.base, fill.venue);
  if (i < 0) return;
  d.portfolio = applyPortfolioFill(d.portfolio, {
    venue: fill.venue,
    instrument: fill.instrument,
    side: fill.side,
    quantity: Quantity.create(fill.size),
    price: Price.create(fill.price),
    fee: Money.create(fill.fee, d.base.config.currency),
    atUs: fill.eventTimeUs,
  });
  refreshVenue(d, i);
  d.inventoryChanged = true;
  bump(d, { fills: 1, makerFills: fill.liquidity === 'maker' ? 1 : 0, takerFills: fill.liquidity === 'taker' ? 1 : 0 });
}

function applyCommand(d: Draft, event: OperatorCommandEvent): void {
  const c = event.command;
  switch (c.kind) {
    case 'kill':
      if (!d.operatorKill && !d.risk.killSwitch) {
        d.operatorKill = true;
        d.killReason = 'OperatorKill';
        d.killedAtUs = d.nowUs;
        emit(d, { type: 'SetKillSwitch', on: true, reason: 'OperatorKill' }, { operatorId: c.operatorId, note: c.reason });
        cancelEverything(d, 'operator');
      }
      return;
    case 'operator-reset':
      if (d.operatorKill || d.risk.killSwitch) {
        d.risk = resetKillSwitch(d.risk, c);
        d.operatorKill = false;
        d.killReason = 'None';
        d.killedAtUs = null;
        emit(d, { type: 'SetKillSwitch', on: false, reason: 'OperatorReset' }, { operatorId: c.operatorId, note: c.reason });
      }
      return;
    case 'pause-quoting':
      d.quotingPaused = true;
      cancelWhere(d, (o) => o.purpose === 'mm', 'operator');
      return;
    case 'resume-quoting':
      d.quotingPaused = false;
      return;
    case 'cancel-all':
      cancelEverything(d, 'operator');
      return;
  }
}
