import { type OrderEvent } from '@fleet/contracts';
import { basisExposureUsd, createPortfolio, evaluateRisk, initialRiskState, initialRunnerState, markToMarketPnl, modelContextOf, type Portfolio, type RunnerState, stateInventory, step, portfolioFromRecords, positionRecordsOf } from '@fleet/core';
import { bookEvent, fillEvent as runnerFill, fixtureRunnerConfig, T0 } from '@fleet/core/testing';
import { bookOrderEvent } from './positions';
import { type FairValueMark, fairValueMark, limitUsages, measureRisk, riskStatePayload } from './risk-measures';
import { fillEvent, fvState, type SpecFill } from './testing/lane-events';

const VENUES = ['venue-a', 'venue-b', 'venue-c'];

function book(fills: readonly SpecFill[], portfolio: Portfolio = createPortfolio('USDT')): Portfolio {
  return fills.reduce((p, f, i) => bookOrderEvent(p, fillEvent('ETH-PERP', 0, i + 1, f), VENUES), portfolio);
}

function mark(fairValue: number | null, venues: FairValueMark['venues']): FairValueMark {
  return { eventId: 'e', correlationId: 'c', available: fairValue !== null, fairValue, venues };
}

describe('positions', () => {
  it('books fills exactly with fees and survives the JSON form', () => {
    const portfolio = book([
      { venue: 'venue-a', side: 'BUY', quantity: '2', price: '3000', fee: '1.2' },
      { venue: 'venue-a', side: 'SELL', quantity: '1', price: '3010', fee: '0.6' },
      { venue: 'venue-b', side: 'SELL', quantity: '0.35', price: '3005.25', fee: '-0.01' },
    ]);
    const records = positionRecordsOf(portfolio);
    expect(records.map(({ updatedAtUs: _, ...r }) => r)).toEqual([
      { venue: 'venue-a', netQuantity: '1', costBasis: '3000', realisedPnl: '10', fees: '1.8', funding: '0' },
      { venue: 'venue-b', netQuantity: '-0.35', costBasis: '-1051.8375', realisedPnl: '0', fees: '-0.01', funding: '0' },
    ]);
    const restored = portfolioFromRecords('USDT', 'ETH-PERP', JSON.parse(JSON.stringify(records)));
    expect(positionRecordsOf(restored)).toEqual(records);
  });

  it('ignores events other than fills and fills on venues outside the configuration', () => {
    const fill = fillEvent('ETH-PERP', 0, 1, { venue: 'venue-a', side: 'BUY', quantity: '1', price: '3000' });
    const acked: OrderEvent = { ...fill, kind: 'ACKED', fill: null };
    const empty = createPortfolio('USDT');
    expect(bookOrderEvent(empty, acked, VENUES)).toBe(empty);
    expect(bookOrderEvent(empty, { ...fill, venue: 'venue-z' }, VENUES)).toBe(empty);
  });
});

describe('measureRisk', () => {
  const portfolio = book([
    { venue: 'venue-a', side: 'BUY', quantity: '2', price: '3000', fee: '1.2' },
    { venue: 'venue-a', side: 'SELL', quantity: '1', price: '3010', fee: '0.6' },
    { venue: 'venue-b', side: 'SELL', quantity: '1', price: '3005' },
  ]);

  it('marks each venue at its mid and measures delta and basis against the fair value', () => {
    const m = measureRisk(portfolio, mark(3002, [
      { venue: 'venue-a', mid: 3004, valid: true },
      { venue: 'venue-b', mid: 3001, valid: true },
    ]));
    // venue-a: realised 10 − fees 1.8 + (3004 − 3000); venue-b: short 1 from 3005 marked at 3001.
    expect(m.dailyPnl.toString()).toBe('16.2');
    expect(m.netQuantity.toString()).toBe('0');
    expect(m.dollarDelta.toString()).toBe('0');
    // 1 × (3004 − 3002) + (−1) × (3001 − 3002)
    expect(m.basisExposure.toString()).toBe('3');
    expect(m.inputs).toEqual({ dailyPnlUsd: 16.2, dollarDeltaUsd: 0, basisExposureUsd: 3, minDistLiqSigma: Infinity });
  });

  it('marks a venue without a book at the fair value, leaves an invalid book out of the basis, and uses entry prices without any mark', () => {
    const m = measureRisk(portfolio, mark(3002, [
      { venue: 'venue-a', mid: null, valid: false },
      { venue: 'venue-b', mid: 2999, valid: false },
    ]));
    // venue-a at 3002: 10 − 1.8 + 2; venue-b at its (crossed) mid 2999: +6.
    expect(m.dailyPnl.toString()).toBe('16.2');
    expect(m.basisExposure.toString()).toBe('0');
    const bare = measureRisk(portfolio, null);
    expect(bare.dailyPnl.toString()).toBe('8.2');
    expect(bare.dollarDelta.toString()).toBe('0');
  });

  it('reads the mark from an fv.state: DISABLED books are not valid, missing books have no mid', () => {
    const fv = fvState('ETH-PERP', 0, 3000, { mids: { 'venue-a': 2999.5 } });
    const disabled = { ...fv, observations: [{ ...fv.observations[0], status: 'DISABLED' as const }, { ...fv.observations[1], mid: null, status: 'NO_BOOK' as const }] };
    expect(fairValueMark(disabled)).toEqual({
      eventId: fv.envelope.eventId,
      correlationId: fv.envelope.correlationId,
      available: true,
      fairValue: 3000,
      venues: [
        { venue: 'venue-a', mid: 2999.5, valid: false },
        { venue: 'venue-b', mid: null, valid: false },
      ],
    });
  });

  it('evaluates like the runner: same PnL, delta, basis and regime from the same books and fills', () => {
    const config = fixtureRunnerConfig({ quotingEnabled: false });
    const books = (at: number, mids: readonly number[]) => VENUES.map((v, i) => bookEvent(v, mids[i] - 0.1, mids[i] + 0.1, at));
    const fills: SpecFill[] = [
      { venue: 'venue-a', side: 'BUY', quantity: '10', price: '3000.5', fee: '12.002' },
      { venue: 'venue-b', side: 'BUY', quantity: '5', price: '3001', fee: '7.5025' },
      { venue: 'venue-a', side: 'SELL', quantity: '1', price: '2999', fee: '-0.15' },
    ];
    const events = [
      ...books(T0 + 1_000, [3000, 3001, 2999]),
      ...fills.map((f, i) => runnerFill(f.venue, `o-${i}`, f.side === 'BUY' ? 'buy' : 'sell', f.price, f.quantity, T0 + 2_000 + i, { fee: f.fee })),
      ...books(T0 + 5_000, [2990, 2991.5, 2989]),
    ];
    const state = events.reduce<RunnerState>((s, e) => step(s, e).state, initialRunnerState(config, T0));
    const mine = book(fills);
    const exact = (p: Portfolio) => positionRecordsOf(p).map(({ updatedAtUs: _, ...r }) => r);
    expect(exact(mine)).toEqual(exact(state.portfolio));

    const S = state.fv.fairValue!;
    const m = measureRisk(mine, mark(S, config.strategy.venues.map((v, i) => {
      const b = state.books[i]!;
      return { venue: v.venueId, mid: (b.bestBid + b.bestAsk) / 2, valid: true };
    })));
    expect(m.inputs.dailyPnlUsd).toBeCloseTo(markToMarketPnl(state), 8);
    expect(m.inputs.dollarDeltaUsd).toBeCloseTo(stateInventory(state) * S, 8);
    expect(m.inputs.basisExposureUsd).toBeCloseTo(basisExposureUsd(modelContextOf(state).venues, S), 8);
    expect(m.netQuantity.toString()).toBe('14');
    const evaluated = evaluateRisk(config.strategy.risk, initialRiskState(), m.inputs, state.nowUs).state;
    expect(state.risk.regime).toBe('Warning');
    expect(evaluated).toEqual(state.risk);
  });
});

describe('riskStatePayload', () => {
  const limits = { dailyLossLimitUsd: 2000, deltaLimitUsd: 50_000, basisLimitUsd: 10_000, liqWarnSigma: 5, liqCritSigma: 2, warnFraction: 0.8, toxicityHighThreshold: 0.8 };

  it('reports the loss, |delta| and |basis| against their warning and kill thresholds', () => {
    const long = book([{ venue: 'venue-a', side: 'BUY', quantity: '10', price: '3000', fee: '12' }]);
    const m = measureRisk(long, mark(2790.5, [{ venue: 'venue-a', mid: 2790, valid: true }]));
    expect(limitUsages(limits, m)).toEqual([
      { limit: 'DAILY_LOSS', value: '2112', warningThreshold: '1600', hardThreshold: '2000', usageRatio: 1.056 },
      { limit: 'DELTA', value: '27905', warningThreshold: '40000', hardThreshold: '50000', usageRatio: 0.5581 },
      { limit: 'BASIS', value: '5', warningThreshold: '8000', hardThreshold: '10000', usageRatio: 0.0005 },
    ]);
    const killed = evaluateRisk(limits, initialRiskState(), m.inputs, 42).state;
    expect(riskStatePayload('ETH-PERP', limits, killed, m)).toMatchObject({
      instrument: 'ETH-PERP',
      regime: 'HARD_LIMIT',
      killSwitch: true,
      killReason: 'DAILY_LOSS_LIMIT',
      killLatchedAtUs: 42,
      paused: false,
      netDelta: '10',
      dailyPnl: '-2112',
    });
  });
});
