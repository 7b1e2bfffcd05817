import {
  allocateBucket,
  type AllocationPolicy,
  applyAllocationPlan,
  type BucketRegistry,
  type BucketSnapshot,
  type BudgetDelta as CoreBudgetDelta,
  type BudgetLedger,
  type BudgetPolicy,
  createBucketRegistry,
  createBudgetLedger,
  createCapitalBucket,
  deriveId,
  digestOf,
  type ExactDecimal,
  Money,
  type PortfolioIntent,
  registerBucket,
  roundToIncrement,
  type RunnerConfig,
  snapshotBuckets,
  toDecimal,
} from '@fleet/core';

/** The budget settings of the service (FLEET_BUDGET_* variables). */
export interface BudgetSettings {
  /** FLEET_BUDGET_USD: the capital of each instrument, decimal text in the settlement currency, split equally over its venues. */
  readonly perInstrumentUsd: string;
  /** FLEET_BUDGET_MAX_ORDER_FRACTION: the largest share of a venue budget one order may reserve, in (0, 1]. */
  readonly maxOrderFraction: string;
  /** FLEET_BUDGET_MAX_ORDERS_PER_SEC: reservations per venue budget per second of simulated time. */
  readonly maxOrdersPerSecond: number;
  /** FLEET_BUDGET_MAX_OPEN_ORDERS: orders that may hold a reservation on one venue budget at once. */
  readonly maxOpenOrders: number;
}

/** The smallest unit of capital allocated: one cent. */
export const CAPITAL_QUANTUM = '0.01';

/** The rate window of reservations: one second. */
export const RATE_WINDOW_US = 1_000_000;

/** Each venue bucket's whole capital goes to its one configured strategy, to the cent. */
const ALLOCATION_POLICY: AllocationPolicy = { mode: 'equal_split', reserveRatio: '0', minAllocation: '0', allowSkip: false, quantum: CAPITAL_QUANTUM };

/** How the strategy of a bucket is chosen in a session: the session configuration names it; no selection runs. */
const SESSION_SELECTION = { rule: 'session-configured-strategy' };

/** Returns the id of the bucket of `strategyId`'s capital for `instrument` on `venue`. */
export function venueBucketId(strategyId: string, instrument: string, venue: string): string {
  return `${strategyId}:${instrument}:${venue}`;
}

/** Returns the capital of each of `venueCount` venue buckets: `perInstrumentUsd` split equally, floored to the cent. */
export function venueCapital(perInstrumentUsd: string, venueCount: number): ExactDecimal {
  return roundToIncrement(toDecimal(perInstrumentUsd, 'perInstrumentUsd').div(venueCount), CAPITAL_QUANTUM, 'floor');
}

/** Returns the core budget policy of the settings (one-second rate windows). */
export function budgetPolicy(settings: BudgetSettings): BudgetPolicy {
  return { maxOrderFraction: settings.maxOrderFraction, maxOrdersPerWindow: settings.maxOrdersPerSecond, rateWindowUs: RATE_WINDOW_US, maxOpenOrders: settings.maxOpenOrders };
}

/**
 * Returns the portfolio intent of a session: every bucket of the snapshot ranks the configured
 * strategy alone, first. Its grant digest covers the runner configuration that names it, so a
 * different strategy configuration gives different plan and budget ids.
 */
function configuredIntent(snapshot: BucketSnapshot, config: RunnerConfig): PortfolioIntent {
  const grant = digestOf({ strategyId: config.strategyId, instrument: config.instrument, strategy: config.strategy });
  const buckets = snapshot.buckets.map(({ bucket }) => ({
    bucketId: bucket.bucketId,
    strategies: [{ strategyId: config.strategyId, priority: 1, eligibilityDigest: grant, metricsDigest: grant, alphaScore: '1' }],
  }));
  const body = { snapshotId: snapshot.snapshotId, snapshotDigest: snapshot.digest, policyDigest: digestOf(SESSION_SELECTION), buckets, rejections: [] };
  const withId = { intentId: deriveId('portfolio-intent', [digestOf(body)], 32), ...body };
  return { ...withId, digest: digestOf(withId) };
}

/** The execution budgets of one instrument before any order: the ledger and the ALLOCATE deltas that built it. */
export interface InstrumentBudgets {
  readonly ledger: BudgetLedger;
  /** One allocation per venue budget, in venue order. */
  readonly allocations: readonly CoreBudgetDelta[];
}

/**
 * Returns the execution budgets of an instrument: one venue-isolated bucket per venue of the
 * runner configuration (capital = FLEET_BUDGET_USD split equally, to the cent), registered,
 * snapshotted at `atUs`, allocated wholly to the configured strategy and applied to a ledger
 * with the settings' policy. A function of the configuration only, so every replay builds the
 * same budget ids.
 */
export function instrumentBudgets(config: RunnerConfig, settings: BudgetSettings, atUs: number): InstrumentBudgets {
  const capital = Money.create(venueCapital(settings.perInstrumentUsd, config.strategy.venues.length), config.currency);
  const buckets = config.strategy.venues.map((venue) =>
    createCapitalBucket({
      bucketId: venueBucketId(config.strategyId, config.instrument, venue.venueId),
      venue: venue.venueId,
      capital,
      riskClass: 'moderate',
      constraints: { maxConcurrentStrategies: 1, maxFractionPerStrategy: '1' },
    }),
  );
  let registry: BucketRegistry = createBucketRegistry();
  for (const bucket of buckets) {
    const registered = registerBucket(registry, bucket);
    if (!registered.ok) throw new RangeError(`venue ${bucket.venue} appears twice in the venues of ${config.instrument}`);
    registry = registered.registry;
  }
  const intent = configuredIntent(snapshotBuckets(registry, atUs), config);
  let ledger = createBudgetLedger(budgetPolicy(settings));
  const allocations: CoreBudgetDelta[] = [];
  for (const bucket of buckets) {
    const applied = applyAllocationPlan(ledger, allocateBucket(bucket, intent, ALLOCATION_POLICY), atUs);
    ledger = applied.ledger;
    allocations.push(...applied.deltas);
  }
  return { ledger, allocations };
}
