import { MarketSim, type SimConfig } from '@fleet/core';
import { type LaneSessionConfig, laneScenario, laneSeed } from '@fleet/service';
import { assembleTick, type MdItem, MdSequencer } from './md-events';
import { simMdItem } from './sim-market-data';
import { type GatewayTick, tickCloseUs, type TickSource, ticksIn } from './tick-source';

interface SimMarket {
  readonly sim: SimConfig;
  readonly market: MarketSim;
}

/**
 * Ticks of the simulated session: one core market simulator per instrument (the session's
 * scenario and seed for that instrument), its events cut into ticks by event time. A venue
 * in an outage publishes nothing. Deterministic: the same session gives the same ticks, byte
 * for byte.
 */
export class SimTickSource implements TickSource {
  readonly instruments: readonly string[];
  readonly ticks: number;
  /** The session start: the simulated time tick 0 opens at. */
  readonly startUs: number;
  private readonly tickUs: number;
  private readonly markets: readonly SimMarket[];
  private readonly sequencer = new MdSequencer();
  private tick = 0;
  private closed = false;

  /** Returns the source of `session`'s simulated markets. */
  constructor(session: LaneSessionConfig) {
    this.instruments = [...session.instruments];
    this.markets = session.instruments.map((instrument) => {
      const scenario = laneScenario(session, instrument);
      return { sim: scenario.sim, market: new MarketSim(scenario, laneSeed(session, instrument)) };
    });
    const starts = new Set(this.markets.map((m) => m.sim.startTimeUs));
    if (starts.size !== 1) throw new RangeError(`the simulated markets of ${this.instruments.join(', ')} must start together, received starts ${[...starts].join(', ')}`);
    this.startUs = this.markets[0]!.sim.startTimeUs;
    this.tickUs = session.tickUs;
    this.ticks = ticksIn(session.durationUs, session.tickUs);
  }

  /** Returns the next tick, or undefined after the session's last. */
  async next(): Promise<GatewayTick | undefined> {
    return this.nextTick();
  }

  /** The synchronous form of {@link next}: the simulator needs no I/O. */
  nextTick(): GatewayTick | undefined {
    if (this.closed || this.tick >= this.ticks) return undefined;
    const tick = this.tick;
    const tickTimeUs = tickCloseUs(this.startUs, this.tickUs, tick);
    const items: MdItem[] = [];
    for (const { sim, market } of this.markets) {
      for (let at = market.peekTimeUs(); at !== undefined && at <= tickTimeUs; at = market.peekTimeUs()) {
        const item = simMdItem(market.next()!, sim);
        if (item !== undefined) items.push(item);
      }
    }
    this.tick += 1;
    return { tick, tickTimeUs, outputs: assembleTick(items, this.sequencer) };
  }

  /** Ends the session early: `next` returns undefined from now on. */
  async close(): Promise<void> {
    this.closed = true;
  }
}
