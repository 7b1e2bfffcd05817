import { decimalString } from '@fleet/contracts';
import { HEALTHY_VENUE, initialFairValueState, modelContextOf, portfolioFromRecords, positionRecordsOf } from '@fleet/core';
import { laneRunnerConfig } from '@fleet/service';
import {
  emptyView,
  fairValueStateOf,
  foldBook,
  foldFairValue,
  foldFunding,
  foldMark,
  foldOrderEvent,
  foldRisk,
  forgetUnconfirmed,
  type InstrumentView,
  isHalted,
  riskStateOf,
  runnerStateOf,
  venueViewsOf,
  type WorkingOrder,
} from './taker-view';
import { book, fairValue, fillEvent, funding, INSTRUMENT, mark, orderEvent, quote, riskState, SESSION, tickTime } from './testing/lane-events';

const cfg = laneRunnerConfig(SESSION, INSTRUMENT);
const at = tickTime(1);

function fold(view: InstrumentView, ...events: Parameters<typeof foldOrderEvent>[2][]): InstrumentView {
  return events.reduce((v, e) => foldOrderEvent(v, cfg, e), view);
}

const ours: WorkingOrder = { intentId: 'intent-1', clientOrderId: 'coid-1', venue: 'venue-a', side: 'SELL', size: '3', remaining: '3', status: 'pending', placedTick: 4 };
const oursRef = { intentId: 'intent-1', clientOrderId: 'coid-1', venue: 'venue-a', side: 'SELL' as const, price: '2999', size: '3' };

describe('taker view', () => {
  it('books every fill into the exact venue position with the core portfolio', () => {
    const buy = quote('venue-a', 'BUY', '1.5', '3000.1');
    const sell = quote('venue-a', 'SELL', '0.5', '3001.3');
    const view = fold(emptyView(cfg), fillEvent(buy, '1.5', '3000.1', '0', at), fillEvent(sell, '0.5', '3001.3', '0', at + 1));
    expect(view.positions).toEqual([{ venue: 'venue-a', netQuantity: '1', costBasis: '3000.1', realisedPnl: '0.6', fees: '0.2', funding: '0', updatedAtUs: at + 1 }]);
    const [a, b] = venueViewsOf(cfg, view);
    expect([a.positionQty, a.avgEntryPrice, a.bookedPnl]).toEqual([1, 3000.1, 0.4]);
    expect([b.positionQty, b.avgEntryPrice]).toEqual([0, 0]);
  });

  it('ignores fills on venues outside the configuration and leaves a fee in another currency unbooked', () => {
    const elsewhere = fillEvent(quote('venue-z', 'BUY', '1', '3000'), '1', '3000', '0', at);
    expect(fold(emptyView(cfg), elsewhere).positions).toEqual([]);
    const inBnb = fillEvent(quote('venue-b', 'BUY', '1', '3000'), '1', '3000', '0', at);
    const view = fold(emptyView(cfg), { ...inBnb, fill: { ...inBnb.fill!, feeCurrency: 'BNB' } });
    expect(view.positions.map((p) => [p.netQuantity, p.fees])).toEqual([['1', '0']]);
  });

  it('tracks its own order until it is fully filled, cancelled or rejected', () => {
    const start = { ...emptyView(cfg), working: [ours] };
    const partial = fold(start, fillEvent(oursRef, '1', '2999', '2', at));
    expect(partial.working).toEqual([{ ...ours, status: 'live', remaining: '2' }]);
    expect(partial.positions.map((p) => p.netQuantity)).toEqual(['-1']);
    expect(fold(partial, fillEvent(oursRef, '2', '2999', '0', at)).working).toEqual([]);
    expect(fold(start, orderEvent('CANCELLED', oursRef, at)).working).toEqual([]);
    expect(fold(start, orderEvent('REJECTED', oursRef, at)).working).toEqual([]);
    expect(fold(start, orderEvent('ACKED', oursRef, at)).working).toEqual([{ ...ours, status: 'live' }]);
    // The client order id alone recognises it too.
    expect(fold(start, orderEvent('CANCELLED', { ...oursRef, intentId: 'other' }, at)).working).toEqual([]);
    expect(fold(start, orderEvent('CANCELLED', { ...oursRef, intentId: 'other', clientOrderId: 'other' }, at)).working).toEqual([ours]);
  });

  it('forgets intents of earlier ticks that never became orders, and keeps live and current ones', () => {
    const live = { ...ours, intentId: 'live', status: 'live' as const };
    const now = { ...ours, intentId: 'now', placedTick: 5 };
    const view = { ...emptyView(cfg), working: [ours, live, now] };
    expect(forgetUnconfirmed(view, 4)).toBe(view);
    expect(forgetUnconfirmed(view, 5).working).toEqual([live, now]);
  });

  it('keeps the latest two-sided book per configured venue, with its event id', () => {
    const b1 = book('venue-b', '2999.5', '3000.5', at);
    const view = foldBook(emptyView(cfg), cfg, b1);
    expect(view.books).toEqual([null, { eventId: b1.envelope.eventId, top: { venueId: 'venue-b', bestBid: 2999.5, bestAsk: 3000.5, bidDepth: 20, askDepth: 20, timestampUs: at } }]);
    const oneSided = { ...book('venue-b', '1', '2', at + 1), asks: [] };
    expect(foldBook(view, cfg, oneSided)).toBe(view);
    expect(foldBook(view, cfg, book('venue-z', '1', '2', at))).toBe(view);
  });

  it('keeps funding rates and marks per venue', () => {
    const view = foldMark(foldFunding(emptyView(cfg), cfg, funding('venue-b', '-0.0002', at)), cfg, mark('venue-a', '3001.25', at));
    expect(view.fundingRates).toEqual([0, -0.0002]);
    expect(view.marks).toEqual([3001.25, null]);
    expect(venueViewsOf(cfg, view).map((v) => [v.fundingRate, v.markPrice])).toEqual([
      [0, 3001.25],
      [-0.0002, null],
    ]);
  });

  it('maps risk.state to the runner halt: kill switch or HardLimit', () => {
    expect(isHalted(emptyView(cfg))).toBe(false);
    expect(isHalted(foldRisk(emptyView(cfg), riskState('WARNING', false, at)))).toBe(false);
    expect(isHalted(foldRisk(emptyView(cfg), riskState('HARD_LIMIT', false, at)))).toBe(true);
    expect(isHalted(foldRisk(emptyView(cfg), riskState('HARD_LIMIT', true, at)))).toBe(true);
    expect(riskStateOf(foldRisk(emptyView(cfg), riskState('WARNING', false, at)))).toEqual({ regime: 'Warning', killSwitch: false, killReason: 'None', killedAtUs: null });
  });

  it('rebuilds the fair-value state the models read from the latest fv.state', () => {
    expect(fairValueStateOf(cfg.strategy, null)).toEqual(initialFairValueState(cfg.strategy));
    const fv = fairValue(3001.5, at, 0.0002);
    const state = fairValueStateOf(cfg.strategy, foldFairValue(emptyView(cfg), { ...fv, healthyVenuesUsed: ['venue-b'] }).fv);
    expect(state).toMatchObject({ fairValue: 3001.5, fvAvailable: true, sigmaEff: 0.0002, variance: 0.01, healthyVenueMask: 0b10, healthyVenueCount: 1, lastStepUs: at });
  });

  it('round-trips positions through their exact records', () => {
    const view = fold(emptyView(cfg), fillEvent(quote('venue-b', 'SELL', '0.37', '2999.99'), '0.37', '2999.99', '0', at));
    const portfolio = portfolioFromRecords(cfg.currency, INSTRUMENT, view.positions);
    expect(positionRecordsOf(portfolio)).toEqual(view.positions);
    expect(portfolio.positions[0].netQuantity.toString()).toBe(decimalString('-0.37'));
  });

  it('gives the models the runner context: books, positions, funding, healthy venues and the configured margin', () => {
    const b = book('venue-a', '2999.5', '3000.5', at);
    const view = fold(foldFunding(foldBook(emptyView(cfg), cfg, b), cfg, funding('venue-a', '0.0001', at)), fillEvent(quote('venue-a', 'BUY', '2', '2990'), '2', '2990', '0', at));
    const ctx = modelContextOf(runnerStateOf(cfg, view, tickTime(4)));
    expect(ctx.nowUs).toBe(tickTime(4));
    expect(ctx.risk).toEqual({ regime: 'Normal', killSwitch: false, killReason: 'None', killedAtUs: null });
    expect(ctx.venues).toEqual([
      { venueId: 'venue-a', book: view.books[0]!.top, fundingRate8h: 0.0001, positionQty: 2, avgEntryPrice: 2990, distLiqSigma: Infinity, marginAvailableUsd: cfg.marginPerVenueUsd, health: HEALTHY_VENUE },
      { venueId: 'venue-b', book: null, fundingRate8h: 0, positionQty: 0, avgEntryPrice: 0, distLiqSigma: Infinity, marginAvailableUsd: cfg.marginPerVenueUsd, health: HEALTHY_VENUE },
    ]);
  });
});
