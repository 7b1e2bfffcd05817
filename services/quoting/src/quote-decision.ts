import { decimalString, type RiskRegime as RiskRegimeEvent, type Side as SideEvent, type StrategyIntent } from '@fleet/contracts';
import { type CancelOrderAction, deriveClientOrderId, deriveId, deriveIntentId, type FairValueState, findPosition, fleetModels, initialFairValueState, modelContextOf, type PlaceOrderAction, type Portfolio, type RunnerConfig, type RunnerState, type Side, type StrategyConfig, type StrategyModels, type VenueQuote, type VenueView, type Why, portfolioFromRecords } from '@fleet/core';
// manageQuotes and its Draft are internal to the core runner; quoting runs them as they are.
import { type Draft, manageQuotes } from '@fleet/core';
import { QUOTING_PURPOSE } from './quoting.constants';
import { type FairValueSeen, type InstrumentQuoting, type QuoteOrder, type RiskSeen } from './quoting-state';

/** A strategy.intent before its envelope. */
export type IntentBody = Omit<StrategyIntent, 'envelope'>;

/** What one quoting pass decides for an instrument: the intents in order, the orders after them and the next order sequence. */
export interface QuoteDecision {
  readonly intents: readonly IntentBody[];
  readonly orders: readonly QuoteOrder[];
  readonly orderSeq: number;
}

/** Returns the capital bucket of quoting's intents on `instrument` (the runner's `instrument:purpose`, which its client order ids derive from). */
export function quotingBucketId(instrument: string): string {
  return `${instrument}:${QUOTING_PURPOSE}`;
}

/** Returns true when the latest risk.state forbids new quotes: kill switch latched or HARD_LIMIT regime. */
export function isQuotingHalted(risk: RiskSeen | null): boolean {
  return risk !== null && (risk.killSwitch || risk.regime === 'HARD_LIMIT');
}

/**
 * Returns the core fair-value state the quote model reads, from the latest fv.state (the
 * initial state before one): fair value, variance, availability, the healthy venue mask and
 * the volatilities. The volatility anchor is the fair-value service's own and stays unset; no
 * quoting model reads it.
 */
export function fairValueStateOf(cfg: StrategyConfig, seen: FairValueSeen | null): FairValueState {
  const initial = initialFairValueState(cfg);
  if (seen === null) return initial;
  let mask = 0;
  cfg.venues.forEach((v, i) => {
    if (seen.healthyVenues.includes(v.venueId)) mask |= 1 << i;
  });
  return {
    ...initial,
    fairValue: seen.fairValue,
    variance: seen.variance ?? initial.variance,
    lastStepUs: seen.eventTimeUs,
    fvAvailable: seen.fvAvailable,
    healthyVenueMask: mask,
    healthyVenueCount: seen.healthyVenues.length,
    varShort: seen.sigmaShort * seen.sigmaShort,
    varLong: seen.sigmaLong * seen.sigmaLong,
    sigmaShort: seen.sigmaShort,
    sigmaLong: seen.sigmaLong,
    sigmaEff: seen.sigmaEff,
  };
}

/** Returns the runner's view of one venue from the exact portfolio: position, average entry and booked PnL (realised − fees + funding). */
export function venueViewOf(portfolio: Portfolio, instrument: string, venue: string): VenueView {
  const p = findPosition(portfolio, venue, instrument);
  const view = { venue, up: true, markPrice: null, indexPrice: null, fundingRate: 0, positionQty: 0, avgEntryPrice: 0, bookedPnl: 0 };
  if (p === undefined) return view;
  const qty = p.netQuantity.toNumber();
  return { ...view, positionQty: qty, avgEntryPrice: qty === 0 ? 0 : p.costBasis.value.div(p.netQuantity.value).toNumber(), bookedPnl: p.realisedPnl.minus(p.fees).plus(p.funding).toNumber() };
}

/**
 * Returns the runner state quoting decides from at `nowUs` while not halted: the latest books,
 * the fair value of the latest fv.state, the risk regime (NORMAL or WARNING) and operator pause
 * of the latest risk.state, the exact positions and quoting's working orders. Venues are up
 * (venue health reaches quoting as book validity and age) and funding is 0 (quoting does not
 * consume md.funding).
 */
export function runnerStateOf(config: RunnerConfig, state: InstrumentQuoting, nowUs: number): RunnerState {
  const portfolio = portfolioFromRecords(config.currency, config.instrument, state.positions);
  return {
    config,
    nowUs,
    steps: state.ticks,
    orderSeq: state.orderSeq,
    books: state.books.map((b) => (b === null ? null : b.top)),
    venues: config.strategy.venues.map((v) => venueViewOf(portfolio, config.instrument, v.venueId)),
    fv: fairValueStateOf(config.strategy, state.fv),
    risk: { regime: state.risk?.regime === 'WARNING' ? 'Warning' : 'Normal', killSwitch: false, killReason: 'None', killedAtUs: null },
    operatorKill: false,
    killReason: 'None',
    killedAtUs: null,
    quotingPaused: state.risk?.paused ?? false,
    portfolio,
    orders: state.orders,
    stats: { quotes: 0, cancels: 0, fills: 0, makerFills: 0, takerFills: 0, hedges: 0, exits: 0, rejects: 0 },
  };
}

function sideOf(side: Side): SideEvent {
  return side === 'buy' ? 'BUY' : 'SELL';
}

function finiteEntries(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)));
}

/** Returns the numeric Why of an intent: the quote model's inputs and terms on its venue, the volatility and the inventory. */
export function intentModelInputs(why: Why, quote: VenueQuote | undefined, fv: FairValueSeen | null): Record<string, number> {
  const m = quote?.model ?? null;
  return finiteEntries({
    inventory: why.inventory,
    sigmaEff: why.sigmaEff,
    ...(fv !== null && { sigmaShort: fv.sigmaShort, sigmaLong: fv.sigmaLong, spreadVolScalar: fv.spreadVolScalar, sizeVolScalar: fv.sizeVolScalar }),
    ...(fv?.variance != null && { fairValueVariance: fv.variance }),
    ...(m !== null && {
      reservationPrice: m.r,
      halfSpread: m.delta,
      asHalfSpread: m.deltaStar,
      basis: m.basis,
      funding: m.funding,
      gamma: m.gamma,
      k: m.k,
      tauSec: m.tau,
      venueInventory: m.qVenue,
      venueInventoryTarget: m.qTarget,
      inventoryDeviation: m.inventoryDeviation,
      dollarDeltaUsd: m.dollarDeltaUsd,
    }),
  });
}

/** Returns the categorical Why of an intent: purpose, regime, the order manager's decision and the venues fair value used. */
function intentModelLabels(why: Why, regime: RiskRegimeEvent, quote: VenueQuote | undefined, fv: FairValueSeen | null, extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    purpose: QUOTING_PURPOSE,
    regime,
    decision: String(why.model.decision),
    healthyVenues: fv === null ? '' : fv.healthyVenues.join(','),
    ...(quote?.skipReason != null && { skipReason: quote.skipReason }),
    ...extra,
  };
}

/**
 * Runs one quoting pass for an instrument at `nowUs`: the runner's own quote model
 * (`fleetModels.quotes`) and order management (`manageQuotes`: keep, cancel or replace each side
 * of each venue, minimum quote life, price and size tolerance, strict passivity) on the state
 * from {@link runnerStateOf}. Returns nothing new while halted. Each PlaceOrder becomes a PLACE
 * intent whose intent id is the one the runner derived its client order id from; each
 * CancelOrder becomes a CANCEL intent naming its target.
 */
export function decideQuotes(config: RunnerConfig, state: InstrumentQuoting, nowUs: number): QuoteDecision {
  if (isQuotingHalted(state.risk)) return { intents: [], orders: state.orders, orderSeq: state.orderSeq };
  const base = runnerStateOf(config, state, nowUs);
  let wanted: readonly VenueQuote[] = [];
  const models: StrategyModels = { ...fleetModels, quotes: (ctx) => (wanted = fleetModels.quotes(ctx)) };
  const d: Draft = {
    nowUs,
    orderSeq: base.orderSeq,
    books: base.books,
    venues: base.venues,
    fv: base.fv,
    risk: base.risk,
    operatorKill: false,
    killReason: 'None',
    killedAtUs: null,
    quotingPaused: base.quotingPaused,
    portfolio: base.portfolio,
    orders: base.orders,
    stats: base.stats,
    actions: [],
    cause: { type: 'tick', eventTimeUs: nowUs },
    base,
    fvDirty: false,
    inventoryChanged: false,
  };
  manageQuotes(d, models, modelContextOf(base));

  const regime = state.risk?.regime ?? 'NORMAL';
  const bucketId = quotingBucketId(config.instrument);
  const prior = new Map(state.orders.map((o) => [o.clientOrderId, o] as const));
  const placed = new Map<string, { readonly intentId: string; readonly action: PlaceOrderAction }>();
  const intents: IntentBody[] = [];
  const quoteOn = (venue: string): VenueQuote | undefined => wanted.find((q) => q.venueId === venue);
  const common = { instrument: config.instrument, kind: 'MM' as const, strategyId: config.strategyId, bucketId, timeInForce: 'POST_ONLY' as const, reduceOnly: false, guardPrice: null };
  for (const action of d.actions) {
    if (action.type === 'PlaceOrder') {
      const intentId = deriveIntentId(config.strategyId, bucketId, nowUs, base.orderSeq + placed.size);
      if (deriveClientOrderId(intentId, action.venue) !== action.clientOrderId) {
        throw new Error(`quoting: client order id ${action.clientOrderId} is not derived from intent ${intentId} on ${action.venue}`);
      }
      placed.set(action.clientOrderId, { intentId, action });
      const quote = quoteOn(action.venue);
      intents.push({
        ...common,
        intentId,
        action: 'PLACE',
        venue: action.venue,
        side: sideOf(action.side),
        price: decimalString(action.price),
        size: decimalString(action.size),
        targetClientOrderId: null,
        fairValue: action.why.fairValue,
        modelInputs: intentModelInputs(action.why, quote, state.fv),
        modelLabels: intentModelLabels(action.why, regime, quote, state.fv, { clientOrderId: action.clientOrderId, ...(action.replaces !== undefined && { replaces: action.replaces }) }),
      });
    } else if (action.type === 'CancelOrder') {
      intents.push(cancelIntent(config, common, action, prior.get(action.clientOrderId)!, nowUs, quoteOn(action.venue), regime, state.fv));
    }
  }
  const orders = d.orders.map((o): QuoteOrder => {
    const before = prior.get(o.clientOrderId);
    if (before !== undefined) return before.status === o.status ? before : { ...before, status: o.status };
    const p = placed.get(o.clientOrderId)!;
    return { ...o, intentId: p.intentId, priceText: p.action.price, remainingText: p.action.size, reported: false };
  });
  return { intents, orders, orderSeq: d.orderSeq };
}

function cancelIntent(
  config: RunnerConfig,
  common: Pick<IntentBody, 'instrument' | 'kind' | 'strategyId' | 'bucketId' | 'timeInForce' | 'reduceOnly' | 'guardPrice'>,
  action: CancelOrderAction,
  target: QuoteOrder,
  nowUs: number,
  quote: VenueQuote | undefined,
  regime: RiskRegimeEvent,
  fv: FairValueSeen | null,
): IntentBody {
  // A resting order is cancelled at most once, so its client order id makes the cancel's id unique.
  const intentId = deriveId('order-intent-cancel', [config.strategyId, common.bucketId, nowUs, action.clientOrderId]);
  return {
    ...common,
    intentId,
    action: 'CANCEL',
    venue: action.venue,
    side: sideOf(target.side),
    price: decimalString(target.priceText),
    size: decimalString(target.remainingText),
    targetClientOrderId: action.clientOrderId,
    fairValue: action.why.fairValue,
    modelInputs: intentModelInputs(action.why, quote, fv),
    modelLabels: intentModelLabels(action.why, regime, quote, fv, { reason: action.reason }),
  };
}

/** One side of one venue and the distance of quoting's resting quote there from fair value, in basis points (null when there is none). */
export interface QuoteSpread {
  readonly venue: string;
  readonly side: 'bid' | 'ask';
  readonly bps: number | null;
}

/** Returns, per venue and side, how far the resting (pending or live) quote is from fair value: (S − bid)/S and (ask − S)/S, in basis points. */
export function quoteSpreadsBps(config: RunnerConfig, state: InstrumentQuoting): readonly QuoteSpread[] {
  const S = state.fv?.fairValue ?? null;
  const out: QuoteSpread[] = [];
  config.strategy.venues.forEach((v, i) => {
    for (const side of ['buy', 'sell'] as const) {
      const order = state.orders.find((o) => o.venueIndex === i && o.side === side && o.status !== 'cancelling');
      const bps = S === null || !(S > 0) || order === undefined ? null : ((side === 'buy' ? S - order.price : order.price - S) / S) * 1e4;
      out.push({ venue: v.venueId, side: side === 'buy' ? 'bid' : 'ask', bps });
    }
  });
  return out;
}
