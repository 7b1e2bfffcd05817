import { type VenueQuote } from '../quoting';
import { basisExposureUsd, evaluateRisk } from '../risk';
import { type Why } from './actions';
import { markToMarketPnl, stateInventory } from './runner-state';
import { bump, cancelEverything, type Draft, emit, place, type Placement } from './step-draft';
import { type ModelContext, type StrategyModels } from './strategy-models';

/* The decision stages of a step: risk, quoting with order management, hedge and exit orders. */

/** Evaluates risk; a first breach latches the kill switch (SetKillSwitch, CancelAll). */
export function evaluate(d: Draft, ctx: ModelContext): void {
  const cfg = d.base.config.strategy;
  const S = d.fv.fairValue;
  const pnl = markToMarketPnl({ ...d.base, venues: d.venues, books: d.books, fv: d.fv });
  const q = stateInventory({ ...d.base, venues: d.venues });
  const inputs = { dailyPnlUsd: pnl, dollarDeltaUsd: S === null ? 0 : q * S, basisExposureUsd: S === null ? 0 : basisExposureUsd(ctx.venues, S), minDistLiqSigma: Infinity };
  const before = d.risk;
  const result = evaluateRisk(cfg.risk, before, inputs, d.nowUs);
  d.risk = result.state;
  const model = { dailyPnlUsd: inputs.dailyPnlUsd, dollarDeltaUsd: inputs.dollarDeltaUsd, basisExposureUsd: inputs.basisExposureUsd };
  if (result.state.killSwitch && !before.killSwitch) {
    // Under an operator kill the switch is already on: the breach is latched in the risk state, nothing is re-sent.
    if (!d.operatorKill) {
      d.killReason = result.state.killReason;
      d.killedAtUs = d.nowUs;
      emit(d, { type: 'SetKillSwitch', on: true, reason: result.state.killReason }, { ...model, breaches: result.breaches.join(',') });
      cancelEverything(d, 'kill-switch');
    }
  } else if (result.state.regime !== before.regime && !result.state.killSwitch) {
    emit(d, { type: 'SetRiskRegime', regime: result.state.regime }, model);
  }
}

function quoteModel(q: VenueQuote, decision: string): Why['model'] {
  const m = q.model;
  if (m === null) return { decision };
  return { decision, r: m.r, delta: m.delta, basis: m.basis, funding: m.funding, inventoryDeviation: m.inventoryDeviation, qTarget: m.qTarget, dollarDeltaUsd: m.dollarDeltaUsd };
}

/** Runs quoting and order management on every venue. */
export function manageQuotes(d: Draft, models: StrategyModels, ctx: ModelContext): void {
  const cfg = d.base.config;
  const wanted = models.quotes(ctx);
  const quoting = cfg.quotingEnabled && !d.quotingPaused;
  const orders = d.orders.slice();
  let cancels = 0;
  let quotes = 0;
  for (let i = 0; i < d.venues.length; i++) {
    const vq = wanted[i];
    for (const side of ['buy', 'sell'] as const) {
      const level = !quoting || vq === undefined ? null : side === 'buy' ? vq.bid : vq.ask;
      const idx = orders.findIndex((o) => o.purpose === 'mm' && o.venueIndex === i && o.side === side && o.status !== 'cancelling');
      const current = idx >= 0 ? orders[idx] : undefined;
      const venue = d.venues[i]!.venue;
      // An order not yet acknowledged is left alone unless it is no longer wanted at all.
      if (current !== undefined && current.status === 'pending' && level !== null) continue;
      if (current !== undefined && !d.venues[i]!.up) continue;
      const live = current === undefined ? null : { side, price: current.price, size: current.remaining, placedAtUs: current.placedUs };
      const decision = models.orderDecision(cfg.strategy, i, level, live, ctx.venues[i]!.book, d.nowUs);
      const model = vq === undefined ? { decision: decision.reason } : quoteModel(vq, decision.reason);
      if ((decision.action === 'cancel' || decision.action === 'replace') && current !== undefined) {
        orders[idx] = { ...current, status: 'cancelling' };
        const reason = decision.action === 'replace' ? 'replace' : vq?.skipReason === 'stale' || vq?.skipReason === 'no-book' || vq?.skipReason === 'disabled' ? 'venue-unhealthy' : 'no-quote';
        emit(d, { type: 'CancelOrder', venue, clientOrderId: current.clientOrderId, reason }, { ...model, price: current.price, remaining: current.remaining });
        cancels += 1;
      }
      if ((decision.action === 'place' || decision.action === 'replace') && level !== null) {
        place(d, orders, { venueIndex: i, side, price: level.price, priceText: level.priceText, size: level.size, sizeText: level.sizeText, model }, 'mm', 'post-only', decision.action === 'replace' ? current?.clientOrderId : undefined);
        quotes += 1;
      }
    }
  }
  d.orders = orders;
  if (cancels > 0 || quotes > 0) bump(d, { cancels, quotes });
}

/** Emits the immediate-or-cancel orders of a hedge or an exit. */
export function placeTakers(d: Draft, intents: readonly Placement[], purpose: 'hedge' | 'exit'): void {
  if (intents.length === 0) return;
  const orders = d.orders.slice();
  for (const t of intents) place(d, orders, t, purpose, 'ioc', undefined);
  d.orders = orders;
  bump(d, purpose === 'hedge' ? { hedges: intents.length } : { exits: intents.length });
}
