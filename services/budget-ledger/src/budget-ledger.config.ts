import { toDecimal } from '@fleet/core';
import {
  type Environment,
  EnvReader,
  type LaneSessionConfig,
  laneRunnerConfig,
  laneScenario,
  readLaneSessionConfig,
  readServiceConfig,
  type ServiceConfig,
} from '@fleet/service';
import { BUDGET_LEDGER_SERVICE } from './budget-ledger.constants';
import { type BudgetSettings, venueCapital } from './instrument-budgets';

/** The configuration of budget-ledger. */
export interface BudgetLedgerConfig {
  readonly service: ServiceConfig;
  readonly session: LaneSessionConfig;
  readonly budget: BudgetSettings;
}

/** FLEET_BUDGET_USD unless set: 150,000 per venue with two venues, 100,000 with three. */
export const DEFAULT_BUDGET_USD = '300000';

/** FLEET_BUDGET_MAX_ORDER_FRACTION unless set. */
export const DEFAULT_MAX_ORDER_FRACTION = '0.5';

/** FLEET_BUDGET_MAX_ORDERS_PER_SEC unless set (the default session peaks near 11 orders per venue per second). */
export const DEFAULT_MAX_ORDERS_PER_SEC = 20;

/** FLEET_BUDGET_MAX_OPEN_ORDERS unless set. */
export const DEFAULT_MAX_OPEN_ORDERS = 20;

const MAX_BUDGET_USD = '1000000000000';
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

/** Reads a plain non-negative decimal setting; records a problem and returns undefined when it is not one or `valid` refuses it. */
function readDecimal(reader: EnvReader, setting: string, defaultValue: string, rule: string, valid: (text: string) => boolean): string | undefined {
  const raw = reader.raw(setting);
  const text = raw ?? defaultValue;
  if (!PLAIN_DECIMAL.test(text) || !valid(text)) {
    reader.fail(setting, raw, rule);
    return undefined;
  }
  return text;
}

/**
 * Reports FLEET_BUDGET_USD when a venue budget of a session instrument cannot hold the largest
 * order its strategy may send: the venues' largest maxOrderSize at the scenario's initial price
 * must fit under capital × FLEET_BUDGET_MAX_ORDER_FRACTION.
 */
function checkOrderFits(reader: EnvReader, session: LaneSessionConfig, settings: BudgetSettings): void {
  for (const instrument of session.instruments) {
    const venues = laneRunnerConfig(session, instrument).strategy.venues;
    const price = laneScenario(session, instrument).sim.initialPrice;
    const size = Math.max(...venues.map((v) => v.maxOrderSize));
    const largest = toDecimal(String(size)).times(String(price));
    const capital = venueCapital(settings.perInstrumentUsd, venues.length);
    const cap = capital.times(settings.maxOrderFraction);
    if (cap.lt(largest)) {
      reader.report(
        'FLEET_BUDGET_USD',
        reader.raw('FLEET_BUDGET_USD'),
        `FLEET_BUDGET_USD is too small for ${instrument}: each of its ${venues.length} venue budgets gets ${capital.toFixed()} and may reserve at most ${cap.toFixed()} for one order (FLEET_BUDGET_MAX_ORDER_FRACTION ${settings.maxOrderFraction}), below the largest order its strategy may send (${size} at the initial price ${price}, ${largest.toFixed()}), received ${settings.perInstrumentUsd}`,
      );
    }
  }
}

/**
 * Reads the configuration: the common and session settings, then FLEET_BUDGET_USD (the capital
 * of each instrument in the settings currency, split equally over its venues' buckets; positive,
 * at most two decimals), FLEET_BUDGET_MAX_ORDER_FRACTION (in (0, 1]), FLEET_BUDGET_MAX_ORDERS_PER_SEC
 * and FLEET_BUDGET_MAX_OPEN_ORDERS (per venue budget). When they all parse, every session
 * instrument's largest order must fit a venue budget. Throws a ConfigurationError naming every bad setting.
 */
export function readBudgetLedgerConfig(env: Environment): BudgetLedgerConfig {
  const reader = new EnvReader(env);
  const service = readServiceConfig(BUDGET_LEDGER_SERVICE, reader);
  const before = reader.problems().length;
  const session = readLaneSessionConfig(reader);
  const perInstrumentUsd = readDecimal(
    reader,
    'FLEET_BUDGET_USD',
    DEFAULT_BUDGET_USD,
    `a positive amount with at most two decimals, up to ${MAX_BUDGET_USD}`,
    (t) => toDecimal(t).gt(0) && toDecimal(t).lte(MAX_BUDGET_USD) && (t.split('.')[1]?.length ?? 0) <= 2,
  );
  const maxOrderFraction = readDecimal(reader, 'FLEET_BUDGET_MAX_ORDER_FRACTION', DEFAULT_MAX_ORDER_FRACTION, 'a decimal fraction above 0 and at most 1', (t) => toDecimal(t).gt(0) && toDecimal(t).lte(1));
  const maxOrdersPerSecond = reader.integer('FLEET_BUDGET_MAX_ORDERS_PER_SEC', { default: DEFAULT_MAX_ORDERS_PER_SEC, min: 1, max: 100_000 });
  const maxOpenOrders = reader.integer('FLEET_BUDGET_MAX_OPEN_ORDERS', { default: DEFAULT_MAX_OPEN_ORDERS, min: 1, max: 100_000 });
  const budget: BudgetSettings = { perInstrumentUsd: perInstrumentUsd ?? DEFAULT_BUDGET_USD, maxOrderFraction: maxOrderFraction ?? DEFAULT_MAX_ORDER_FRACTION, maxOrdersPerSecond, maxOpenOrders };
  // The order sizes can only be checked against a session and budget settings that parsed.
  if (reader.problems().length === before) checkOrderFits(reader, session, budget);
  reader.done();
  return { service, session, budget };
}
