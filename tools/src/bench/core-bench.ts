/**
 * Core benchmark (prints figures; not a test).
 *
 *   npx tsx tools/src/bench/core-bench.ts [bookUpdates=1000000] [sessionSeconds=1800]
 *
 * (a) Generates a seeded multi-venue session (4 venues) with the simulator, keeps only the book
 *     tops in typed arrays, then replays them through fair value (Kalman + gating + EWMA vol)
 *     and quoting (per-venue Avellaneda–Stoikov quotes) and prints book updates per second on
 *     one core. The harness itself reuses its book and snapshot objects (no allocation per
 *     update); the figures also split the time between fair value and quoting.
 * (b) Runs the whole runner (sim + paper exchange + step + session digest) over a calm session
 *     and prints steps per second.
 */
import {
  calmScenario,
  computeQuotes,
  computeVenueQuote,
  computeVenueTargets,
  computeVolScalars,
  gridSteps,
  gridText,
  gridValue,
  HEALTHY_VENUE,
  quoteHalfSpread,
  quoteSize,
  quoteSizeSteps,
  rawQuoteSize,
  reservationPrice,
  roundBidPrice,
  initialFairValueState,
  MarketSim,
  runnerConfigForScenario,
  runSession,
  simVenue,
  stepFairValue,
  type FairValueState,
  type QuoteContext,
  type VenueBookTop,
  type VenueSnapshot,
} from '@fleet/core';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const target = Number(process.argv[2] ?? 1_000_000);
const sessionSeconds = Number(process.argv[3] ?? 1800);
const VENUES = 4;

function ns(): bigint {
  return process.hrtime.bigint();
}

// ---- (a) fair value + quoting over ≥ target book updates ----
const venues = Array.from({ length: VENUES }, (_, i) => simVenue(`venue-${String.fromCharCode(97 + i)}`, { basisBps: i - 1.5, tradeRatePerSec: 0 }));
const stepUs = 100_000;
const steps = Math.ceil(target / VENUES);
const scenario = calmScenario({ venues, stepUs, durationUs: steps * stepUs, markIntervalUs: 1_000_000_000, fundingPublishUs: 1_000_000_000 });
const tGen = ns();
const n = steps * VENUES;
const vIdx = new Uint8Array(n);
const tUs = new Float64Array(n);
const bid = new Float64Array(n);
const ask = new Float64Array(n);
const bidSz = new Float64Array(n);
const askSz = new Float64Array(n);
const sim = new MarketSim(scenario, 'bench');
let count = 0;
for (let e = sim.next(); e !== undefined && count < n; e = sim.next()) {
  if (e.type !== 'book') continue;
  vIdx[count] = venues.findIndex((v) => v.venue === e.venue);
  tUs[count] = e.eventTimeUs;
  bid[count] = e.bids[0]!.price;
  ask[count] = e.asks[0]!.price;
  bidSz[count] = e.bids[0]!.size;
  askSz[count] = e.asks[0]!.size;
  count += 1;
}
const genMs = Number(ns() - tGen) / 1e6;

const config = runnerConfigForScenario(scenario);
const cfg = config.strategy;
const books: Mutable<VenueBookTop>[] = venues.map((v) => ({ venueId: v.venue, bestBid: 0, bestAsk: 0, bidDepth: 0, askDepth: 0, timestampUs: 0 }));
const bookRefs: (VenueBookTop | null)[] = venues.map(() => null);
const snaps: Mutable<VenueSnapshot>[] = venues.map((v) => ({ venueId: v.venue, book: null, fundingRate8h: 0.0001, positionQty: 0, avgEntryPrice: 0, distLiqSigma: Infinity, marginAvailableUsd: 100_000, health: HEALTHY_VENUE }));
const ctx: Mutable<QuoteContext> = { fairValue: null, fvAvailable: false, sigmaEff: 0, volScalars: computeVolScalars(cfg.volatility, cfg.volatility.volRef), risk: { regime: 'Normal', killSwitch: false }, nowUs: 0 };

/** Replays the tape: fair value on every update, then quotes for every venue (`all`) or only the venue whose book changed (`updated`). */
function replay(withFv: boolean, withQuotes: boolean, scope: 'all' | 'updated' = 'all'): { ms: number; cpuMs: number; quotes: number } {
  let fv: FairValueState = initialFairValueState(cfg);
  let quotes = 0;
  for (let i = 0; i < venues.length; i++) {
    bookRefs[i] = null;
    snaps[i]!.book = null;
  }
  const t0 = ns();
  const c0 = process.cpuUsage();
  for (let k = 0; k < count; k++) {
    const i = vIdx[k]!;
    const b = books[i]!;
    b.bestBid = bid[k]!;
    b.bestAsk = ask[k]!;
    b.bidDepth = bidSz[k]!;
    b.askDepth = askSz[k]!;
    b.timestampUs = tUs[k]!;
    bookRefs[i] = b;
    snaps[i]!.book = b;
    if (withFv) fv = stepFairValue(cfg, fv, bookRefs, tUs[k]!);
    if (withQuotes) {
      ctx.fairValue = withFv ? fv.fairValue : (b.bestBid + b.bestAsk) / 2;
      ctx.fvAvailable = withFv ? fv.fvAvailable : k >= venues.length;
      ctx.sigmaEff = withFv ? fv.sigmaEff : cfg.volatility.volRef;
      ctx.volScalars = computeVolScalars(cfg.volatility, ctx.sigmaEff);
      ctx.nowUs = tUs[k]!;
      if (scope === 'all') {
        const q = computeQuotes(cfg, ctx, snaps);
        for (let j = 0; j < q.length; j++) if (q[j]!.bid !== null) quotes += 1;
      } else {
        const targets = computeVenueTargets(cfg, snaps, 0);
        if (computeVenueQuote(cfg, ctx, snaps[i]!, i, targets[i]!, 0).bid !== null) quotes += 1;
      }
    }
  }
  const c = process.cpuUsage(c0);
  return { ms: Number(ns() - t0) / 1e6, cpuMs: (c.user + c.system) / 1e3, quotes };
}

replay(true, true); // warm-up (JIT)
const both = replay(true, true);
const fvOnly = replay(true, false);
const quoteOnly = replay(false, true);
const updatedOnly = replay(true, true, 'updated');
const rate = (ms: number): string => `${((count / ms) * 1000).toFixed(0)} updates/s (${((ms * 1e6) / count).toFixed(0)} ns/update)`;
// On a shared box the wall clock includes time the process waited for a core; CPU time does not.
const cpuRate = (r: { cpuMs: number }): string => `cpu: ${((count / r.cpuMs) * 1000).toFixed(0)} updates/cpu-s`;
console.log(`(a) fair value + quoting: ${count} book updates on ${VENUES} venues (generated in ${genMs.toFixed(0)} ms)`);
console.log(`    fair value + quoting : ${rate(both.ms)}  [${both.quotes} venue-bid quotes]  ${cpuRate(both)}`);
console.log(`    fair value only      : ${rate(fvOnly.ms)}  ${cpuRate(fvOnly)}`);
console.log(`    quoting only         : ${rate(quoteOnly.ms)}  ${cpuRate(quoteOnly)}`);
console.log(`    fair value + quoting of the updated venue only: ${rate(updatedOnly.ms)}  [${updatedOnly.quotes} bid quotes]  ${cpuRate(updatedOnly)}`);

// ---- where the quoting time goes: per-call cost of its pieces ----
function perCall(name: string, f: (k: number) => unknown): void {
  const calls = 1_000_000;
  for (let k = 0; k < 100_000; k++) f(k);
  const t = ns();
  let sink = 0;
  for (let k = 0; k < calls; k++) if (f(k) !== null) sink += 1;
  console.log(`      ${name.padEnd(34)} ${(Number(ns() - t) / calls).toFixed(0).padStart(5)} ns/call${sink < 0 ? '!' : ''}`);
}
{
  for (const s of snaps) s.book = { venueId: s.venueId, bestBid: 2999.85, bestAsk: 3000.15, bidDepth: 4, askDepth: 4, timestampUs: 0 };
  const targets = computeVenueTargets(cfg, snaps, 0);
  const qctx: QuoteContext = { fairValue: 3000, fvAvailable: true, sigmaEff: 1.5e-4, volScalars: computeVolScalars(cfg.volatility, 1.5e-4), risk: { regime: 'Normal', killSwitch: false }, nowUs: 0 };
  const v0 = cfg.venues[0]!;
  console.log('    quoting breakdown (one venue):');
  perCall('computeVenueQuote (bid + ask)', (k) => computeVenueQuote(cfg, { ...qctx, fairValue: 3000 + (k % 7) * 0.01 }, snaps[0]!, 0, targets[0]!, 0));
  perCall('computeVenueTargets (all venues)', () => computeVenueTargets(cfg, snaps, 0));
  perCall('reservationPrice', (k) => reservationPrice(cfg.quoting, { S: 3000 + k * 1e-6, basis: 0.1, funding: 1e-4, sigmaEff: 1.5e-4, inventoryDeviation: 0 }));
  perCall('quoteHalfSpread', () => quoteHalfSpread(cfg.quoting, 3000, qctx.volScalars, 'Normal'));
  perCall('roundBidPrice (grid value + text)', (k) => roundBidPrice(2999.8 - (k % 100) * 0.01 + 0.003, v0.tickSize));
  perCall('gridSteps + gridValue (quoting path)', (k) => gridValue(gridSteps(2999.8 - (k % 100) * 0.01 + 0.003, v0.tickSize, 'down'), v0.tickSize));
  perCall('gridText (on place/replace only)', (k) => gridText(299_980 - (k % 100), v0.tickSize));
  perCall('quoteSize (size model + text)', (k) => quoteSize(cfg, v0, { side: 'buy', price: 2999.8 - (k % 5) * 0.01, S: 3000, regime: 'Normal', sizeMult: 1, qGlobal: 0, qVenue: 0, marginAvailableUsd: 1e5, distLiqSigma: Infinity }));
  perCall('quoteSizeSteps (size model, steps)', (k) => {
    const price = 2999.8 - (k % 5) * 0.01;
    return quoteSizeSteps(v0, rawQuoteSize(cfg, v0, { side: 'buy', price, S: 3000, regime: 'Normal', sizeMult: 1, qGlobal: 0, qVenue: 0, marginAvailableUsd: 1e5, distLiqSigma: Infinity }), price);
  });
}

// ---- (b) the whole runner ----
const session = calmScenario({ durationUs: sessionSeconds * 1_000_000 });
const sessionConfig = runnerConfigForScenario(session);
runSession(sessionConfig, calmScenario({ durationUs: 60_000_000 }), 'warm', { recordActions: false });
const t1 = ns();
const result = runSession(sessionConfig, session, 'bench', { recordActions: false });
const sessionMs = Number(ns() - t1) / 1e6;
const s = result.summary;
console.log(`(b) whole runner (sim + paper exchange + step + digest): ${s.steps} steps over ${sessionSeconds} simulated seconds, 3 venues`);
console.log(`    ${((s.steps / sessionMs) * 1000).toFixed(0)} steps/s (${((sessionMs * 1000) / s.steps).toFixed(1)} µs/step), ${s.actions} actions, ${s.fills} fills, wall ${sessionMs.toFixed(0)} ms`);
let simOnly = 0;
const t2 = ns();
const sim2 = new MarketSim(session, 'bench');
for (let e = sim2.next(); e !== undefined; e = sim2.next()) simOnly += 1;
const simMs = Number(ns() - t2) / 1e6;
console.log(`    of which the simulator alone: ${simOnly} events in ${simMs.toFixed(0)} ms (${((simOnly / simMs) * 1000).toFixed(0)} events/s)`);
