import { generateMarketEvents } from '../sim/market-sim';
import { TestClock } from './test-clock';
import { scenario, shortCalmScenario } from './scenario-builder';
import { booksAround, fixtureRunnerConfig, T0 } from './fixtures';

describe('@fleet/core/testing', () => {
  it('TestClock moves only forward and only when told', () => {
    const clock = new TestClock(T0);
    expect(clock.nowUs()).toBe(T0);
    expect(clock.advance(1_500)).toBe(T0 + 1_500);
    clock.set(T0 + 2_000);
    expect(clock.nowUs()).toBe(T0 + 2_000);
    expect(() => clock.set(T0)).toThrow('never goes back');
    expect(() => clock.advance(-1)).toThrow('non-negative integer');
  });

  it('the scenario builder sets the market and the knobs in seconds from the start', () => {
    const s = scenario('built').durationSec(12).venues(2, { takerFeeBps: 7 }).volatility(0.0003).outage('venue-b', 2, 4).fundingFlip(6, -0.001).basisSpike('venue-a', 1, 3, 25).liquidityShock(5, 7, 2, 0.5).volRegime(8, 10, 3).build();
    expect(s.sim.durationUs).toBe(12_000_000);
    expect(s.sim.venues.map((v) => [v.venue, v.takerFeeBps])).toEqual([
      ['venue-a', 7],
      ['venue-b', 7],
    ]);
    expect(s.knobs.outages).toEqual([{ venue: 'venue-b', fromUs: 2_000_000, toUs: 4_000_000 }]);
    expect(s.knobs.fundingFlips).toEqual([{ atUs: 6_000_000, rate: -0.001, venue: undefined }]);
    expect(generateMarketEvents(s, 1).some((e) => e.type === 'venue-status')).toBe(true);
    expect(shortCalmScenario(5).sim.durationUs).toBe(5_000_000);
  });

  it('fixtures line up with the runner configuration', () => {
    const cfg = fixtureRunnerConfig();
    expect(booksAround(3000, T0).map((b) => b.venue)).toEqual(cfg.strategy.venues.map((v) => v.venueId));
    expect(cfg.strategy.venues[0]).toMatchObject({ tickSize: 0.01, sizeStep: 0.01, makerFee: 0.00005, takerFee: 0.0004 });
  });
});
