import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, FAIR_VALUE_STATE_TYPE, FUNDING_RATE_TYPE, ORDER_EVENT_TYPE, RISK_STATE_TYPE, type TopicSpec, Topics } from '@fleet/contracts';
import { MARKET_GATEWAY } from '@fleet/events';
import { type LaneHandlerContext, type LaneInput } from '@fleet/service';
import { TakerLane, type TakerStrategy } from '@fleet/strategy-lanes';
import { type HedgeServiceConfig } from './hedge.config';
import { HEDGE_SERVICE } from './hedge.constants';
import { hedgeOrders } from './hedge-model';

/**
 * The inputs of hedge, in canonical order: books and funding rates (the hedge cost model reads
 * both), fair values, and the feedback edges risk.state and order.event of the previous tick.
 */
export const HEDGE_INPUTS: readonly LaneInput[] = [
  { spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.mdFunding, schema: AVRO_SCHEMAS[FUNDING_RATE_TYPE], producers: [MARKET_GATEWAY] },
  { spec: Topics.fvState, schema: AVRO_SCHEMAS[FAIR_VALUE_STATE_TYPE], producers: ['fair-value'] },
  { spec: Topics.riskState, schema: AVRO_SCHEMAS[RISK_STATE_TYPE], producers: ['risk-shield'], delayed: true },
  { spec: Topics.orderEvent, schema: AVRO_SCHEMAS[ORDER_EVENT_TYPE], producers: ['execution-router'], delayed: true },
];

/** The topics hedge produces. */
export const HEDGE_OUTPUTS: readonly TopicSpec[] = [Topics.strategyIntent];

/** The hedge strategy: HEDGE intents from the core hedge allocator. */
export const HEDGE_STRATEGY: TakerStrategy = { service: HEDGE_SERVICE, purpose: 'hedge', kind: 'HEDGE', orders: (ctx) => hedgeOrders(ctx) };

/**
 * The hedge lane handler: on the runner's timer cadence, with no hedge of its own still working
 * and risk not halted, it sends the core hedge allocator's IOC orders as HEDGE intents.
 *
 * In the runner, exit has priority over hedge in the same step (the hedge runs only when the exit
 * allocator places nothing). In the fleet, hedge and exit decide independently on the same tick
 * and risk-shield arbitrates: it denies a hedge intent when it approves an exit intent of the
 * same instrument in the same tick.
 */
export class HedgeHandler extends TakerLane {
  /** Returns the handler for the session of `ctx`. */
  constructor(ctx: LaneHandlerContext<HedgeServiceConfig>) {
    super(ctx, HEDGE_STRATEGY);
  }
}
