import { stepFairValue } from '../fair-value';
import { type FillEvent } from '../sim/exchange-events';
import { type Action, type ActionCause } from './actions';
import { type RunnerEvent } from './runner-events';
import { type RunnerState } from './runner-state';
import { applyEvent } from './step-apply';
import { evaluate, manageQuotes, placeTakers } from './step-decide';
import { type Draft, snapshots } from './step-draft';
import { fleetModels, type ModelContext, type StrategyModels } from './strategy-models';

/** What one step returns: the next state and the actions to carry out, in order. */
export interface StepResult {
  readonly state: RunnerState;
  readonly actions: readonly Action[];
}

/**
 * Returns the next state and the actions for one event. Pure: the same state and event give
 * the same result, and the input state is never changed.
 *
 * The pipeline: apply the event (book, marks, funding, our order events and fills, operator
 * commands) → fair value (on books and timer ticks) → risk (a new breach latches the kill
 * switch and emits SetKillSwitch and CancelAll; nothing new is placed while halted) → quoting
 * per venue with order management (on books, fills and timer ticks) → exit, then hedge if no
 * exit was needed (on timer ticks).
 */
export function step(state: RunnerState, event: RunnerEvent, models: StrategyModels = fleetModels): StepResult {
  const d: Draft = {
    nowUs: Math.max(state.nowUs, event.eventTimeUs),
    orderSeq: state.orderSeq,
    books: state.books,
    venues: state.venues,
    fv: state.fv,
    risk: state.risk,
    operatorKill: state.operatorKill,
    killReason: state.killReason,
    killedAtUs: state.killedAtUs,
    quotingPaused: state.quotingPaused,
    portfolio: state.portfolio,
    orders: state.orders,
    stats: state.stats,
    actions: [],
    cause: causeOf(event),
    base: state,
    fvDirty: false,
    inventoryChanged: false,
  };
  applyEvent(d, event);
  if (d.fvDirty || event.type === 'timer') d.fv = stepFairValue(state.config.strategy, d.fv, d.books, d.nowUs);
  const ctx = (): ModelContext => ({ cfg: state.config.strategy, fv: d.fv, risk: d.risk, venues: snapshots(d), nowUs: d.nowUs });
  let snap: ModelContext | undefined;
  if (d.fvDirty || d.inventoryChanged || event.type === 'timer') {
    snap = ctx();
    evaluate(d, snap);
  }
  const halted = d.operatorKill || d.risk.killSwitch || d.risk.regime === 'HardLimit';
  if (!halted) {
    if (event.type === 'book' || event.type === 'venue-status' || event.type === 'timer' || d.inventoryChanged) {
      snap = snap !== undefined && snap.risk === d.risk ? snap : ctx();
      manageQuotes(d, models, snap);
    }
    if (event.type === 'timer' && !d.orders.some((o) => o.purpose !== 'mm')) {
      snap = snap !== undefined && snap.risk === d.risk ? snap : ctx();
      const exit = models.exit(snap);
      if (exit.orders.length > 0) {
        placeTakers(
          d,
          exit.orders.map((o) => ({ venueIndex: o.venueIndex, side: o.side, priceText: o.limitPriceText, price: o.limitPrice, sizeText: o.sizeText, size: o.size, model: { qGlobal: exit.qGlobal, entryPrice: exit.entryPrice, netEdgePerUnit: o.netEdgePerUnit, score: o.score } })),
          'exit',
        );
      } else {
        const hedge = models.hedge(snap);
        placeTakers(
          d,
          hedge.orders.map((o) => ({ venueIndex: o.venueIndex, side: o.side, priceText: o.limitPriceText, price: o.limitPrice, sizeText: o.sizeText, size: o.size, model: { qGlobal: hedge.qGlobal, band: hedge.band, desiredStep: hedge.desiredStep, costPerUnit: o.costPerUnit } })),
          'hedge',
        );
      }
    }
  }
  const next: RunnerState = {
    config: state.config,
    nowUs: d.nowUs,
    steps: state.steps + 1,
    orderSeq: d.orderSeq,
    books: d.books,
    venues: d.venues,
    fv: d.fv,
    risk: d.risk,
    operatorKill: d.operatorKill,
    killReason: d.killReason,
    killedAtUs: d.killedAtUs,
    quotingPaused: d.quotingPaused,
    portfolio: d.portfolio,
    orders: d.orders,
    stats: d.stats,
  };
  return { state: next, actions: d.actions };
}

/** Returns the model context of a state: what the quoting, hedge and exit models see (for tests and telemetry). */
export function modelContextOf(state: RunnerState): ModelContext {
  const d = { base: state, venues: state.venues, books: state.books } as unknown as Draft;
  return { cfg: state.config.strategy, fv: state.fv, risk: state.risk, venues: snapshots(d), nowUs: state.nowUs };
}

function causeOf(event: RunnerEvent): ActionCause {
  if ('venue' in event) {
    const sequence = 'sequence' in event ? event.sequence : undefined;
    return { type: event.type, venue: event.venue, sequence, eventTimeUs: event.eventTimeUs };
  }
  return { type: event.type, eventTimeUs: event.eventTimeUs };
}

/** Returns true when `event` is a fill (for callers that chain fills into a digest). */
export function isFill(event: RunnerEvent): event is FillEvent {
  return event.type === 'fill';
}
