import { intentsCounter } from '@fleet/strategy-lanes';
import {
  AVRO_SCHEMAS,
  BOOK_SNAPSHOT_TYPE,
  type BookSnapshot,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState as FairValueStateEvent,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  RISK_STATE_TYPE,
  type RiskState as RiskStateEvent,
  STRATEGY_INTENT_TYPE,
  type StrategyIntent,
  Topics,
  type TopicSpec,
} from '@fleet/contracts';
import { type RunnerConfig } from '@fleet/core';
import { MARKET_GATEWAY, withEnvelope } from '@fleet/events';
import { type LaneEvent, type LaneHandler, type LaneHandlerContext, type LaneInput, type LaneOutput, laneRunnerConfig, type LaneTick } from '@fleet/service';
import { type Gauge } from 'prom-client';
import { decideQuotes, quoteSpreadsBps } from './quote-decision';
import { type QuotingServiceConfig } from './quoting.config';
import { EXECUTION_ROUTER_PRODUCER, FAIR_VALUE_PRODUCER, QUOTING_SERVICE, RISK_SHIELD_PRODUCER } from './quoting.constants';
import { dropUnreported, foldBook, foldFairValue, foldOrder, foldRisk, initialInstrumentQuoting, type InstrumentQuoting, type QuotingLaneState } from './quoting-state';

/** The inputs of quoting, in the order a tick hands them over: books and fair value of the tick, then risk and order events of the tick before. */
export const QUOTING_INPUTS: readonly LaneInput[] = [
  { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.fvState, schema: AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE], producers: [FAIR_VALUE_PRODUCER] },
  { spec: Topics.riskState, schema: AVRO_SCHEMAS[RISK_STATE_TYPE], producers: [RISK_SHIELD_PRODUCER], delayed: true },
  { spec: Topics.orderEvent, schema: AVRO_SCHEMAS[ORDER_EVENT_TYPE], producers: [EXECUTION_ROUTER_PRODUCER], delayed: true },
];

/** The topics quoting writes. */
export const QUOTING_OUTPUTS: readonly TopicSpec[] = [Topics.strategyIntent];

/** Returns the fleet_quote_spread_bps gauge (docs/metrics.md) registered on the handler's metrics. */
function quoteSpreadGauge(ctx: LaneHandlerContext<QuotingServiceConfig>): Gauge<'instrument' | 'venue' | 'side'> {
  return ctx.metrics.gauge('fleet_quote_spread_bps', 'Distance of the resting quote from fair value in basis points; side is bid or ask.', ['instrument', 'venue', 'side']);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The market-making quoting of every instrument of a lane. Per tick it folds the books, the
 * latest fv.state, the latest risk.state and the order events (fills into the strategy's exact
 * positions, acks, fills, cancels and rejects into its own working orders); then, per instrument
 * in name order, it runs the runner's quote model and order management and emits the PLACE and
 * CANCEL strategy.intents, caused by the fv.state and the books the quotes came from.
 */
export class QuotingHandler implements LaneHandler<QuotingLaneState> {
  private readonly lanes = new Map<number, Map<string, InstrumentQuoting>>();
  private readonly configs = new Map<string, RunnerConfig>();
  private readonly spreadGauge: Gauge<'instrument' | 'venue' | 'side'>;
  private readonly intents: ReturnType<typeof intentsCounter>;

  /** Returns the handler of the session in `ctx`, reporting to its metrics. */
  constructor(private readonly ctx: LaneHandlerContext<QuotingServiceConfig>) {
    this.spreadGauge = quoteSpreadGauge(ctx);
    this.intents = intentsCounter(ctx.metrics);
    this.intents.inc({ purpose: 'mm' }, 0);
  }

  /** Folds one tick of one lane and returns its strategy.intents, per instrument in name order. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    const lane = this.lane(tick.partition);
    for (const event of tick.events) this.fold(lane, event);
    const outputs: LaneOutput[] = [];
    for (const instrument of [...lane.keys()].sort(byName)) {
      const config = this.config(instrument);
      const before = lane.get(instrument)!;
      const state = { ...before, orders: dropUnreported(before.orders), ticks: before.ticks + 1 };
      const decision = decideQuotes(config, state, tick.tickTimeUs);
      const causation = [...(state.fv === null ? [] : [state.fv.eventId]), ...state.books.flatMap((b) => (b === null ? [] : [b.eventId]))];
      let sequence = state.sequence;
      for (const body of decision.intents) {
        sequence += 1;
        const value: StrategyIntent = withEnvelope(
          { producer: QUOTING_SERVICE, valueType: STRATEGY_INTENT_TYPE, instrument, sequence, eventTimeUs: tick.tickTimeUs, causation, correlationId: state.fv?.correlationId },
          body,
        );
        outputs.push({ spec: Topics.strategyIntent, key: instrument, value });
        this.intents.inc({ purpose: 'mm' });
      }
      const next: InstrumentQuoting = { ...state, sequence, orders: decision.orders, orderSeq: decision.orderSeq };
      lane.set(instrument, next);
      this.report(config, next);
    }
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name, as plain JSON. */
  exportLane(partition: number): QuotingLaneState {
    const lane = this.lanes.get(partition) ?? new Map<string, InstrumentQuoting>();
    const instruments = Object.fromEntries([...lane].sort(([a], [b]) => byName(a, b)));
    return JSON.parse(JSON.stringify({ instruments })) as QuotingLaneState;
  }

  /** Replaces the lane's state with a snapshot. */
  importLane(partition: number, state: QuotingLaneState): void {
    const copy = JSON.parse(JSON.stringify(state)) as QuotingLaneState;
    this.lanes.set(partition, new Map(Object.entries(copy.instruments)));
  }

  /** Forgets the lane. */
  resetLane(partition: number): void {
    this.lanes.delete(partition);
  }

  private lane(partition: number): Map<string, InstrumentQuoting> {
    let lane = this.lanes.get(partition);
    if (lane === undefined) {
      lane = new Map();
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  private config(instrument: string): RunnerConfig {
    let config = this.configs.get(instrument);
    if (config === undefined) {
      config = laneRunnerConfig(this.ctx.session, instrument);
      this.configs.set(instrument, config);
    }
    return config;
  }

  private fold(lane: Map<string, InstrumentQuoting>, event: LaneEvent): void {
    const instrument = (event.value as { readonly instrument: string }).instrument;
    const config = this.config(instrument);
    const state = lane.get(instrument) ?? initialInstrumentQuoting(config);
    switch (event.topic) {
      case Topics.mdBook.name:
        lane.set(instrument, foldBook(config, state, event.value as BookSnapshot));
        return;
      case Topics.fvState.name:
        lane.set(instrument, foldFairValue(state, event.value as FairValueStateEvent));
        return;
      case Topics.riskState.name:
        lane.set(instrument, foldRisk(state, event.value as RiskStateEvent));
        return;
      case Topics.orderEvent.name:
        lane.set(instrument, foldOrder(config, state, event.value as OrderEvent));
        return;
    }
  }

  private report(config: RunnerConfig, state: InstrumentQuoting): void {
    for (const s of quoteSpreadsBps(config, state)) {
      const labels = { instrument: config.instrument, venue: s.venue, side: s.side };
      if (s.bps === null) this.spreadGauge.remove(labels);
      else this.spreadGauge.set(labels, s.bps);
    }
  }
}
