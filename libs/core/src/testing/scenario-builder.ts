import { baseSimConfig, noKnobs, type Scenario, type ScenarioKnobs, type SimConfig, simVenue, type SimVenueSpec } from '../sim/scenario';
import { type VenueId } from '../types';

const SEC = 1_000_000;

/** Builds scenarios fluently; times are in seconds from the session start. */
export class ScenarioBuilder {
  private sim: SimConfig;
  private knobs: { -readonly [K in keyof ScenarioKnobs]: ScenarioKnobs[K][number][] };

  /** Returns a builder for a scenario called `name`, starting from the preset base market. */
  constructor(
    private readonly name: string,
    private description = '',
  ) {
    this.sim = baseSimConfig();
    const k = noKnobs();
    this.knobs = { volRegimes: [...k.volRegimes], outages: [...k.outages], fundingFlips: [...k.fundingFlips], basisSpikes: [...k.basisSpikes], liquidityShocks: [...k.liquidityShocks] };
  }

  /** Sets the description. */
  describe(text: string): this {
    this.description = text;
    return this;
  }

  /** Sets the session length, in seconds. */
  durationSec(seconds: number): this {
    this.sim = { ...this.sim, durationUs: Math.round(seconds * SEC) };
    return this;
  }

  /** Sets the book interval, in milliseconds. */
  stepMs(ms: number): this {
    this.sim = { ...this.sim, stepUs: Math.round(ms * 1000) };
    return this;
  }

  /** Uses `n` venues `venue-a`, `venue-b`, … with the preset defaults and the given overrides. */
  venues(n: number, overrides: Partial<Omit<SimVenueSpec, 'venue'>> = {}): this {
    const ids = Array.from({ length: n }, (_, i) => `venue-${String.fromCharCode(97 + i)}`);
    this.sim = { ...this.sim, venues: ids.map((id, i) => simVenue(id, { basisBps: (i % 3) - 1, ...overrides })) };
    return this;
  }

  /** Overrides any market setting. */
  market(overrides: Partial<SimConfig>): this {
    this.sim = { ...this.sim, ...overrides };
    return this;
  }

  /** Sets the latent volatility per √second and optional jumps (rate per second, mean and s.d. in bp). */
  volatility(volPerSqrtSec: number, jumps: { ratePerSec: number; meanBps: number; sdBps: number } = { ratePerSec: 0, meanBps: 0, sdBps: 0 }): this {
    this.sim = { ...this.sim, volPerSqrtSec, jumpRatePerSec: jumps.ratePerSec, jumpMeanBps: jumps.meanBps, jumpSdBps: jumps.sdBps };
    return this;
  }

  /** Multiplies volatility by `multiplier` from `fromSec` to `toSec`. */
  volRegime(fromSec: number, toSec: number, multiplier: number): this {
    this.knobs.volRegimes.push({ fromUs: fromSec * SEC, toUs: toSec * SEC, multiplier });
    return this;
  }

  /** Takes `venue` down from `fromSec` to `toSec`. */
  outage(venue: VenueId, fromSec: number, toSec: number): this {
    this.knobs.outages.push({ venue, fromUs: fromSec * SEC, toUs: toSec * SEC });
    return this;
  }

  /** Sets the funding rate of `venue` (every venue when undefined) to `rate` from `atSec`. */
  fundingFlip(atSec: number, rate: number, venue?: VenueId): this {
    this.knobs.fundingFlips.push({ atUs: atSec * SEC, rate, venue });
    return this;
  }

  /** Adds `bps` of basis on `venue` from `fromSec` to `toSec`. */
  basisSpike(venue: VenueId, fromSec: number, toSec: number, bps: number): this {
    this.knobs.basisSpikes.push({ venue, fromUs: fromSec * SEC, toUs: toSec * SEC, bps });
    return this;
  }

  /** Widens spreads and thins depth from `fromSec` to `toSec`. */
  liquidityShock(fromSec: number, toSec: number, spreadMult: number, depthMult: number): this {
    this.knobs.liquidityShocks.push({ fromUs: fromSec * SEC, toUs: toSec * SEC, spreadMult, depthMult });
    return this;
  }

  /** Returns the scenario. */
  build(): Scenario {
    return { name: this.name, description: this.description, sim: this.sim, knobs: { ...this.knobs } };
  }
}

/** Returns a scenario builder for `name`. */
export function scenario(name: string): ScenarioBuilder {
  return new ScenarioBuilder(name);
}

/** Returns a short calm scenario (30 s, three venues): small enough for unit tests. */
export function shortCalmScenario(seconds = 30): Scenario {
  return scenario('short-calm').describe('Thirty seconds of the calm preset market.').durationSec(seconds).build();
}
