import Decimal from 'decimal.js';
import fc from 'fast-check';
import { digestOf } from '../canonical';
import { createStrategyConfig, defaultStrategyConfig, type StrategyConfig, type StrategyConfigOverrides } from '../config';
import { computeVolScalars } from '../fair-value/volatility';
import { type RiskView } from '../risk/risk-regime';
import { HEALTHY_VENUE, type VenueSnapshot } from '../risk/venue-snapshot';
import { asHalfSpread, computeVenueTargets, reservationPrice } from './avellaneda-stoikov';
import { computeQuotes } from './compute-quotes';
import { type QuoteContext, type VenueQuote } from './quote-types';

const cfg: StrategyConfig = defaultStrategyConfig();
const NORMAL: RiskView = { regime: 'Normal', killSwitch: false };

function ctx(c: StrategyConfig = cfg, over: Partial<QuoteContext> = {}): QuoteContext {
  const sigmaEff = c.volatility.volRef;
  return { fairValue: 100, fvAvailable: true, sigmaEff, volScalars: computeVolScalars(c.volatility, sigmaEff), risk: NORMAL, nowUs: 0, ...over };
}

function venue(c: StrategyConfig, i: number, over: Partial<VenueSnapshot> = {}, mid = 100, spread = 0.1): VenueSnapshot {
  return {
    venueId: c.venues[i].venueId,
    book: { venueId: c.venues[i].venueId, bestBid: mid - spread / 2, bestAsk: mid + spread / 2, bidDepth: 20, askDepth: 20, timestampUs: 0 },
    fundingRate8h: 0,
    positionQty: 0,
    avgEntryPrice: 100,
    distLiqSigma: 10,
    marginAvailableUsd: 10_000,
    health: HEALTHY_VENUE,
    ...over,
  };
}

function market(c: StrategyConfig = cfg, positions: readonly number[] = [0, 0, 0, 0, 0]): VenueSnapshot[] {
  return c.venues.map((_, i) => venue(c, i, { positionQty: positions[i] ?? 0 }));
}

function withOverrides(o: StrategyConfigOverrides): StrategyConfig {
  return createStrategyConfig('balanced', o);
}

function onGrid(text: string, step: number): boolean {
  return new Decimal(text).mod(new Decimal(step)).isZero();
}

function quoted(qs: readonly VenueQuote[]): VenueQuote[] {
  return qs.filter((q) => q.bid !== null || q.ask !== null);
}

describe('mm_quote_model_tests', () => {
  describe('passivity_bid_strictly_below_best_bid', () => {
    it('every bid is at most best bid − tick (so strictly below the best bid)', () => {
      const qs = computeQuotes(cfg, ctx(), market(cfg, [-30, 0, 0, 0, 0]));
      expect(quoted(qs)).toHaveLength(5);
      for (const q of qs) {
        const book = market()[q.venueIndex].book!;
        expect(q.bid!.price).toBeLessThan(book.bestBid);
        expect(q.bid!.price).toBeLessThanOrEqual(book.bestBid - cfg.venues[q.venueIndex].tickSize + 1e-9);
      }
    });
  });

  describe('passivity_ask_strictly_above_best_ask', () => {
    it('every ask is at least best ask + tick (so strictly above the best ask)', () => {
      const qs = computeQuotes(cfg, ctx(), market(cfg, [30, 0, 0, 0, 0]));
      for (const q of qs) {
        const book = market()[q.venueIndex].book!;
        expect(q.ask!.price).toBeGreaterThan(book.bestAsk);
        expect(q.ask!.price).toBeGreaterThanOrEqual(book.bestAsk + cfg.venues[q.venueIndex].tickSize - 1e-9);
      }
    });
  });

  describe('passivity_bid_ask_do_not_cross', () => {
    it('bid < ask, bid below best ask and ask above best bid, on the tick grid, for random books and inventories', () => {
      const arb = fc.record({
        mid: fc.double({ min: 1, max: 50_000, noNaN: true }),
        spreadTicks: fc.integer({ min: 1, max: 400 }),
        tick: fc.constantFrom(0.01, 0.05, 0.1, 0.5, 1),
        positions: fc.array(fc.double({ min: -200, max: 200, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fvOffsetBps: fc.double({ min: -100, max: 100, noNaN: true }),
        sigmaEff: fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
        funding: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        regime: fc.constantFrom<RiskView['regime']>('Normal', 'Warning'),
      });
      fc.assert(
        fc.property(arb, (a) => {
          const c = withOverrides({ venues: cfg.venues.map((v) => ({ ...v, tickSize: a.tick })), risk: { deltaLimitUsd: 1e12 } });
          const bid = Math.floor(a.mid / a.tick) * a.tick;
          const ask = bid + a.spreadTicks * a.tick;
          if (!(bid > 0)) return;
          const venues = c.venues.map((v, i) => ({
            ...venue(c, i, { positionQty: a.positions[i], fundingRate8h: a.funding, marginAvailableUsd: 1e9 }),
            book: { venueId: v.venueId, bestBid: bid, bestAsk: ask, bidDepth: 5, askDepth: 5, timestampUs: 0 },
          }));
          const S = ((bid + ask) / 2) * (1 + a.fvOffsetBps / 1e4);
          const qs = computeQuotes(c, ctx(c, { fairValue: S, sigmaEff: a.sigmaEff, volScalars: computeVolScalars(c.volatility, a.sigmaEff), risk: { regime: a.regime, killSwitch: false } }), venues);
          for (const q of qs) {
            if (q.bid) {
              expect(q.bid.price).toBeLessThanOrEqual(bid - a.tick + 1e-9 * bid);
              expect(q.bid.price).toBeLessThan(ask);
              expect(onGrid(q.bid.priceText, a.tick)).toBe(true);
              expect(q.bid.price).toBe(Number(q.bid.priceText));
            }
            if (q.ask) {
              expect(q.ask.price).toBeGreaterThanOrEqual(ask + a.tick - 1e-9 * ask);
              expect(q.ask.price).toBeGreaterThan(bid);
              expect(onGrid(q.ask.priceText, a.tick)).toBe(true);
            }
            if (q.bid && q.ask) expect(q.bid.price).toBeLessThan(q.ask.price);
          }
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('reservation_price_decreases_when_long', () => {
    it('a long global inventory lowers r and the bid', () => {
      const neutral = computeQuotes(cfg, ctx(), market(cfg, [0, 0, 0, 0, 0]));
      const long = computeQuotes(cfg, ctx(), market(cfg, [4, 4, 4, 4, 4]));
      for (let i = 0; i < 5; i++) {
        expect(long[i].model!.q).toBe(20);
        expect(long[i].model!.r).toBeLessThan(neutral[i].model!.r);
        expect(long[i].bid!.price).toBeLessThan(neutral[i].bid!.price);
      }
    });
    it('r is strictly decreasing in the inventory deviation (property)', () => {
      fc.assert(
        fc.property(
          fc.double({ min: -1000, max: 1000, noNaN: true }),
          fc.double({ min: 1e-3, max: 1000, noNaN: true }),
          fc.double({ min: 1, max: 1e5, noNaN: true }),
          fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
          (q, dq, S, sigmaEff) => {
            const base = { S, basis: 0, funding: 0, sigmaEff };
            expect(reservationPrice(cfg.quoting, { ...base, inventoryDeviation: q + dq })).toBeLessThan(reservationPrice(cfg.quoting, { ...base, inventoryDeviation: q }));
          },
        ),
      );
    });
    it('r is strictly decreasing in any venue position through computeQuotes (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0.01, max: 50, noNaN: true }), (pos, j, dq) => {
          const a = computeQuotes(cfg, ctx(), market(cfg, pos));
          const bumped = pos.map((p, i) => (i === j ? p + dq : p));
          const b = computeQuotes(cfg, ctx(), market(cfg, bumped));
          for (let i = 0; i < 5; i++) if (a[i].model && b[i].model) expect(b[i].model!.r).toBeLessThan(a[i].model!.r);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('reservation_price_increases_when_short', () => {
    it('a short global inventory raises r and the ask', () => {
      const neutral = computeQuotes(cfg, ctx(), market(cfg));
      const short = computeQuotes(cfg, ctx(), market(cfg, [-4, -4, -4, -4, -4]));
      for (let i = 0; i < 5; i++) {
        expect(short[i].model!.r).toBeGreaterThan(neutral[i].model!.r);
        expect(short[i].ask!.price).toBeGreaterThan(neutral[i].ask!.price);
      }
    });
  });

  describe('hardlimit_produces_no_quotes_even_if_kill_switch_false', () => {
    it('HardLimit alone blocks every quote', () => {
      for (const q of computeQuotes(cfg, ctx(cfg, { risk: { regime: 'HardLimit', killSwitch: false } }), market())) {
        expect([q.bid, q.ask, q.skipReason]).toEqual([null, null, 'halted']);
      }
    });
  });

  describe('kill_switch_produces_no_quotes', () => {
    it('the kill switch blocks every quote', () => {
      for (const q of computeQuotes(cfg, ctx(cfg, { risk: { regime: 'HardLimit', killSwitch: true } }), market())) {
        expect([q.bid, q.ask]).toEqual([null, null]);
      }
    });
  });

  describe('warning_regime_widens_spread', () => {
    it('the quoted spread and the model half-spread are wider in Warning', () => {
      const n = computeQuotes(cfg, ctx(), market());
      const w = computeQuotes(cfg, ctx(cfg, { risk: { regime: 'Warning', killSwitch: false } }), market());
      for (let i = 0; i < 5; i++) {
        expect(w[i].model!.delta).toBeCloseTo(n[i].model!.delta * cfg.quoting.warningSpreadMult, 12);
        expect(w[i].ask!.price - w[i].bid!.price).toBeGreaterThan(n[i].ask!.price - n[i].bid!.price);
      }
    });
  });

  describe('half-spread floor: net of the maker fee, widened with volatility', () => {
    it('the floor adds the venue maker fee (a rebate narrows it) and scales with spreadMult', () => {
      const fees = [0.0002, 0.0001, -0.00005, 0, 0.0005];
      const c = withOverrides({ venues: cfg.venues.map((v, i) => ({ ...v, makerFee: fees[i] })) });
      // At 3,000 the A–S δ* (≈ 0.1) is under the floor (0.6 before fees).
      const m = c.venues.map((_, i) => venue(c, i, {}, 3000, 0.3));
      const qs = computeQuotes(c, ctx(c, { fairValue: 3000 }), m);
      for (let i = 0; i < 5; i++) expect(qs[i].model!.delta).toBeCloseTo(3000 * (c.quoting.minHalfSpreadBps / 1e4 + fees[i]), 9);
      const hot = computeVolScalars(c.volatility, 3 * c.volatility.volRef);
      const wide = computeQuotes(c, ctx(c, { fairValue: 3000, sigmaEff: 3 * c.volatility.volRef, volScalars: hot }), m);
      for (let i = 0; i < 5; i++) expect(wide[i].model!.delta).toBeCloseTo(qs[i].model!.delta * hot.spreadMult, 9);
      expect(hot.spreadMult).toBeCloseTo(3, 12);
    });
  });

  describe('warning_regime_caps_size', () => {
    it('sizes are at most warningSizeCap in Warning while Normal sizes exceed it', () => {
      const n = computeQuotes(cfg, ctx(), market());
      const w = computeQuotes(cfg, ctx(cfg, { risk: { regime: 'Warning', killSwitch: false } }), market());
      for (let i = 0; i < 5; i++) {
        expect(n[i].bid!.size).toBeGreaterThan(cfg.quoting.warningSizeCap);
        expect(w[i].bid!.size).toBeLessThanOrEqual(cfg.quoting.warningSizeCap);
        expect(w[i].ask!.size).toBeLessThanOrEqual(cfg.quoting.warningSizeCap);
      }
    });
  });

  describe('disabled_venue_produces_no_quotes', () => {
    it('venue 0 disabled gets nothing, the others still quote', () => {
      const m = market();
      m[0] = { ...m[0], health: { ...HEALTHY_VENUE, disabled: true } };
      const qs = computeQuotes(cfg, ctx(), m);
      expect([qs[0].bid, qs[0].ask, qs[0].skipReason]).toEqual([null, null, 'disabled']);
      expect(quoted(qs.slice(1))).toHaveLength(4);
    });
  });

  describe('high_toxicity_venue_produces_no_quotes', () => {
    it('a toxicity score above the threshold (or the toxic flag) blocks the venue', () => {
      const m = market();
      m[0] = { ...m[0], health: { ...HEALTHY_VENUE, toxicity: 0.95 } };
      m[1] = { ...m[1], health: { ...HEALTHY_VENUE, toxic: true } };
      const qs = computeQuotes(cfg, ctx(), m);
      expect(qs[0].skipReason).toBe('toxic');
      expect(qs[1].skipReason).toBe('toxic');
      expect([qs[0].bid, qs[0].ask, qs[1].bid, qs[1].ask]).toEqual([null, null, null, null]);
      expect(qs[2].bid).not.toBeNull();
    });
  });

  describe('stale_book_produces_no_quotes', () => {
    it('an old book or the stale flag blocks the venue', () => {
      const m = market();
      m[0] = { ...m[0], book: { ...m[0].book!, timestampUs: -cfg.fairValue.staleBookMaxAgeUs - 1 } };
      m[1] = { ...m[1], book: null };
      const qs = computeQuotes(cfg, ctx(), m);
      expect(qs[0].skipReason).toBe('stale');
      expect(qs[1].skipReason).toBe('no-book');
    });
  });

  describe('critical_liquidation_distance_produces_no_quotes', () => {
    it('a venue below liqCritSigma gets no quotes', () => {
      const m = market();
      m[0] = { ...m[0], distLiqSigma: cfg.risk.liqCritSigma - 0.5 };
      const qs = computeQuotes(cfg, ctx(), m);
      expect([qs[0].bid, qs[0].ask, qs[0].skipReason]).toEqual([null, null, 'critical-liquidation']);
    });
  });

  describe('size_respects_max_order_size', () => {
    it('sizes never exceed the venue max order size', () => {
      const c = withOverrides({ venues: cfg.venues.map((v, i) => ({ ...v, maxOrderSize: 0.5 + i * 0.25 })) });
      const qs = computeQuotes(c, ctx(c), market(c));
      for (const q of qs) {
        expect(q.bid!.size).toBe(Math.min(c.venues[q.venueIndex].maxOrderSize, c.quoting.baseOrderSize));
        expect(q.ask!.size).toBeLessThanOrEqual(c.venues[q.venueIndex].maxOrderSize);
      }
    });
  });

  describe('size_respects_lot_size', () => {
    it('sizes are exact multiples of the size step and at least the lot size', () => {
      const c = withOverrides({ venues: cfg.venues.map((v) => ({ ...v, sizeStep: 0.07, lotSize: 0.14 })), quoting: { baseOrderSize: 1 } });
      const qs = computeQuotes(c, ctx(c), market(c));
      for (const q of qs) {
        for (const side of [q.bid!, q.ask!]) {
          expect(side.sizeText).toBe('0.98');
          expect(onGrid(side.sizeText, 0.07)).toBe(true);
          expect(side.size).toBeGreaterThanOrEqual(0.14);
        }
      }
    });
    it('drops a side whose size falls below the lot size', () => {
      const c = withOverrides({ venues: cfg.venues.map((v) => ({ ...v, lotSize: 3, sizeStep: 1 })) });
      expect(quoted(computeQuotes(c, ctx(c), market(c)))).toEqual([]);
    });
  });

  describe('liquidation_warning_shrinks_size', () => {
    it('inside the warning zone the risk-increasing size shrinks', () => {
      const m = market();
      const normal = computeQuotes(cfg, ctx(), m);
      m[0] = { ...m[0], distLiqSigma: cfg.risk.liqWarnSigma - 1 };
      const warn = computeQuotes(cfg, ctx(), m);
      expect(warn[0].bid!.size).toBeLessThan(normal[0].bid!.size);
      expect(warn[0].ask!.size).toBeLessThan(normal[0].ask!.size);
      expect(warn[1].bid!.size).toBe(normal[1].bid!.size);
    });
  });

  describe('venue_targets_scale_with_depth', () => {
    it('deeper venues get a larger liquidity weight and target', () => {
      const m = market();
      const depths = [30_000, 15_000, 5_000, 1_000, 1_000];
      const mm = m.map((v, i) => ({ ...v, book: { ...v.book!, bidDepth: depths[i] / 2, askDepth: depths[i] / 2 } }));
      const t = computeVenueTargets(cfg, mm, 10);
      expect(t[0].wLiq).toBeGreaterThan(t[1].wLiq);
      expect(t[1].wLiq).toBeGreaterThan(t[2].wLiq);
      expect(t[0].qTarget).toBeGreaterThan(t[1].qTarget);
      expect(t.reduce((a, x) => a + x.wLiq, 0)).toBeCloseTo(1, 12);
    });
    it('positive funding tilts the target short, negative long', () => {
      const m = market();
      m[0] = { ...m[0], fundingRate8h: 0.001 };
      m[1] = { ...m[1], fundingRate8h: -0.001 };
      const t = computeVenueTargets(cfg, m, 0);
      expect(t[0].qTarget).toBeCloseTo(-cfg.quoting.fundingTargetQty, 12);
      expect(t[1].qTarget).toBeCloseTo(cfg.quoting.fundingTargetQty, 12);
      expect(t[2].qTarget).toBe(0);
    });
  });

  describe('extreme_delta_produces_no_quotes', () => {
    it('at or beyond extremeDeltaFraction of the delta limit nothing is quoted', () => {
      const q = (cfg.quoting.extremeDeltaFraction * cfg.risk.deltaLimitUsd) / 100 / 5;
      const qs = computeQuotes(cfg, ctx(), market(cfg, [q, q, q, q, q]));
      for (const v of qs) expect([v.bid, v.ask, v.skipReason]).toEqual([null, null, 'extreme-delta']);
    });
  });

  describe('high_delta_only_allows_risk_reducing', () => {
    it('long beyond the threshold: asks only; short: bids only', () => {
      const q = (0.9 * cfg.risk.deltaLimitUsd) / 100 / 5;
      const long = computeQuotes(cfg, ctx(), market(cfg, [q, q, q, q, q]));
      const short = computeQuotes(cfg, ctx(), market(cfg, [-q, -q, -q, -q, -q]));
      for (let i = 0; i < 5; i++) {
        expect(long[i].bid).toBeNull();
        expect(long[i].ask).not.toBeNull();
        expect(short[i].ask).toBeNull();
        expect(short[i].bid).not.toBeNull();
      }
    });
  });

  describe('model inputs attached for audit', () => {
    it('carries S, basis, funding, sigma_eff, gamma, tau, q, q_target, r and delta', () => {
      const m = market(cfg, [1, 0, 0, 0, 0]);
      m[2] = { ...m[2], fundingRate8h: 0.0005 };
      const [q0, , q2] = computeQuotes(cfg, ctx(), m);
      expect(q0.model).toMatchObject({ S: 100, gamma: cfg.quoting.gamma, tau: cfg.quoting.tauSec, q: 1, qVenue: 1, sigmaEff: cfg.volatility.volRef });
      expect(q0.model!.deltaStar).toBeCloseTo(asHalfSpread(cfg.quoting.gamma, cfg.quoting.k), 15);
      expect(q0.model!.deltaStar).toBeCloseTo(Math.log(1 + 0.1 / 10) / 0.1, 12);
      expect(q2.model!.funding).toBe(0.0005);
      expect(q2.model!.r).toBeGreaterThan(q0.model!.r);
    });
    it('gives the same digest for the same inputs', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 5, maxLength: 5 }), (pos) => {
          expect(digestOf(computeQuotes(cfg, ctx(), market(cfg, pos)))).toBe(digestOf(computeQuotes(cfg, ctx(), market(cfg, pos))));
        }),
        { numRuns: 30 },
      );
    });
    it('no fair value, no quotes', () => {
      for (const q of computeQuotes(cfg, ctx(cfg, { fvAvailable: false }), market())) expect(q.skipReason).toBe('no-fair-value');
    });
  });
});
