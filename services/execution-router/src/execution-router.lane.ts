import {
  AVRO_SCHEMAS,
  BOOK_SNAPSHOT_TYPE,
  type BookSnapshot,
  type CatalogueTopic,
  ORDER_COMMAND_TYPE,
  type OrderCommand,
  type OrderEvent as OrderEventRecord,
  RISK_STATE_TYPE,
  type RiskState,
  Topics,
  type Trade,
  TRADE_TYPE,
  ORDER_REJECT_REASON_VALUES,
} from '@fleet/contracts';
import { type SimVenueSpec } from '@fleet/core';
import { MARKET_GATEWAY } from '@fleet/events';
import { type LaneHandler, type LaneHandlerContext, type LaneInput, type LaneOutput, type LaneTick, laneRunnerConfig, laneScenario } from '@fleet/service';
import { type Counter, type Gauge } from 'prom-client';
import { type ExecutionRouterConfig } from './execution-router.config';
import { EXECUTION_ROUTER_STATE_VERSION } from './execution-router.constants';
import { type InstrumentTickInputs, type MarketInput, PaperOrderRouter, type PaperRouterState } from './paper-order-router';

/** The inputs of execution-router: market data, the risk state and the order commands of the same tick. */
export const EXECUTION_ROUTER_INPUTS: readonly LaneInput[] = [
  { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.mdTrade, schema: AVRO_SCHEMAS[TRADE_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.riskState, schema: AVRO_SCHEMAS[RISK_STATE_TYPE], producers: ['risk-shield'] },
  { spec: Topics.orderCommand, schema: AVRO_SCHEMAS[ORDER_COMMAND_TYPE], producers: ['budget-ledger'] },
];

/** The outputs of execution-router. */
export const EXECUTION_ROUTER_OUTPUTS: readonly CatalogueTopic[] = [Topics.orderEvent];

/** The snapshot of one lane: the paper routing state of each of its instruments, sorted by name. */
export interface ExecutionRouterLaneState {
  readonly version: number;
  readonly instruments: readonly PaperRouterState[];
}

interface MutableInputs {
  readonly market: MarketInput[];
  readonly risk: RiskState[];
  readonly commands: OrderCommand[];
}

/**
 * execution-router on lanes, with the paper exchange: per lane and instrument a
 * PaperOrderRouter (the core PaperExchange on the instrument's session venues, every order on
 * the core order machine) turns the tick's market data, risk state and order commands into
 * order.event records. Reports fleet_open_orders, fleet_fills_total and
 * fleet_order_rejections_total.
 */
export class ExecutionRouterHandler implements LaneHandler<ExecutionRouterLaneState> {
  private readonly lanes = new Map<number, Map<string, PaperOrderRouter>>();
  private readonly venueSpecs = new Map<string, readonly SimVenueSpec[]>();
  private readonly reportedVenues = new Set<string>();
  private readonly openOrders: Gauge<'venue'>;
  private readonly fills: Counter<'venue' | 'liquidity'>;
  private readonly rejections: Counter<'venue' | 'reason'>;

  /** Returns the handler of `ctx`, registering its metrics on `ctx.metrics`. */
  constructor(private readonly ctx: LaneHandlerContext<ExecutionRouterConfig>) {
    this.openOrders = ctx.metrics.gauge('fleet_open_orders', 'Orders resting on a venue.', ['venue']);
    this.fills = ctx.metrics.counter('fleet_fills_total', 'Fills; liquidity is maker or taker.', ['venue', 'liquidity']);
    this.rejections = ctx.metrics.counter('fleet_order_rejections_total', 'Orders the venue rejected.', ['venue', 'reason']);
    // Every venue and reason exists from the start at 0, so a rate over it is defined before the first rejection.
    const venues = new Set(ctx.session.instruments.flatMap((i) => laneScenario(ctx.session, i).sim.venues.map((v) => v.venue)));
    for (const venue of [...venues].sort()) for (const reason of ORDER_REJECT_REASON_VALUES) this.rejections.inc({ venue, reason }, 0);
  }

  /** Returns the order.event records of the tick: per instrument (sorted by name), in the order they happened. */
  onTick(tick: LaneTick): readonly LaneOutput[] {
    const lane = this.lane(tick.partition);
    const inputs = new Map<string, MutableInputs>();
    const of = (instrument: string): MutableInputs => {
      let found = inputs.get(instrument);
      if (found === undefined) {
        found = { market: [], risk: [], commands: [] };
        inputs.set(instrument, found);
      }
      return found;
    };
    for (const e of tick.events) {
      if (e.topic === Topics.mdBook.name) of((e.value as BookSnapshot).instrument).market.push({ kind: 'book', book: e.value as BookSnapshot });
      else if (e.topic === Topics.mdTrade.name) of((e.value as Trade).instrument).market.push({ kind: 'trade', trade: e.value as Trade });
      else if (e.topic === Topics.riskState.name) of((e.value as RiskState).instrument).risk.push(e.value as RiskState);
      else if (e.topic === Topics.orderCommand.name) of((e.value as OrderCommand).instrument).commands.push(e.value as OrderCommand);
    }
    const names = [...new Set([...lane.keys(), ...inputs.keys()])].sort();
    const outputs: LaneOutput[] = [];
    const none: InstrumentTickInputs = { market: [], risk: [], commands: [] };
    for (const name of names) {
      let router = lane.get(name);
      if (router === undefined) {
        router = PaperOrderRouter.create(name, this.venues(name), this.feeCurrency(name));
        lane.set(name, router);
      }
      for (const record of router.onTick(tick.tickTimeUs, inputs.get(name) ?? none)) {
        this.count(record);
        outputs.push({ spec: Topics.orderEvent, key: name, value: record });
      }
    }
    this.reportOpenOrders();
    return outputs;
  }

  /** Returns the lane's instruments, sorted by name. */
  exportLane(partition: number): ExecutionRouterLaneState {
    const lane = this.lanes.get(partition) ?? new Map<string, PaperOrderRouter>();
    return {
      version: EXECUTION_ROUTER_STATE_VERSION,
      instruments: [...lane.keys()].sort().map((name) => lane.get(name)!.toState()),
    };
  }

  /** Replaces the lane's instruments with `state`; throws on a snapshot of another version. */
  importLane(partition: number, state: ExecutionRouterLaneState): void {
    if (state.version !== EXECUTION_ROUTER_STATE_VERSION) throw new RangeError(`execution-router lane snapshot version ${state.version} is not ${EXECUTION_ROUTER_STATE_VERSION}`);
    const lane = new Map<string, PaperOrderRouter>();
    for (const s of state.instruments) lane.set(s.instrument, PaperOrderRouter.fromState(s, this.venues(s.instrument), this.feeCurrency(s.instrument)));
    this.lanes.set(partition, lane);
    this.reportOpenOrders();
  }

  /** Forgets every instrument of the lane. */
  resetLane(partition: number): void {
    this.lanes.delete(partition);
    this.reportOpenOrders();
  }

  private lane(partition: number): Map<string, PaperOrderRouter> {
    let lane = this.lanes.get(partition);
    if (lane === undefined) {
      lane = new Map();
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  private venues(instrument: string): readonly SimVenueSpec[] {
    let specs = this.venueSpecs.get(instrument);
    if (specs === undefined) {
      specs = laneScenario(this.ctx.session, instrument).sim.venues;
      this.venueSpecs.set(instrument, specs);
    }
    return specs;
  }

  private feeCurrency(instrument: string): string {
    return laneRunnerConfig(this.ctx.session, instrument).currency;
  }

  private count(record: OrderEventRecord): void {
    if (record.fill !== null) this.fills.inc({ venue: record.venue, liquidity: record.fill.liquidity === 'MAKER' ? 'maker' : 'taker' });
    if (record.reject !== null) this.rejections.inc({ venue: record.venue, reason: record.reject.reason });
  }

  /** Sets fleet_open_orders of every venue seen: the orders resting on it over every lane and instrument of this process. */
  private reportOpenOrders(): void {
    const counts = new Map<string, number>([...this.reportedVenues].map((v) => [v, 0]));
    for (const lane of this.lanes.values()) {
      for (const router of lane.values()) for (const venue of router.venues()) counts.set(venue, (counts.get(venue) ?? 0) + router.restingCount(venue));
    }
    for (const [venue, n] of counts) {
      this.reportedVenues.add(venue);
      this.openOrders.set({ venue }, n);
    }
  }
}
