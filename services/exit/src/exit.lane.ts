import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, FAIR_VALUE_STATE_TYPE, FUNDING_RATE_TYPE, MARK_PRICE_TYPE, ORDER_EVENT_TYPE, RISK_STATE_TYPE, type TopicSpec, Topics } from '@fleet/contracts';
import { MARKET_GATEWAY } from '@fleet/events';
import { type LaneHandlerContext, type LaneInput } from '@fleet/service';
import { TakerLane, type TakerStrategy } from '@fleet/strategy-lanes';
import { type ExitServiceConfig } from './exit.config';
import { EXIT_SERVICE } from './exit.constants';
import { exitOrders } from './exit-model';

/**
 * The inputs of exit, in canonical order: books, marks and funding rates, fair values, and the
 * feedback edges risk.state and order.event of the previous tick.
 */
export const EXIT_INPUTS: readonly LaneInput[] = [
  { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.mdMark, schema: AVRO_SCHEMAS[MARK_PRICE_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.mdFunding, schema: AVRO_SCHEMAS[FUNDING_RATE_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.fvState, schema: AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE], producers: ['fair-value'] },
  { spec: Topics.riskState, schema: AVRO_SCHEMAS[RISK_STATE_TYPE], producers: ['risk-shield'], delayed: true },
  { spec: Topics.orderEvent, schema: AVRO_SCHEMAS[ORDER_EVENT_TYPE], producers: ['execution-router'], delayed: true },
];

/** The topics exit produces. */
export const EXIT_OUTPUTS: readonly TopicSpec[] = [Topics.strategyIntent];

/** The exit strategy: EXIT intents from the core exit allocator. */
export const EXIT_STRATEGY: TakerStrategy = { service: EXIT_SERVICE, purpose: 'exit', kind: 'EXIT', orders: (ctx, state) => exitOrders(ctx, state) };

/**
 * The exit lane handler: on the runner's timer cadence, with no exit of its own still working
 * and risk not halted, it sends the core exit allocator's IOC orders as EXIT intents.
 *
 * In the runner, exit has priority over hedge in the same step (the hedge runs only when the exit
 * allocator places nothing). In the fleet, exit and hedge decide independently on the same tick
 * and risk-shield arbitrates: it denies a hedge intent when it approves an exit intent of the
 * same instrument in the same tick.
 */
export class ExitHandler extends TakerLane {
  /** Returns the handler for the session of `ctx`. */
  constructor(ctx: LaneHandlerContext<ExitServiceConfig>) {
    super(ctx, EXIT_STRATEGY);
  }
}
