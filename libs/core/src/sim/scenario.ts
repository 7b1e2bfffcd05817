import { type InstrumentId, type TimeUs, type VenueId } from '../types';

/** The static description of one simulated venue. */
export interface SimVenueSpec {
  readonly venue: VenueId;
  /** Price decimals: the tick is 10^-priceDecimals. */
  readonly priceDecimals: number;
  /** Size decimals: the lot is 10^-sizeDecimals. */
  readonly sizeDecimals: number;
  /** The long-run basis of this venue's mid against the latent price, in basis points. */
  readonly basisBps: number;
  /** The basis noise (Ornstein–Uhlenbeck stationary s.d.), in basis points. */
  readonly basisNoiseBps: number;
  /** The basis mean-reversion rate, per second. */
  readonly basisReversionPerSec: number;
  /** The quoted half-spread of the venue's book, in basis points (at least one tick). */
  readonly halfSpreadBps: number;
  /** Book levels per side. */
  readonly levels: number;
  /** Ticks between consecutive levels. */
  readonly levelStepTicks: number;
  /** The mean displayed size per level, in base units. */
  readonly levelSize: number;
  /** The rate of public market orders, per second. */
  readonly tradeRatePerSec: number;
  /** The mean size of a public market order, in base units (exponentially distributed). */
  readonly meanTradeSize: number;
  /** The maker fee, in basis points of notional (negative for a rebate). */
  readonly makerFeeBps: number;
  /** The taker fee, in basis points of notional. */
  readonly takerFeeBps: number;
  /** The one-way order latency, in microseconds: orders go live and cancels take effect this long after they are sent. */
  readonly latencyUs: number;
  /** The baseline funding rate per settlement interval (a fraction). */
  readonly fundingRate: number;
}

/** A window of simulated time, as offsets from the session start. */
export interface TimeWindow {
  readonly fromUs: TimeUs;
  readonly toUs: TimeUs;
}

/** The scenario knobs layered on the base dynamics; every window is an offset from the start. */
export interface ScenarioKnobs {
  /** Volatility multipliers over windows (they multiply; outside every window the multiplier is 1). */
  readonly volRegimes: readonly (TimeWindow & { readonly multiplier: number })[];
  /** Venues that publish nothing and accept no orders over a window. */
  readonly outages: readonly (TimeWindow & { readonly venue: VenueId })[];
  /** From `atUs` on, the venue's (or every venue's, when `venue` is absent) baseline funding rate becomes `rate`. */
  readonly fundingFlips: readonly { readonly atUs: TimeUs; readonly venue?: VenueId; readonly rate: number }[];
  /** An extra basis on one venue over a window, in basis points. */
  readonly basisSpikes: readonly (TimeWindow & { readonly venue: VenueId; readonly bps: number })[];
  /** Spread and depth stress over a window: half-spreads times `spreadMult`, level sizes times `depthMult`. */
  readonly liquidityShocks: readonly (TimeWindow & { readonly spreadMult: number; readonly depthMult: number })[];
}

/** The simulated market: the latent price process, the venues and the publishing cadence. */
export interface SimConfig {
  readonly instrument: InstrumentId;
  /** The session start, in microseconds. */
  readonly startTimeUs: TimeUs;
  /** The session length, in microseconds. */
  readonly durationUs: TimeUs;
  /** The book publishing interval (the simulation step), in microseconds. */
  readonly stepUs: TimeUs;
  /** The initial latent price. */
  readonly initialPrice: number;
  /** The latent price volatility per √second (a fraction), before regime multipliers. */
  readonly volPerSqrtSec: number;
  /** Jumps of the latent price: Poisson rate per second and normal size in basis points. */
  readonly jumpRatePerSec: number;
  readonly jumpMeanBps: number;
  readonly jumpSdBps: number;
  /** Mark and index publishing interval, in microseconds. */
  readonly markIntervalUs: TimeUs;
  /** Funding publishing interval, in microseconds. */
  readonly fundingPublishUs: TimeUs;
  /** The funding settlement interval, in microseconds (8 hours on most venues; shorter in tests). */
  readonly fundingSettlementUs: TimeUs;
  /** The venues, in a fixed order. */
  readonly venues: readonly SimVenueSpec[];
}

/** A named scenario: a market configuration and its knobs. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly sim: SimConfig;
  readonly knobs: ScenarioKnobs;
}

/** Returns knobs with nothing switched on. */
export function noKnobs(): ScenarioKnobs {
  return { volRegimes: [], outages: [], fundingFlips: [], basisSpikes: [], liquidityShocks: [] };
}

/** Returns a venue spec with sensible perpetual-futures defaults and the given overrides. */
export function simVenue(venue: VenueId, overrides: Partial<Omit<SimVenueSpec, 'venue'>> = {}): SimVenueSpec {
  return {
    venue,
    priceDecimals: 2,
    sizeDecimals: 2,
    basisBps: 0,
    basisNoiseBps: 1,
    basisReversionPerSec: 0.5,
    halfSpreadBps: 0.5,
    levels: 5,
    levelStepTicks: 1,
    levelSize: 4,
    tradeRatePerSec: 4,
    meanTradeSize: 1.5,
    makerFeeBps: 1,
    takerFeeBps: 5,
    latencyUs: 20_000,
    fundingRate: 0.0001,
    ...overrides,
  };
}

/** The session start used by the presets: 2026-01-01T00:00:00Z, in microseconds. */
export const PRESET_START_US: TimeUs = 1_767_225_600_000_000;

/** Returns the base market of the presets: ETH-PERP near 3,000 USD on three venues with different bases, fees and latencies. */
export function baseSimConfig(overrides: Partial<SimConfig> = {}): SimConfig {
  return {
    instrument: 'ETH-PERP',
    startTimeUs: PRESET_START_US,
    durationUs: 300_000_000,
    stepUs: 100_000,
    initialPrice: 3_000,
    volPerSqrtSec: 0.00012,
    jumpRatePerSec: 0,
    jumpMeanBps: 0,
    jumpSdBps: 0,
    markIntervalUs: 1_000_000,
    fundingPublishUs: 10_000_000,
    fundingSettlementUs: 60_000_000,
    venues: [
      simVenue('venue-a', { basisBps: 0, takerFeeBps: 4, makerFeeBps: 0.5, latencyUs: 15_000 }),
      simVenue('venue-b', { basisBps: 3, takerFeeBps: 5, makerFeeBps: 1, latencyUs: 25_000, fundingRate: 0.00015 }),
      simVenue('venue-c', { basisBps: -2, takerFeeBps: 6, makerFeeBps: -0.5, latencyUs: 40_000, fundingRate: 0.00005, tradeRatePerSec: 3 }),
    ],
    ...overrides,
  };
}

/** The calm preset: low volatility, no jumps, no knobs. */
export function calmScenario(overrides: Partial<SimConfig> = {}): Scenario {
  return { name: 'calm', description: 'Low volatility, no jumps, three healthy venues.', sim: baseSimConfig(overrides), knobs: noKnobs() };
}

/** The volatile preset: five times the volatility, frequent jumps, a liquidity shock in the middle. */
export function volatileScenario(overrides: Partial<SimConfig> = {}): Scenario {
  const sim = baseSimConfig({ volPerSqrtSec: 0.0006, jumpRatePerSec: 0.05, jumpMeanBps: -5, jumpSdBps: 40, ...overrides });
  const third = Math.floor(sim.durationUs / 3);
  return {
    name: 'volatile',
    description: 'High volatility with jumps and a spread/depth shock in the middle third.',
    sim,
    knobs: { ...noKnobs(), volRegimes: [{ fromUs: third, toUs: 2 * third, multiplier: 2 }], liquidityShocks: [{ fromUs: third, toUs: 2 * third, spreadMult: 3, depthMult: 0.3 }] },
  };
}

/** The venue-outage preset: the second venue is down over the middle third. */
export function venueOutageScenario(overrides: Partial<SimConfig> = {}): Scenario {
  const sim = baseSimConfig(overrides);
  const third = Math.floor(sim.durationUs / 3);
  return { name: 'venue-outage', description: 'The second venue publishes nothing and accepts no orders over the middle third.', sim, knobs: { ...noKnobs(), outages: [{ venue: sim.venues[1]!.venue, fromUs: third, toUs: 2 * third }] } };
}

/** The funding-flip preset: every venue's funding turns negative half way through. */
export function fundingFlipScenario(overrides: Partial<SimConfig> = {}): Scenario {
  const sim = baseSimConfig(overrides);
  return { name: 'funding-flip', description: 'Every venue funding rate flips to -0.03% at half time.', sim, knobs: { ...noKnobs(), fundingFlips: [{ atUs: Math.floor(sim.durationUs / 2), rate: -0.0003 }] } };
}

/** The basis-spike preset: the third venue trades 40 bp rich over the middle third. */
export function basisSpikeScenario(overrides: Partial<SimConfig> = {}): Scenario {
  const sim = baseSimConfig(overrides);
  const third = Math.floor(sim.durationUs / 3);
  return { name: 'basis-spike', description: 'The third venue trades 40 bp rich over the middle third.', sim, knobs: { ...noKnobs(), basisSpikes: [{ venue: sim.venues[2]!.venue, bps: 40, fromUs: third, toUs: 2 * third }] } };
}

/** Returns the preset scenario called `name`. */
export function presetScenario(name: 'calm' | 'volatile' | 'venue-outage' | 'funding-flip' | 'basis-spike', overrides: Partial<SimConfig> = {}): Scenario {
  switch (name) {
    case 'calm':
      return calmScenario(overrides);
    case 'volatile':
      return volatileScenario(overrides);
    case 'venue-outage':
      return venueOutageScenario(overrides);
    case 'funding-flip':
      return fundingFlipScenario(overrides);
    case 'basis-spike':
      return basisSpikeScenario(overrides);
  }
}
