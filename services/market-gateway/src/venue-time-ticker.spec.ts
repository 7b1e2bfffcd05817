import { decimalString, type Envelope, type Trade, Topics } from '@fleet/contracts';
import { canonicalJson } from '@fleet/core';
import { type MarketEvent } from '@fleet/venues';
import { type GatewayTick } from './tick-source';
import { VenueTimeTicker } from './venue-time-ticker';

const T0 = 1_767_225_600_000_000;
const TICK = 250_000;
let sequence = 0;

function trade(exchangeTimeUs: number | null, id: string, venue = 'binanceusdm', instrument = 'BTC-PERP'): MarketEvent {
  sequence += 1;
  // The receive time is deliberately far from the venue time: the ticker must never read it.
  return { type: 'trade', venue, instrument, eventTimeUs: 9_000_000_000_000_000 + sequence, exchangeTimeUs, sequence, venueTradeId: id, price: decimalString('65000.1'), size: decimalString('0.01'), aggressorSide: 'BUY' };
}

function run(events: readonly MarketEvent[]): GatewayTick[] {
  const ticker = new VenueTimeTicker(TICK);
  const ticks = events.flatMap((e) => ticker.push(e));
  const last = ticker.flush();
  return last === undefined ? ticks : [...ticks, last];
}

const ids = (t: GatewayTick): string[] => t.outputs.map((o) => (o.value as Trade).venueTradeId);
const times = (t: GatewayTick): number[] => t.outputs.map((o) => (o.value as { envelope: Envelope }).envelope.eventTimeUs);

describe('VenueTimeTicker', () => {
  it('opens tick 0 at the first venue time rounded down to a tick and closes ticks by venue time', () => {
    const ticks = run([trade(T0 + 158_000, 'a'), trade(T0 + 250_000, 'b'), trade(T0 + 266_000, 'c'), trade(T0 + 379_000, 'd')]);
    expect(ticks.map((t) => [t.tick, t.tickTimeUs, ids(t)])).toEqual([
      [0, T0 + 250_000, ['a', 'b']],
      [1, T0 + 500_000, ['c', 'd']],
    ]);
    expect(times(ticks[0]!)).toEqual([T0 + 158_000, T0 + 250_000]);
    expect(ticks[1]!.outputs.every((o) => o.spec === Topics.mdTrade && o.key === 'BTC-PERP')).toBe(true);
  });

  it('emits the empty ticks a jump in venue time skips', () => {
    const ticks = run([trade(T0 + 10, 'a'), trade(T0 + 3 * TICK + 10, 'b')]);
    expect(ticks.map((t) => [t.tick, ids(t)])).toEqual([
      [0, ['a']],
      [1, []],
      [2, []],
      [3, ['b']],
    ]);
  });

  it('keeps gateway time monotone: a late or untimed event joins the open tick at the current venue time', () => {
    const ticks = run([trade(T0 + 300_000, 'a'), trade(T0 + 100_000, 'late'), trade(null, 'untimed'), trade(T0 + 320_000, 'b')]);
    expect(ticks).toHaveLength(1);
    expect(ids(ticks[0]!)).toEqual(['a', 'late', 'untimed', 'b']);
    expect(times(ticks[0]!)).toEqual([T0 + 300_000, T0 + 300_000, T0 + 300_000, T0 + 320_000]);
    const late = ticks[0]!.outputs[1]!.value as Trade;
    expect(late.exchangeTimeUs).toBe(T0 + 100_000);
  });

  it('holds events received before any venue time until the first one', () => {
    const ticks = run([trade(null, 'early'), trade(T0 + 60_000, 'a')]);
    expect(ticks.map((t) => [t.tick, ids(t), times(t)])).toEqual([[0, ['early', 'a'], [T0 + 60_000, T0 + 60_000]]]);
  });

  it('orders same-time events by instrument, then venue, and numbers each (instrument, venue, kind) from 1', () => {
    const ticks = run([trade(T0 + 5, 'x', 'bybit', 'ETH-PERP'), trade(T0 + 5, 'y', 'binanceusdm', 'ETH-PERP'), trade(T0 + 5, 'z', 'bybit', 'BTC-PERP'), trade(T0 + 5, 'w', 'bybit', 'ETH-PERP')]);
    expect(ids(ticks[0]!)).toEqual(['z', 'y', 'x', 'w']);
    expect(ticks[0]!.outputs.map((o) => (o.value as { envelope: Envelope }).envelope.sequence)).toEqual([1, 1, 1, 2]);
  });

  it('gives the same ticks for the same events', () => {
    const events = [trade(T0 + 158_000, 'a'), trade(T0 + 700_000, 'b'), trade(T0 + 420_000, 'c')];
    expect(canonicalJson(run(events))).toBe(canonicalJson(run(events)));
  });

  it('has nothing to flush before any venue time', () => {
    expect(new VenueTimeTicker(TICK).flush()).toBeUndefined();
  });
});
