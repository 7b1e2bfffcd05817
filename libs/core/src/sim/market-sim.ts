import { Prng } from '../prng';
import { type TimeUs } from '../types';
import { scaleOf } from './decimal-grid';
import { type BookLevel, type MarketEvent } from './market-events';
import { type Scenario, type SimVenueSpec } from './scenario';

type Unsequenced<E> = E extends MarketEvent ? Omit<E, 'sequence'> : never;

interface VenueRuntime {
  readonly spec: SimVenueSpec;
  readonly prng: Prng;
  readonly scale: number;
  readonly sizeScale: number;
  basisNoiseBps: number;
  up: boolean;
  sequence: number;
}

/**
 * A deterministic multi-venue market simulator in simulated time. A latent fair price follows
 * a geometric Brownian motion with Poisson jumps and volatility regimes; each venue quotes a
 * book around the latent price plus its own basis (an Ornstein–Uhlenbeck deviation around a
 * mean, plus scenario spikes), with a spread, levels and depth; public market orders arrive as
 * a Poisson process and walk the book; marks, indices and funding are published on their own
 * cadences. The same scenario and seed give the same event stream, event for event.
 */
export class MarketSim {
  private readonly latentPrng: Prng;
  private readonly venues: VenueRuntime[];
  private readonly buffer: Unsequenced<MarketEvent>[] = [];
  private readonly endUs: TimeUs;
  private cursor = 0;
  private stepIndex = 0;
  private latent: number;

  /** Returns a simulator of `scenario` seeded by `seed`. */
  constructor(
    readonly scenario: Scenario,
    seed: number | string,
  ) {
    const root = Prng.seeded(`sim:${String(seed)}`);
    this.latentPrng = root.fork('latent');
    this.venues = scenario.sim.venues.map((spec) => ({
      spec,
      prng: root.fork(`venue:${spec.venue}`),
      scale: scaleOf(spec.priceDecimals),
      sizeScale: scaleOf(spec.sizeDecimals),
      basisNoiseBps: 0,
      up: true,
      sequence: 0,
    }));
    this.latent = scenario.sim.initialPrice;
    this.endUs = scenario.sim.startTimeUs + scenario.sim.durationUs;
  }

  /** Returns the current latent (true) price. */
  get latentPrice(): number {
    return this.latent;
  }

  /** Returns the time of the next event, or undefined when the session is over. */
  peekTimeUs(): TimeUs | undefined {
    if (!this.fill()) return undefined;
    return this.buffer[this.cursor]!.eventTimeUs;
  }

  /** Returns the next event in time order, or undefined when the session is over. */
  next(): MarketEvent | undefined {
    if (!this.fill()) return undefined;
    const raw = this.buffer[this.cursor]!;
    this.cursor += 1;
    const venue = this.venues.find((v) => v.spec.venue === raw.venue)!;
    venue.sequence += 1;
    return { ...raw, sequence: venue.sequence } as MarketEvent;
  }

  private fill(): boolean {
    while (this.cursor >= this.buffer.length) {
      this.buffer.length = 0;
      this.cursor = 0;
      const t = this.scenario.sim.startTimeUs + this.stepIndex * this.scenario.sim.stepUs;
      if (t >= this.endUs) return false;
      this.generateStep(t);
      this.stepIndex += 1;
      // Stable sort: same-time events keep their generation order (venue order, then book before trades).
      this.buffer.sort((a, b) => a.eventTimeUs - b.eventTimeUs);
    }
    return true;
  }

  private generateStep(t: TimeUs): void {
    const sim = this.scenario.sim;
    const knobs = this.scenario.knobs;
    const offset = t - sim.startTimeUs;
    const dt = sim.stepUs / 1e6;
    let volMult = 1;
    for (const r of knobs.volRegimes) if (offset >= r.fromUs && offset < r.toUs) volMult *= r.multiplier;
    let spreadMult = 1;
    let depthMult = 1;
    for (const s of knobs.liquidityShocks) {
      if (offset >= s.fromUs && offset < s.toUs) {
        spreadMult *= s.spreadMult;
        depthMult *= s.depthMult;
      }
    }
    if (this.stepIndex > 0) {
      const sigma = sim.volPerSqrtSec * volMult;
      const z = this.latentPrng.normal();
      let logMove = -0.5 * sigma * sigma * dt + sigma * Math.sqrt(dt) * z;
      if (sim.jumpRatePerSec > 0) {
        const jumps = this.latentPrng.poisson(sim.jumpRatePerSec * dt);
        for (let j = 0; j < jumps; j += 1) logMove += this.latentPrng.normal(sim.jumpMeanBps, sim.jumpSdBps) / 1e4;
      }
      this.latent *= Math.exp(logMove);
    }
    const publishMark = offset % sim.markIntervalUs === 0;
    const publishFunding = offset % sim.fundingPublishUs === 0;
    const settles = publishFunding && offset > 0 && offset % sim.fundingSettlementUs === 0;
    for (const v of this.venues) {
      const spec = v.spec;
      const prng = v.prng;
      // The basis evolves whether or not the venue is up, so an outage does not shift later draws.
      const theta = spec.basisReversionPerSec;
      v.basisNoiseBps += -theta * v.basisNoiseBps * dt + spec.basisNoiseBps * Math.sqrt(2 * theta * dt) * prng.normal();
      let down = false;
      for (const o of knobs.outages) if (o.venue === spec.venue && offset >= o.fromUs && offset < o.toUs) down = true;
      if (down === v.up) {
        v.up = !down;
        this.buffer.push({ type: 'venue-status', venue: spec.venue, instrument: sim.instrument, eventTimeUs: t, up: v.up });
      }
      if (down) continue;
      let basisBps = spec.basisBps + v.basisNoiseBps;
      for (const s of knobs.basisSpikes) if (s.venue === spec.venue && offset >= s.fromUs && offset < s.toUs) basisBps += s.bps;
      const mid = this.latent * (1 + basisBps / 1e4);
      const half = (mid * spec.halfSpreadBps * spreadMult) / 1e4;
      const bidTicks = Math.floor((mid - half) * v.scale);
      let askTicks = Math.ceil((mid + half) * v.scale);
      if (askTicks <= bidTicks) askTicks = bidTicks + 1;
      const bids: BookLevel[] = [];
      const asks: BookLevel[] = [];
      const meanLots = spec.levelSize * depthMult * v.sizeScale;
      for (let j = 0; j < spec.levels; j += 1) {
        const bidLots = Math.max(1, Math.round(meanLots * (0.5 + prng.next())));
        const askLots = Math.max(1, Math.round(meanLots * (0.5 + prng.next())));
        bids.push({ price: (bidTicks - j * spec.levelStepTicks) / v.scale, size: bidLots / v.sizeScale });
        asks.push({ price: (askTicks + j * spec.levelStepTicks) / v.scale, size: askLots / v.sizeScale });
      }
      this.buffer.push({ type: 'book', venue: spec.venue, instrument: sim.instrument, eventTimeUs: t, bids, asks });
      const trades = prng.poisson(spec.tradeRatePerSec * dt);
      for (let k = 0; k < trades; k += 1) {
        const at = t + 1 + Math.floor(prng.next() * (sim.stepUs - 1));
        const aggressor = prng.next() < 0.5 ? 'buy' : 'sell';
        let lots = Math.max(1, Math.round(prng.exponential(1 / spec.meanTradeSize) * v.sizeScale));
        const side = aggressor === 'buy' ? asks : bids;
        for (const level of side) {
          if (lots <= 0) break;
          const levelLots = Math.round(level.size * v.sizeScale);
          const take = Math.min(lots, levelLots);
          this.buffer.push({ type: 'trade', venue: spec.venue, instrument: sim.instrument, eventTimeUs: at, price: level.price, size: take / v.sizeScale, aggressor });
          lots -= take;
        }
      }
      if (publishMark) {
        const markTicks = Math.round(mid * v.scale);
        const indexTicks = Math.round(this.latent * (1 + prng.normal(0, 0.5) / 1e4) * v.scale);
        this.buffer.push({ type: 'mark', venue: spec.venue, instrument: sim.instrument, eventTimeUs: t, price: markTicks / v.scale });
        this.buffer.push({ type: 'index', venue: spec.venue, instrument: sim.instrument, eventTimeUs: t, price: indexTicks / v.scale });
      }
      if (publishFunding) {
        let base = spec.fundingRate;
        for (const f of knobs.fundingFlips) if (offset >= f.atUs && (f.venue === undefined || f.venue === spec.venue)) base = f.rate;
        // A premium term: a rich venue (positive basis) charges longs a little more.
        const rate = Math.round((base + (0.1 * basisBps) / 1e4) * 1e8) / 1e8;
        const nextSettlementUs = sim.startTimeUs + (Math.floor(offset / sim.fundingSettlementUs) + 1) * sim.fundingSettlementUs;
        this.buffer.push({ type: 'funding', venue: spec.venue, instrument: sim.instrument, eventTimeUs: t, rate, settles, nextSettlementUs });
      }
    }
  }
}

/** Returns every event of `scenario` under `seed`, in order (for tests and small sessions). */
export function generateMarketEvents(scenario: Scenario, seed: number | string): MarketEvent[] {
  const sim = new MarketSim(scenario, seed);
  const out: MarketEvent[] = [];
  for (let e = sim.next(); e !== undefined; e = sim.next()) out.push(e);
  return out;
}
