import {
  AVRO_SCHEMAS,
  type CatalogueTopic,
  FUNDING_RATE_TYPE,
  type FundingRate,
  MARK_PRICE_TYPE,
  type MarkPrice,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  RISK_DECISION_TYPE,
  type RiskDecision,
  Topics,
} from '@fleet/contracts';
import { MARKET_GATEWAY } from '@fleet/events';
import { type LaneHandler, type LaneHandlerContext, type LaneInput, type LaneOutput, laneRunnerConfig, laneScenario, type LaneTick } from '@fleet/service';
import { type BudgetLedgerConfig } from './budget-ledger.config';
import { type InstrumentBudgets, instrumentBudgets } from './instrument-budgets';
import { type InstrumentBook, type InstrumentContext, type InstrumentInputs, openInstrument, stepInstrument } from './instrument-ledger';
import { LedgerMetrics } from './ledger-metrics';
import { decodeState, encodeState, type JsonValue } from './state-codec';

/** The producer of risk.decision. */
export const RISK_SHIELD = 'risk-shield';

/** The producer of order.event. */
export const EXECUTION_ROUTER = 'execution-router';

/**
 * The inputs of budget-ledger, in the order a tick hands them over: the risk decisions of the
 * tick, the order events of the previous tick (a feedback edge), then the marks and funding
 * rates of the tick.
 */
export const BUDGET_LEDGER_INPUTS: readonly LaneInput[] = [
  { spec: Topics.riskDecision, schema: AVRO_SCHEMAS[RISK_DECISION_TYPE], producers: [RISK_SHIELD] },
  { spec: Topics.orderEvent, schema: AVRO_SCHEMAS[ORDER_EVENT_TYPE], producers: [EXECUTION_ROUTER], delayed: true },
  { spec: Topics.mdMark, schema: AVRO_SCHEMAS[MARK_PRICE_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.mdFunding, schema: AVRO_SCHEMAS[FUNDING_RATE_TYPE], producers: [MARKET_GATEWAY] },
];

/** The outputs of budget-ledger. */
export const BUDGET_LEDGER_OUTPUTS: readonly CatalogueTopic[] = [Topics.budgetDelta, Topics.orderCommand, Topics.positionState];

/** The snapshot of one lane: each instrument's book (encoded by state-codec), by name, sorted. */
export interface BudgetLedgerLaneState {
  readonly instruments: Readonly<Record<string, JsonValue>>;
}

interface MutableInputs {
  decisions: RiskDecision[];
  orderEvents: OrderEvent[];
  marks: MarkPrice[];
  funding: FundingRate[];
}

/** Returns a tick's events grouped by instrument, each input kept in canonical order. */
function inputsByInstrument(tick: LaneTick): Map<string, InstrumentInputs> {
  const byInstrument = new Map<string, MutableInputs>();
  const of = (instrument: string): MutableInputs => {
    let inputs = byInstrument.get(instrument);
    if (inputs === undefined) {
      inputs = { decisions: [], orderEvents: [], marks: [], funding: [] };
      byInstrument.set(instrument, inputs);
    }
    return inputs;
  };
  for (const event of tick.events) {
    switch (event.topic) {
      case Topics.riskDecision.name: {
        const value = event.value as RiskDecision;
        of(value.instrument).decisions.push(value);
        break;
      }
      case Topics.orderEvent.name: {
        const value = event.value as OrderEvent;
        of(value.instrument).orderEvents.push(value);
        break;
      }
      case Topics.mdMark.name: {
        const value = event.value as MarkPrice;
        of(value.instrument).marks.push(value);
        break;
      }
      case Topics.mdFunding.name: {
        const value = event.value as FundingRate;
        of(value.instrument).funding.push(value);
        break;
      }
      default:
        break;
    }
  }
  return byInstrument;
}

/**
 * budget-ledger on lanes: the second hard gate and the ledger of positions. Every instrument has
 * one execution budget per venue (FLEET_BUDGET_USD split equally), built from the session's
 * runner configuration the first time the lane sees the instrument (ALLOCATE deltas). Per tick
 * and instrument (instruments by name): order events of the previous tick commit and release
 * capital and book fills; marks and funding update and settle the positions; approved decisions
 * reserve (RESERVE) before their PLACE command, or leave as CANCEL commands; a refused
 * reservation is a DENIED delta (no command) and is counted; then the changed venue positions
 * are published.
 */
export class BudgetLedgerHandler implements LaneHandler<BudgetLedgerLaneState> {
  private readonly lanes = new Map<number, Map<string, InstrumentBook>>();
  private readonly setups = new Map<string, { readonly ctx: InstrumentContext; readonly budgets: InstrumentBudgets }>();
  private readonly metrics: LedgerMetrics;

  /** Returns the handler of `ctx`, registering its metrics on `ctx.metrics`. */
  constructor(private readonly ctx: LaneHandlerContext<BudgetLedgerConfig>) {
    this.metrics = new LedgerMetrics(ctx.metrics);
  }

  /** Returns the tick's outputs: per instrument (by name), its budget deltas, order commands and position states, in causal order. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    const lane = this.lane(tick.partition);
    const outputs: LaneOutput[] = [];
    const grouped = inputsByInstrument(tick);
    for (const instrument of [...grouped.keys()].sort()) {
      const setup = this.setup(instrument);
      let book = lane.get(instrument);
      if (book === undefined) {
        const opened = openInstrument(setup.ctx, setup.budgets, tick.tickTimeUs);
        book = opened.book;
        outputs.push(...opened.outputs);
      }
      const step = stepInstrument(setup.ctx, book, grouped.get(instrument)!, tick.tickTimeUs);
      lane.set(instrument, step.book);
      outputs.push(...step.outputs);
      for (const refusal of step.refusals) this.metrics.refused(refusal);
      this.metrics.observe(step.book);
    }
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name, as plain JSON. */
  exportLane(partition: number): BudgetLedgerLaneState {
    const lane = this.lanes.get(partition) ?? new Map<string, InstrumentBook>();
    const instruments: Record<string, JsonValue> = {};
    for (const name of [...lane.keys()].sort()) instruments[name] = encodeState(lane.get(name), name);
    return { instruments };
  }

  /** Replaces the lane's instruments with `state`. */
  importLane(partition: number, state: BudgetLedgerLaneState): void {
    const lane = new Map<string, InstrumentBook>();
    for (const [name, encoded] of Object.entries(state.instruments)) lane.set(name, decodeState(encoded) as InstrumentBook);
    this.lanes.set(partition, lane);
  }

  /** Forgets every instrument of the lane. */
  resetLane(partition: number): void {
    this.lanes.delete(partition);
  }

  private lane(partition: number): Map<string, InstrumentBook> {
    let lane = this.lanes.get(partition);
    if (lane === undefined) {
      lane = new Map();
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  /** Returns the configuration-derived part of an instrument: its runner configuration and its initial budgets (built once). */
  private setup(instrument: string): { readonly ctx: InstrumentContext; readonly budgets: InstrumentBudgets } {
    let setup = this.setups.get(instrument);
    if (setup === undefined) {
      const { session, config } = this.ctx;
      const runner = laneRunnerConfig(session, instrument);
      const startUs = laneScenario(session, instrument).sim.startTimeUs;
      setup = { ctx: { config: runner, producer: this.ctx.service }, budgets: instrumentBudgets(runner, config.budget, startUs) };
      this.setups.set(instrument, setup);
    }
    return setup;
  }
}
