import { type BookSnapshot, type OrderCommand, Topics, type Trade } from '@fleet/contracts';
import { type BookEvent, generateMarketEvents, type TradeEvent } from '@fleet/core';
import { bookSnapshotFromSim, tradeFromSim } from '@fleet/events';
import { type LaneSessionConfig, type LaneTick, laneScenario, laneSeed } from '@fleet/service';
import { cancel, laneEvent, place } from './lane-fixtures';

/**
 * A simulated lane for execution-router specs: the session's markets (every instrument) as
 * market-gateway publishes them, cut into ticks, with a simple open-loop quoter writing the
 * order commands: each tick, on every venue that published a book, a post-only bid at the best
 * bid and a post-only ask at the best ask, cancelled two ticks later; every third tick an IOC
 * buy one cent through the best ask of the first venue; every fifth tick a post-only buy at the
 * best ask (the venue rejects it, or it rests if the book moved away).
 */
export function simulatedLaneTicks(session: LaneSessionConfig, partition = 2): LaneTick[] {
  const startUs = laneScenario(session, session.instruments[0]!).sim.startTimeUs;
  const count = Math.ceil(session.durationUs / session.tickUs);
  const books: BookSnapshot[][] = Array.from({ length: count }, () => []);
  const trades: Trade[][] = Array.from({ length: count }, () => []);
  const tickOf = (t: number): number => Math.min(count - 1, Math.max(0, Math.ceil((t - startUs) / session.tickUs) - 1));
  for (const instrument of session.instruments) {
    const scenario = laneScenario(session, instrument);
    const sequences = new Map<string, number>();
    for (const e of generateMarketEvents(scenario, laneSeed(session, instrument))) {
      if (e.type !== 'book' && e.type !== 'trade') continue;
      const spec = scenario.sim.venues.find((v) => v.venue === e.venue)!;
      const seq = (sequences.get(`${e.type}:${e.venue}`) ?? 0) + 1;
      sequences.set(`${e.type}:${e.venue}`, seq);
      if (e.type === 'book') books[tickOf(e.eventTimeUs)]!.push(bookSnapshotFromSim(e as BookEvent, spec, seq));
      else trades[tickOf(e.eventTimeUs)]!.push(tradeFromSim(e as TradeEvent, spec, seq));
    }
  }
  const placed: OrderCommand[][] = [];
  return books.map((tickBooks, tick) => {
    const closeUs = startUs + (tick + 1) * session.tickUs;
    const latest = new Map<string, BookSnapshot>();
    for (const b of tickBooks) latest.set(`${b.instrument}|${b.venue}`, b);
    const commands: OrderCommand[] = [];
    let n = 0;
    for (const key of [...latest.keys()].sort()) {
      const b = latest.get(key)!;
      if (b.bids[0] === undefined || b.asks[0] === undefined) continue;
      commands.push(place({ instrument: b.instrument, venue: b.venue, side: 'BUY', price: b.bids[0].price, size: '0.2', timeInForce: 'POST_ONLY', n: n++ }, closeUs));
      commands.push(place({ instrument: b.instrument, venue: b.venue, side: 'SELL', price: b.asks[0].price, size: '0.2', timeInForce: 'POST_ONLY', n: n++ }, closeUs));
      if (tick % 5 === 1) commands.push(place({ instrument: b.instrument, venue: b.venue, side: 'BUY', price: b.asks[0].price, size: '0.1', timeInForce: 'POST_ONLY', n: n++ }, closeUs));
      if (tick % 3 === 0 && b.venue === 'venue-a') {
        const through = (Number(b.asks[0].price) + 0.01).toFixed(2);
        commands.push(place({ instrument: b.instrument, venue: b.venue, side: 'BUY', price: through, size: '0.3', timeInForce: 'IOC', n: n++ }, closeUs));
      }
    }
    const cancels = (placed[tick - 2] ?? []).filter((c) => c.placement?.timeInForce === 'POST_ONLY').map((c) => cancel(c, closeUs));
    placed.push(commands);
    const events = [
      ...tickBooks.map((v, i) => laneEvent(Topics.mdBook, 'market-gateway', v, i, tick)),
      ...trades[tick]!.map((v, i) => laneEvent(Topics.mdTrade, 'market-gateway', v, i, tick)),
      ...[...commands, ...cancels].map((v, i) => laneEvent(Topics.orderCommand, 'budget-ledger', v, i, tick)),
    ].map((e) => ({ ...e, partition }));
    return { partition, tick, tickTimeUs: closeUs, events };
  });
}
