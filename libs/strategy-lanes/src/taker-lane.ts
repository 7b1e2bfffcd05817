import {
  type BookSnapshot,
  decimalString,
  type FairValueState as FairValueStateEvent,
  type FundingRate,
  type IntentKind,
  type MarkPrice,
  type OrderEvent,
  type RiskState as RiskStateEvent,
  STRATEGY_INTENT_TYPE,
  type StrategyIntent,
  Topics,
} from '@fleet/contracts';
import { deriveClientOrderId, deriveIntentId, type ModelContext, modelContextOf, type RunnerConfig, type RunnerState, type Side } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneHandler, type LaneHandlerContext, type LaneOutput, laneRunnerConfig, laneScenario, type LaneSessionConfig, type LaneTick } from '@fleet/service';
import {
  emptyView,
  foldBook,
  foldFairValue,
  foldFunding,
  foldMark,
  foldOrderEvent,
  foldRisk,
  forgetUnconfirmed,
  type InstrumentView,
  isHalted,
  runnerStateOf,
  type WorkingOrder,
} from './taker-view';

/** The purpose of a taker strategy's orders (the runner's OrderPurpose without market making). */
export type TakerPurpose = 'hedge' | 'exit';

/** One order a taker model allocated: venue, side, exact grid price and size, and the figures behind it. */
export interface TakerOrder {
  readonly venueIndex: number;
  readonly side: Side;
  /** The IOC limit price, exact text on the venue's tick grid. */
  readonly priceText: string;
  /** The size, exact text on the venue's size grid. */
  readonly sizeText: string;
  readonly reduceOnly: boolean;
  /** The model's figures for the Why chain (every value finite). */
  readonly modelInputs: Readonly<Record<string, number>>;
}

/** A taker strategy: who produces, what for, and the model that turns a model context into orders. */
export interface TakerStrategy {
  /** The producing service (envelope producer). */
  readonly service: string;
  readonly purpose: TakerPurpose;
  readonly kind: IntentKind;
  /** Returns the orders the model allocates on `ctx`; `state` is the runner state the context was built from. */
  orders(ctx: ModelContext, state: RunnerState): readonly TakerOrder[];
}

/** The snapshot of one lane: its instruments by name, sorted. */
export interface TakerLaneSnapshot {
  readonly instruments: Readonly<Record<string, InstrumentView>>;
}

/** The name of the intents counter (shared with every strategy service, labelled by purpose). */
export const STRATEGY_INTENTS_METRIC = 'fleet_strategy_intents_total';

type IntentsCounter = ReturnType<LaneHandlerContext['metrics']['counter']>;

/** Returns the process counter of strategy intents by purpose, registering it once per registry. */
export function intentsCounter(metrics: LaneHandlerContext['metrics']): IntentsCounter {
  // Several strategy handlers may share one process registry: the first registers the counter.
  const existing = metrics.registry.getSingleMetric(STRATEGY_INTENTS_METRIC) as IntentsCounter | undefined;
  return existing ?? metrics.counter(STRATEGY_INTENTS_METRIC, 'Strategy intents produced, by purpose (mm, hedge, exit).', ['purpose']);
}

/**
 * Returns true when the tick closing at `tickTimeUs` (and opening `tickUs` earlier) contains a
 * timer boundary of the runner: `startUs + k × intervalUs`, k ≥ 1. Ticks tile simulated time,
 * so every boundary is decided on exactly one tick.
 */
export function timerDue(startUs: number, intervalUs: number, tickUs: number, tickTimeUs: number): boolean {
  const k = Math.floor((tickTimeUs - startUs) / intervalUs);
  return k >= 1 && startUs + k * intervalUs > tickTimeUs - tickUs;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The lane handler of a taker strategy (hedge or exit), pure. Each tick folds the lane's books,
 * funding, marks, fair values, risk states and order events into per-instrument views; then, on
 * a tick that crosses a timer boundary, for each instrument with none of its own orders working
 * and a risk state that is not halted, it runs the strategy's model on the runner's model context
 * and emits one IOC intent per allocated order.
 */
export class TakerLane implements LaneHandler<TakerLaneSnapshot> {
  private readonly lanes = new Map<number, Map<string, InstrumentView>>();
  private readonly configs = new Map<string, { readonly config: RunnerConfig; readonly startUs: number }>();
  private readonly intents: IntentsCounter;
  private readonly session: LaneSessionConfig;

  /** Returns the handler of `strategy` for the session of `ctx`; registers the intents counter. */
  constructor(
    ctx: LaneHandlerContext,
    private readonly strategy: TakerStrategy,
  ) {
    this.session = ctx.session;
    this.intents = intentsCounter(ctx.metrics);
  }

  /** Folds the tick's events, then decides on a timer tick; returns the intents in instrument order. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    const lane = this.lane(tick.partition);
    for (const event of tick.events) this.fold(lane, event);
    const outputs: LaneOutput[] = [];
    for (const instrument of [...lane.keys()].sort(byName)) {
      const { config, startUs } = this.config(instrument);
      const view = forgetUnconfirmed(lane.get(instrument)!, tick.tick);
      const decided = timerDue(startUs, config.timerIntervalUs, this.session.tickUs, tick.tickTimeUs) ? this.decide(instrument, config, view, tick) : { view, intents: [] };
      lane.set(instrument, decided.view);
      for (const value of decided.intents) outputs.push({ spec: Topics.strategyIntent, key: instrument, value });
    }
    if (outputs.length > 0) this.intents.inc({ purpose: this.strategy.purpose }, outputs.length);
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name, as plain JSON. */
  exportLane(partition: number): TakerLaneSnapshot {
    const lane = this.lanes.get(partition) ?? new Map<string, InstrumentView>();
    return JSON.parse(JSON.stringify({ instruments: Object.fromEntries([...lane].sort(([a], [b]) => byName(a, b))) })) as TakerLaneSnapshot;
  }

  /** Replaces the lane's instruments with a snapshot. */
  importLane(partition: number, state: TakerLaneSnapshot): void {
    const copy = JSON.parse(JSON.stringify(state)) as TakerLaneSnapshot;
    this.lanes.set(partition, new Map(Object.entries(copy.instruments)));
  }

  /** Forgets the lane. */
  resetLane(partition: number): void {
    this.lanes.delete(partition);
  }

  private lane(partition: number): Map<string, InstrumentView> {
    let lane = this.lanes.get(partition);
    if (lane === undefined) {
      lane = new Map();
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  private config(instrument: string): { readonly config: RunnerConfig; readonly startUs: number } {
    let entry = this.configs.get(instrument);
    if (entry === undefined) {
      entry = { config: laneRunnerConfig(this.session, instrument), startUs: laneScenario(this.session, instrument).sim.startTimeUs };
      this.configs.set(instrument, entry);
    }
    return entry;
  }

  private fold(lane: Map<string, InstrumentView>, event: LaneEvent): void {
    const instrument = (event.value as { readonly instrument: string }).instrument;
    const { config } = this.config(instrument);
    const view = lane.get(instrument) ?? emptyView(config);
    switch (event.topic) {
      case Topics.mdBook.name:
        lane.set(instrument, foldBook(view, config, event.value as BookSnapshot));
        return;
      case Topics.mdFunding.name:
        lane.set(instrument, foldFunding(view, config, event.value as FundingRate));
        return;
      case Topics.mdMark.name:
        lane.set(instrument, foldMark(view, config, event.value as MarkPrice));
        return;
      case Topics.fvState.name:
        lane.set(instrument, foldFairValue(view, event.value as FairValueStateEvent));
        return;
      case Topics.riskState.name:
        lane.set(instrument, foldRisk(view, event.value as RiskStateEvent));
        return;
      case Topics.orderEvent.name:
        lane.set(instrument, foldOrderEvent(view, config, event.value as OrderEvent));
        return;
      default:
        return;
    }
  }

  private decide(instrument: string, config: RunnerConfig, view: InstrumentView, tick: LaneTick): { readonly view: InstrumentView; readonly intents: StrategyIntent[] } {
    if (view.working.length > 0 || isHalted(view)) return { view, intents: [] };
    const state = runnerStateOf(config, view, tick.tickTimeUs);
    const ctx = modelContextOf(state);
    const orders = this.strategy.orders(ctx, state);
    if (orders.length === 0) return { view, intents: [] };
    const { purpose, kind, service } = this.strategy;
    const bucketId = `${instrument}:${purpose}`;
    const causation = [...(view.fv === null ? [] : [view.fv.eventId]), ...view.books.flatMap((b) => (b === null ? [] : [b.eventId]))];
    const labels = { purpose, regime: view.risk?.regime ?? 'NORMAL' };
    let sequence = view.sequence;
    const working: WorkingOrder[] = [];
    const intents = orders.map((order, index) => {
      const venue = config.strategy.venues[order.venueIndex].venueId;
      const intentId = deriveIntentId(config.strategyId, bucketId, tick.tickTimeUs, index);
      const clientOrderId = deriveClientOrderId(intentId, venue);
      const side = order.side === 'buy' ? 'BUY' : 'SELL';
      const price = decimalString(order.priceText);
      const size = decimalString(order.sizeText);
      sequence += 1;
      working.push({ intentId, clientOrderId, venue, side, size, remaining: size, status: 'pending', placedTick: tick.tick });
      return withEnvelope(
        { producer: service, valueType: STRATEGY_INTENT_TYPE, instrument, sequence, eventTimeUs: tick.tickTimeUs, causation, correlationId: view.fv?.correlationId },
        {
          instrument,
          intentId,
          kind,
          action: 'PLACE',
          strategyId: config.strategyId,
          bucketId,
          venue,
          side,
          price,
          size,
          timeInForce: 'IOC',
          reduceOnly: order.reduceOnly,
          guardPrice: price,
          targetClientOrderId: null,
          fairValue: ctx.fv.fairValue,
          modelInputs: order.modelInputs,
          modelLabels: { ...labels, clientOrderId },
        } satisfies Omit<StrategyIntent, 'envelope'>,
      );
    });
    return { view: { ...view, sequence, working }, intents };
  }
}
