import { laneRunnerConfig, type LaneSessionConfig } from '@fleet/service';
import { findBudgetFor, PRESET_START_US } from '@fleet/core';
import { instrumentBudgets, venueBucketId, venueCapital } from './instrument-budgets';

const session: LaneSessionConfig = { scenario: 'calm-then-volatile', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 3, instruments: ['ETH-PERP', 'BTC-PERP'] };
const settings = { perInstrumentUsd: '100000', maxOrderFraction: '0.5', maxOrdersPerSecond: 20, maxOpenOrders: 20 };

describe('instrument execution budgets', () => {
  it('splits the instrument capital equally over the venues, floored to the cent', () => {
    expect(venueCapital('100000', 3).toFixed()).toBe('33333.33');
    expect(venueCapital('300000', 2).toFixed()).toBe('150000');
  });

  it('gives the configured strategy one budget per venue bucket, with its policy', () => {
    const config = laneRunnerConfig(session, 'BTC-PERP');
    const { ledger, allocations } = instrumentBudgets(config, settings, PRESET_START_US);
    expect(ledger.policy).toEqual({ maxOrderFraction: '0.5', maxOrdersPerWindow: 20, rateWindowUs: 1_000_000, maxOpenOrders: 20 });
    expect(ledger.budgets.map((b) => [b.bucketId, b.strategyId, b.allocated.toString(), b.reserved.amountText(), b.committed.amountText()]).sort()).toEqual(
      config.strategy.venues.map((v) => [venueBucketId(config.strategyId, 'BTC-PERP', v.venueId), config.strategyId, '33333.33 USDT', '0', '0']).sort(),
    );
    expect(allocations.map((a) => [a.kind, a.amount.amountText(), a.budgetId])).toEqual(
      config.strategy.venues.map((v) => ['allocate', '33333.33', findBudgetFor(ledger, config.strategyId, venueBucketId(config.strategyId, 'BTC-PERP', v.venueId))!.budgetId]),
    );
  });

  it('derives the same budget ids from the same configuration, and other ids for another instrument or setting', () => {
    const ids = (instrument: string, s = settings) => instrumentBudgets(laneRunnerConfig(session, instrument), s, PRESET_START_US).ledger.budgets.map((b) => b.budgetId);
    expect(ids('ETH-PERP')).toEqual(ids('ETH-PERP'));
    expect(ids('ETH-PERP')).not.toEqual(ids('BTC-PERP'));
    expect(ids('ETH-PERP')).not.toEqual(ids('ETH-PERP', { ...settings, perInstrumentUsd: '200000' }));
  });
});
