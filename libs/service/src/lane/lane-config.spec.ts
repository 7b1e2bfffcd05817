import { ConfigurationError, EnvReader } from '../service-config';
import { laneRunnerConfig, laneScenario, laneSeed, readLaneSessionConfig } from './lane-config';

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  const session = readLaneSessionConfig(reader);
  reader.done();
  return session;
}

describe('lane session configuration', () => {
  it('defaults to a one-minute two-venue ETH-PERP session, calm then volatile, in 250 ms ticks', () => {
    const s = read({});
    expect(s).toEqual({ scenario: 'calm-then-volatile', seed: 1, durationUs: 60_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP'] });
    const scenario = laneScenario(s, 'ETH-PERP');
    expect(scenario.sim.venues.map((v) => v.venue)).toEqual(['venue-a', 'venue-b']);
    expect(scenario.knobs.volRegimes).toEqual([{ fromUs: 30_000_000, toUs: 60_000_000, multiplier: 5 }]);
  });

  it('names every bad setting', () => {
    const reader = new EnvReader({ FLEET_SCENARIO: 'storm', FLEET_TICK_MS: '0', FLEET_INSTRUMENTS: 'eth', FLEET_HEDGE_BAND_BASE: '-1', FLEET_EXIT_EDGE_MIN_USD: '-5' });
    readLaneSessionConfig(reader);
    expect(() => reader.done()).toThrow(ConfigurationError);
    expect(reader.problems().map((p) => p.setting)).toEqual(['FLEET_SCENARIO', 'FLEET_TICK_MS', 'FLEET_INSTRUMENTS', 'FLEET_HEDGE_BAND_BASE', 'FLEET_EXIT_EDGE_MIN_USD']);
  });

  it('refuses the basis spike on two venues: the spike is on the third', () => {
    const reader = new EnvReader({ FLEET_SCENARIO: 'basis-spike' });
    readLaneSessionConfig(reader);
    expect(reader.problems().map((p) => p.setting)).toEqual(['FLEET_VENUE_COUNT']);
  });

  it('applies the strategy overrides and the loss-limit scenario to every instrument alike', () => {
    const s = read({ FLEET_SCENARIO: 'loss-limit', FLEET_HEDGE_BAND_BASE: '0.2', FLEET_EXIT_EDGE_MIN_USD: '0', FLEET_EXIT_VOL_BUFFER_MULT: '0', FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP' });
    for (const instrument of s.instruments) {
      const c = laneRunnerConfig(s, instrument);
      expect([c.instrument, c.strategy.hedge.bandBase, c.strategy.exit.edgeMinUsd, c.strategy.exit.volBufferMult, c.strategy.risk.dailyLossLimitUsd]).toEqual([instrument, 0.2, 0, 0, 1]);
    }
    expect([laneSeed(s, 'ETH-PERP'), laneSeed(s, 'BTC-PERP')]).toEqual(['1', '1/BTC-PERP']);
  });
});

describe('a live session', () => {
  it('names its strategy venues after the live venues the data comes from', () => {
    const s = read({ FLEET_MD_SOURCE: 'live', FLEET_LIVE_VENUES: 'binanceusdm,bybit' });
    expect(laneRunnerConfig(s, 'ETH-PERP').strategy.venues.map((v) => v.venueId)).toEqual(['binanceusdm', 'bybit']);
  });

  it('needs at least two venues for fair value', () => {
    const reader = new EnvReader({ FLEET_MD_SOURCE: 'live', FLEET_LIVE_VENUES: 'binanceusdm' });
    readLaneSessionConfig(reader);
    expect(reader.problems().map((p) => p.setting)).toEqual(['FLEET_LIVE_VENUES']);
  });
});
