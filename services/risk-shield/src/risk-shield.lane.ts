import {
  AVRO_SCHEMAS,
  FAIR_VALUE_STATE_TYPE,
  type FairValueState as FairValueStateEvent,
  ORDER_EVENT_TYPE,
  type OrderEvent,
  RISK_DECISION_TYPE,
  RISK_STATE_TYPE,
  type RiskDecision,
  type RiskState as RiskStateEvent,
  STRATEGY_INTENT_TYPE,
  type StrategyIntent,
  type TopicSpec,
  Topics,
} from '@fleet/contracts';
import { evaluateRisk, initialRiskState, type RiskRegime, type RiskState, type RunnerConfig, portfolioFromRecords, positionRecordsOf, type PositionRecord } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type FleetMetrics } from '@fleet/metrics';
import { type LaneEvent, type LaneHandler, type LaneHandlerContext, type LaneInput, type LaneOutput, type LaneTick, laneRunnerConfig } from '@fleet/service';
import { type Counter, type Gauge } from 'prom-client';
import { decideIntents, type IntentVerdict } from './intent-decisions';
import { bookOrderEvent } from './positions';
import { type RiskShieldConfig } from './risk-shield.config';
import { RISK_SHIELD_SERVICE } from './risk-shield.constants';
import { type FairValueMark, fairValueMark, measureRisk, REGIME_SYMBOL, riskStatePayload } from './risk-measures';

/**
 * The inputs of risk-shield, in the order the tick hands them over: fair value of the tick,
 * our order events of the previous tick (fills feed the positions), and the tick's intents
 * (by producer name: exit, hedge, quoting).
 */
export const RISK_SHIELD_INPUTS: readonly LaneInput[] = [
  { spec: Topics.fvState, schema: AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE], producers: ['fair-value'] },
  { spec: Topics.orderEvent, schema: AVRO_SCHEMAS[ORDER_EVENT_TYPE], producers: ['execution-router'], delayed: true },
  { spec: Topics.strategyIntent, schema: AVRO_SCHEMAS[STRATEGY_INTENT_TYPE], producers: ['exit', 'hedge', 'quoting'] },
];

/** The topics risk-shield produces: per instrument and tick one risk.state, then one risk.decision per intent. */
export const RISK_SHIELD_OUTPUTS: readonly TopicSpec[] = [Topics.riskState, Topics.riskDecision];

/** The risk state of one instrument of a lane, as plain JSON. */
export interface InstrumentRisk {
  /** The sequence of the instrument's last output (risk.state and risk.decision share the counter; 0 before the first). */
  readonly sequence: number;
  /** The core risk state: regime and the latched kill switch with its first reason and time. */
  readonly risk: RiskState;
  /** The exact venue positions booked from our fills. */
  readonly positions: readonly PositionRecord[];
  /** The latest fv.state seen, or null before the first. */
  readonly mark: FairValueMark | null;
}

/** The snapshot of one lane: its instruments by name, sorted. */
export interface RiskShieldLaneState {
  readonly instruments: Readonly<Record<string, InstrumentRisk>>;
}

/** The domain metrics of risk-shield (names from docs/metrics.md). */
export interface RiskShieldMetrics {
  readonly regime: Gauge<'instrument'>;
  readonly killSwitch: Gauge<'instrument'>;
  readonly decisions: Counter<'decision' | 'reason'>;
}

/** Returns the risk-shield metrics registered on `metrics`. */
export function riskShieldMetrics(metrics: FleetMetrics): RiskShieldMetrics {
  return {
    regime: metrics.gauge('fleet_risk_regime', 'Risk regime: 0 normal, 1 cautious, 2 halted.', ['instrument']),
    killSwitch: metrics.gauge('fleet_kill_switch', '1 while the kill switch is latched for the instrument, else 0.', ['instrument']),
    decisions: metrics.counter('fleet_risk_decisions_total', 'Intents decided; decision is approved or denied.', ['decision', 'reason']),
  };
}

/** The gauge value of each regime. */
const REGIME_LEVEL: Readonly<Record<RiskRegime, number>> = { Normal: 0, Warning: 1, HardLimit: 2 };

/** The inputs of one instrument in one tick, in tick order. */
interface InstrumentInputs {
  fv: FairValueStateEvent | null;
  readonly orderEvents: OrderEvent[];
  readonly intents: StrategyIntent[];
}

/** Returns the tick's events grouped by instrument: the last fv.state, the order events and the intents. */
function groupByInstrument(events: readonly LaneEvent[]): Map<string, InstrumentInputs> {
  const out = new Map<string, InstrumentInputs>();
  const of = (instrument: string): InstrumentInputs => {
    let inputs = out.get(instrument);
    if (!inputs) {
      inputs = { fv: null, orderEvents: [], intents: [] };
      out.set(instrument, inputs);
    }
    return inputs;
  };
  for (const event of events) {
    if (event.topic === Topics.fvState.name) {
      const fv = event.value as FairValueStateEvent;
      of(fv.instrument).fv = fv;
    } else if (event.topic === Topics.orderEvent.name) {
      const order = event.value as OrderEvent;
      of(order.instrument).orderEvents.push(order);
    } else if (event.topic === Topics.strategyIntent.name) {
      const intent = event.value as StrategyIntent;
      of(intent.instrument).intents.push(intent);
    }
  }
  return out;
}

const NO_INPUTS: InstrumentInputs = { fv: null, orderEvents: [], intents: [] };

function initialInstrumentRisk(): InstrumentRisk {
  return { sequence: 0, risk: initialRiskState(), positions: [], mark: null };
}

function byName<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * risk-shield's lane handler, the final authority on every intent. Per tick and instrument
 * (instruments in name order): books the fills of the previous tick's order events into exact
 * venue positions, marks them with the latest fv.state, evaluates the core risk regime and
 * latching kill switch as the runner does (the first breach is kept until an operator reset),
 * emits one risk.state, then one risk.decision per intent in canonical order (exit, hedge,
 * quoting; see `decideIntents`), caused by the intent and that risk.state.
 */
export class RiskShieldHandler implements LaneHandler<RiskShieldLaneState> {
  private readonly lanes = new Map<number, Map<string, InstrumentRisk>>();
  private readonly configs = new Map<string, RunnerConfig>();
  private readonly metrics: RiskShieldMetrics;

  /** Returns the handler for the session of `ctx`, reporting to its metrics. */
  constructor(private readonly ctx: LaneHandlerContext<RiskShieldConfig>) {
    this.metrics = riskShieldMetrics(ctx.metrics);
  }

  /** Folds one tick of one lane; returns per instrument its risk.state followed by its decisions. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    let lane = this.lanes.get(tick.partition);
    if (!lane) {
      lane = new Map();
      this.lanes.set(tick.partition, lane);
    }
    const inputs = groupByInstrument(tick.events);
    const instruments = [...new Set([...lane.keys(), ...inputs.keys()])].sort();
    const outputs: LaneOutput[] = [];
    for (const instrument of instruments) {
      const result = this.instrumentTick(instrument, lane.get(instrument) ?? initialInstrumentRisk(), inputs.get(instrument) ?? NO_INPUTS, tick.tickTimeUs);
      lane.set(instrument, result.state);
      outputs.push(...result.outputs);
    }
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name. */
  exportLane(partition: number): RiskShieldLaneState {
    const lane = this.lanes.get(partition) ?? new Map<string, InstrumentRisk>();
    return { instruments: Object.fromEntries([...lane].sort(byName)) };
  }

  /** Replaces the lane's instruments with a snapshot. */
  importLane(partition: number, state: RiskShieldLaneState): void {
    this.lanes.set(partition, new Map(Object.entries(state.instruments)));
  }

  /** Forgets the lane. */
  resetLane(partition: number): void {
    this.lanes.delete(partition);
  }

  private configOf(instrument: string): RunnerConfig {
    let config = this.configs.get(instrument);
    if (!config) {
      config = laneRunnerConfig(this.ctx.session, instrument);
      this.configs.set(instrument, config);
    }
    return config;
  }

  private instrumentTick(instrument: string, prior: InstrumentRisk, inputs: InstrumentInputs, nowUs: number): { state: InstrumentRisk; outputs: LaneOutput[] } {
    const config = this.configOf(instrument);
    const venues = config.strategy.venues.map((v) => v.venueId);
    let portfolio = portfolioFromRecords(config.currency, instrument, prior.positions);
    const fills: string[] = [];
    for (const event of inputs.orderEvents) {
      const next = bookOrderEvent(portfolio, event, venues);
      if (next !== portfolio) fills.push(event.envelope.eventId);
      portfolio = next;
    }
    const mark = inputs.fv === null ? prior.mark : fairValueMark(inputs.fv);
    const measures = measureRisk(portfolio, mark);
    const risk = evaluateRisk(config.strategy.risk, prior.risk, measures.inputs, nowUs).state;
    let sequence = prior.sequence + 1;
    const stateEvent: RiskStateEvent = withEnvelope(
      {
        producer: RISK_SHIELD_SERVICE,
        valueType: RISK_STATE_TYPE,
        instrument,
        sequence,
        eventTimeUs: nowUs,
        causation: mark === null ? fills : [mark.eventId, ...fills],
        correlationId: mark?.correlationId,
      },
      riskStatePayload(instrument, config.strategy.risk, risk, measures),
    );
    const verdicts = decideIntents({ strategy: config.strategy, risk, netQuantity: measures.netQuantity, fairValue: mark?.fairValue ?? null, fairValueAvailable: mark?.available ?? false }, inputs.intents);
    const decisions = verdicts.map((verdict) => {
      sequence += 1;
      return this.decision(instrument, sequence, nowUs, verdict, risk, stateEvent.envelope.eventId);
    });
    this.metrics.regime.set({ instrument }, REGIME_LEVEL[risk.regime]);
    this.metrics.killSwitch.set({ instrument }, risk.killSwitch ? 1 : 0);
    return {
      state: { sequence, risk, positions: positionRecordsOf(portfolio), mark },
      outputs: [{ spec: Topics.riskState, key: instrument, value: stateEvent }, ...decisions.map((value) => ({ spec: Topics.riskDecision, key: instrument, value }))],
    };
  }

  private decision(instrument: string, sequence: number, nowUs: number, verdict: IntentVerdict, risk: RiskState, stateEventId: string): RiskDecision {
    const { intent, outcome, reason } = verdict;
    this.metrics.decisions.inc({ decision: outcome === 'APPROVED' ? 'approved' : 'denied', reason: reason ?? 'none' });
    return withEnvelope(
      {
        producer: RISK_SHIELD_SERVICE,
        valueType: RISK_DECISION_TYPE,
        instrument,
        sequence,
        eventTimeUs: nowUs,
        causation: [intent.envelope.eventId, stateEventId],
        correlationId: intent.envelope.correlationId,
      },
      { instrument, intentId: intent.intentId, outcome, reason, regime: REGIME_SYMBOL[risk.regime], intent },
    );
  }
}
