import { ConfigurationError } from '@fleet/service';
import { readBudgetLedgerConfig } from './budget-ledger.config';

const stack = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', REDIS_URL: 'redis://127.0.0.1:6379' };

function issuesOf(env: Record<string, string>) {
  try {
    readBudgetLedgerConfig({ ...stack, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('budget-ledger configuration', () => {
  it('defaults to the default session with a finite budget that fits its largest order on two or three venues', () => {
    const config = readBudgetLedgerConfig(stack);
    expect(config.service.service).toBe('budget-ledger');
    expect(config.session.instruments).toEqual(['ETH-PERP']);
    expect(config.budget).toEqual({ perInstrumentUsd: '300000', maxOrderFraction: '0.5', maxOrdersPerSecond: 20, maxOpenOrders: 20 });
    expect(readBudgetLedgerConfig({ ...stack, FLEET_VENUE_COUNT: '3' }).budget.perInstrumentUsd).toBe('300000');
  });

  it('takes every budget setting from the environment', () => {
    const config = readBudgetLedgerConfig({ ...stack, FLEET_BUDGET_USD: '1000000.5', FLEET_BUDGET_MAX_ORDER_FRACTION: '0.25', FLEET_BUDGET_MAX_ORDERS_PER_SEC: '50', FLEET_BUDGET_MAX_OPEN_ORDERS: '8' });
    expect(config.budget).toEqual({ perInstrumentUsd: '1000000.5', maxOrderFraction: '0.25', maxOrdersPerSecond: 50, maxOpenOrders: 8 });
  });

  it('names every malformed budget setting and what was received', () => {
    const issues = issuesOf({ FLEET_BUDGET_USD: '-5', FLEET_BUDGET_MAX_ORDER_FRACTION: '1.5', FLEET_BUDGET_MAX_ORDERS_PER_SEC: '0', FLEET_BUDGET_MAX_OPEN_ORDERS: 'many' });
    expect(issues.map((i) => [i.setting, i.received])).toEqual([
      ['FLEET_BUDGET_USD', '-5'],
      ['FLEET_BUDGET_MAX_ORDER_FRACTION', '1.5'],
      ['FLEET_BUDGET_MAX_ORDERS_PER_SEC', '0'],
      ['FLEET_BUDGET_MAX_OPEN_ORDERS', 'many'],
    ]);
    expect(issues[0]!.message).toBe('FLEET_BUDGET_USD must be a positive amount with at most two decimals, up to 1000000000000, received "-5"');
    expect(issuesOf({ FLEET_BUDGET_USD: '100.125' }).map((i) => i.setting)).toEqual(['FLEET_BUDGET_USD']);
    expect(issuesOf({ FLEET_BUDGET_USD: '0' }).map((i) => i.setting)).toEqual(['FLEET_BUDGET_USD']);
  });

  it('refuses a budget whose venue share cannot hold the largest order the strategy may send', () => {
    const [issue] = issuesOf({ FLEET_BUDGET_USD: '100000', FLEET_VENUE_COUNT: '3' });
    expect(issue!.setting).toBe('FLEET_BUDGET_USD');
    expect(issue!.received).toBe('100000');
    expect(issue!.message).toBe(
      'FLEET_BUDGET_USD is too small for ETH-PERP: each of its 3 venue budgets gets 33333.33 and may reserve at most 16666.665 for one order (FLEET_BUDGET_MAX_ORDER_FRACTION 0.5), below the largest order its strategy may send (10 at the initial price 3000, 30000), received 100000',
    );
    expect(readBudgetLedgerConfig({ ...stack, FLEET_BUDGET_USD: '100000', FLEET_VENUE_COUNT: '3', FLEET_BUDGET_MAX_ORDER_FRACTION: '1' }).budget.perInstrumentUsd).toBe('100000');
  });
});
