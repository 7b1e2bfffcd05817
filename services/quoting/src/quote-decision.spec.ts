import { initialFairValueState } from '@fleet/core';
import { laneRunnerConfig } from '@fleet/service';
import { fairValueStateOf, isQuotingHalted, runnerStateOf } from './quote-decision';
import { type FairValueSeen, initialInstrumentQuoting } from './quoting-state';
import { testSession } from './testing/quoting-ticks';

const config = laneRunnerConfig(testSession({ venueCount: 3 }), 'ETH-PERP');
const T0 = 1_767_225_600_000_000;

const seen: FairValueSeen = {
  eventId: 'fv-1',
  correlationId: 'book-1',
  eventTimeUs: T0,
  fvAvailable: true,
  fairValue: 3001.5,
  variance: 0.004,
  healthyVenues: ['venue-a', 'venue-c'],
  sigmaShort: 0.0002,
  sigmaLong: 0.0001,
  sigmaEff: 0.0002,
  spreadVolScalar: 1.2,
  sizeVolScalar: 0.9,
};

describe('quote decision inputs', () => {
  it('rebuilds the core fair-value state from the latest fv.state', () => {
    expect(fairValueStateOf(config.strategy, null)).toEqual(initialFairValueState(config.strategy));
    const fv = fairValueStateOf(config.strategy, seen);
    expect(fv).toMatchObject({ fairValue: 3001.5, variance: 0.004, lastStepUs: T0, fvAvailable: true, healthyVenueMask: 0b101, healthyVenueCount: 2, sigmaShort: 0.0002, sigmaLong: 0.0001, sigmaEff: 0.0002 });
    expect(fv.varShort).toBeCloseTo(0.0002 ** 2, 15);
    expect(fairValueStateOf(config.strategy, { ...seen, fairValue: null, variance: null, fvAvailable: false }).variance).toBe(initialFairValueState(config.strategy).variance);
  });

  it('halts on a latched kill switch or the HARD_LIMIT regime only', () => {
    expect(isQuotingHalted(null)).toBe(false);
    expect(isQuotingHalted({ regime: 'WARNING', killSwitch: false, paused: true })).toBe(false);
    expect(isQuotingHalted({ regime: 'HARD_LIMIT', killSwitch: false, paused: false })).toBe(true);
    expect(isQuotingHalted({ regime: 'HARD_LIMIT', killSwitch: true, paused: false })).toBe(true);
  });

  it('gives the runner the exact positions, the regime and the pause', () => {
    const state = {
      ...initialInstrumentQuoting(config),
      fv: seen,
      risk: { regime: 'WARNING' as const, killSwitch: false, paused: true },
      positions: [{ venue: 'venue-b', netQuantity: '-1.5', costBasis: '-4503', realisedPnl: '2', fees: '0.25', funding: '-0.5', updatedAtUs: T0 }],
    };
    const runner = runnerStateOf(config, state, T0 + 250_000);
    expect(runner.nowUs).toBe(T0 + 250_000);
    expect(runner.risk).toEqual({ regime: 'Warning', killSwitch: false, killReason: 'None', killedAtUs: null });
    expect(runner.quotingPaused).toBe(true);
    expect(runner.venues.map((v) => [v.venue, v.positionQty, v.avgEntryPrice, v.bookedPnl])).toEqual([
      ['venue-a', 0, 0, 0],
      ['venue-b', -1.5, 3002, 1.25],
      ['venue-c', 0, 0, 0],
    ]);
  });
});
