import fc from 'fast-check';
import { defaultStrategyConfig, type StrategyConfig } from '../config';
import { computeVolScalars } from '../fair-value/volatility';
import { computeExitPlan } from '../exit';
import { computeHedgeAllocation } from '../hedge';
import { computeQuotes } from '../quoting';
import {
  evaluateRisk,
  initialRiskState,
  isTradingHalted,
  KILL_REASON_PRIORITY,
  resetKillSwitch,
  type RiskInputs,
  type RiskState,
} from './risk-regime';
import { HEALTHY_VENUE, riskInputsFromVenues, venueSkipReason, type VenueSnapshot } from './venue-snapshot';

const cfg: StrategyConfig = defaultStrategyConfig();
const limits = cfg.risk;
const calm: RiskInputs = { dailyPnlUsd: 0, dollarDeltaUsd: 0, basisExposureUsd: 0, minDistLiqSigma: Infinity };

function venue(i: number, mid: number, positionQty = 0, avgEntryPrice = 100): VenueSnapshot {
  return {
    venueId: cfg.venues[i].venueId,
    book: { venueId: cfg.venues[i].venueId, bestBid: mid - 0.05, bestAsk: mid + 0.05, bidDepth: 50, askDepth: 50, timestampUs: 0 },
    fundingRate8h: 0,
    positionQty,
    avgEntryPrice,
    distLiqSigma: 10,
    marginAvailableUsd: 100_000,
    health: HEALTHY_VENUE,
  };
}

function killedBy(inputs: RiskInputs): RiskState {
  return evaluateRisk(limits, initialRiskState(), inputs, 1_000).state;
}

describe('risk_regim_tests', () => {
  describe('hardlimit_and_kill_switch_when_loss_limit_breached', () => {
    it('trips the kill switch with DailyLossBreach and HardLimit once the loss reaches the limit', () => {
      const s = killedBy({ ...calm, dailyPnlUsd: -limits.dailyLossLimitUsd });
      expect(s).toEqual({ regime: 'HardLimit', killSwitch: true, killReason: 'DailyLossBreach', killedAtUs: 1_000 });
    });
    it('does not trip just inside the limit (Warning instead)', () => {
      const s = killedBy({ ...calm, dailyPnlUsd: -limits.dailyLossLimitUsd + 1 });
      expect(s.killSwitch).toBe(false);
      expect(s.regime).toBe('Warning');
    });
  });

  describe('hardlimit_and_kill_switch_when_delta_limit_breached', () => {
    it.each([1, -1])('trips on |delta| ≥ limit (sign %d)', (sign) => {
      const s = killedBy({ ...calm, dollarDeltaUsd: sign * (limits.deltaLimitUsd + 1) });
      expect(s.regime).toBe('HardLimit');
      expect(s.killSwitch).toBe(true);
      expect(s.killReason).toBe('DeltaBreach');
    });
  });

  describe('hardlimit_and_kill_switch_when_basis_limit_breached', () => {
    it('trips on |basis exposure| ≥ limit', () => {
      const s = killedBy({ ...calm, basisExposureUsd: -limits.basisLimitUsd * 1.5 });
      expect([s.regime, s.killSwitch, s.killReason]).toEqual(['HardLimit', true, 'BasisBreach']);
    });
  });

  describe('hardlimit_and_kill_switch_when_liquidation_distance_breached', () => {
    it('trips when the smallest liquidation distance is at or below liqCritSigma', () => {
      const s = killedBy({ ...calm, minDistLiqSigma: limits.liqCritSigma });
      expect([s.regime, s.killSwitch, s.killReason]).toEqual(['HardLimit', true, 'LiquidationDistanceBreach']);
    });
    it('is only Warning inside the warning zone', () => {
      const s = killedBy({ ...calm, minDistLiqSigma: (limits.liqCritSigma + limits.liqWarnSigma) / 2 });
      expect([s.regime, s.killSwitch]).toEqual(['Warning', false]);
    });
  });

  describe('kill_switch_latches_once_true', () => {
    it('stays on, HardLimit, with the FIRST reason after the breach clears or another breach comes', () => {
      let s = killedBy({ ...calm, dollarDeltaUsd: limits.deltaLimitUsd * 2 });
      expect(s.killReason).toBe('DeltaBreach');
      s = evaluateRisk(limits, s, calm, 2_000).state;
      expect([s.regime, s.killSwitch, s.killReason, s.killedAtUs]).toEqual(['HardLimit', true, 'DeltaBreach', 1_000]);
      s = evaluateRisk(limits, s, { ...calm, dailyPnlUsd: -limits.dailyLossLimitUsd * 3 }, 3_000).state;
      expect(s.killReason).toBe('DeltaBreach');
    });
    it('reports simultaneous breaches in priority order and latches the first', () => {
      const ev = evaluateRisk(limits, initialRiskState(), { dailyPnlUsd: -1e9, dollarDeltaUsd: 1e9, basisExposureUsd: 1e9, minDistLiqSigma: 0 }, 5);
      expect(ev.breaches).toEqual(KILL_REASON_PRIORITY);
      expect(ev.state.killReason).toBe('DailyLossBreach');
    });
    it('is cleared only by an explicit operator reset', () => {
      const s = killedBy({ ...calm, basisExposureUsd: limits.basisLimitUsd });
      const cleared = resetKillSwitch(s, { kind: 'operator-reset', operatorId: 'ops-1', reason: 'limit raised' });
      expect(cleared).toEqual(initialRiskState());
      expect(() => resetKillSwitch(s, { kind: 'operator-reset', operatorId: '', reason: 'x' })).toThrow(/operatorId.*received ""/);
      expect(() => resetKillSwitch(s, { kind: 'auto' as 'operator-reset', operatorId: 'a', reason: 'x' })).toThrow(/received kind "auto"/);
    });
    it('re-trips after a reset while the limit is still breached', () => {
      const bad = { ...calm, dailyPnlUsd: -limits.dailyLossLimitUsd * 2 };
      const s = resetKillSwitch(killedBy(bad), { kind: 'operator-reset', operatorId: 'ops', reason: 'test' });
      expect(evaluateRisk(limits, s, bad, 9).state.killSwitch).toBe(true);
    });
    it('invariant: killSwitch implies HardLimit, and the reason is the first breach, for any input sequence', () => {
      const inputs = fc.record({
        dailyPnlUsd: fc.double({ min: -3 * limits.dailyLossLimitUsd, max: 1000, noNaN: true }),
        dollarDeltaUsd: fc.double({ min: -2 * limits.deltaLimitUsd, max: 2 * limits.deltaLimitUsd, noNaN: true }),
        basisExposureUsd: fc.double({ min: -2 * limits.basisLimitUsd, max: 2 * limits.basisLimitUsd, noNaN: true }),
        minDistLiqSigma: fc.double({ min: 0, max: 20, noNaN: true }),
      });
      fc.assert(
        fc.property(fc.array(inputs, { maxLength: 30 }), (seq) => {
          let s = initialRiskState();
          let first: string | null = null;
          seq.forEach((inp, t) => {
            const ev = evaluateRisk(limits, s, inp, t);
            if (first === null && ev.breaches.length > 0) first = ev.breaches[0];
            s = ev.state;
            if (s.killSwitch) {
              expect(s.regime).toBe('HardLimit');
              expect(s.killReason).toBe(first);
              expect(isTradingHalted(s)).toBe(true);
            } else {
              expect(s.killReason).toBe('None');
            }
          });
        }),
      );
    });
  });

  const market = [venue(0, 100, 30, 99), venue(1, 100.5), venue(2, 101), venue(3, 100.2), venue(4, 99.9)];
  const fvCtx = { fairValue: 100, fvAvailable: true, sigmaEff: cfg.volatility.volRef, volScalars: computeVolScalars(cfg.volatility, cfg.volatility.volRef), nowUs: 0 };

  describe('hardlimit_from_delta_breach_triggers_kill_and_disables_mm', () => {
    it('a delta breach trips the kill switch and the quote model then produces no quotes on any venue', () => {
      const normal = initialRiskState();
      const before = computeQuotes(cfg, { ...fvCtx, risk: normal }, market);
      expect(before.some((q) => q.bid !== null || q.ask !== null)).toBe(true);
      const s = killedBy({ ...calm, dollarDeltaUsd: limits.deltaLimitUsd * 1.01 });
      expect([s.regime, s.killSwitch, s.killReason]).toEqual(['HardLimit', true, 'DeltaBreach']);
      const after = computeQuotes(cfg, { ...fvCtx, risk: s }, market);
      for (const q of after) {
        expect(q.bid).toBeNull();
        expect(q.ask).toBeNull();
        expect(q.skipReason).toBe('halted');
      }
    });
  });

  describe('hedge_disabled_when_kill_switch_active', () => {
    it('gives no hedge orders under kill even far outside the deadband', () => {
      const input = { risk: initialRiskState(), fairValue: 100, fvAvailable: true, volScalars: fvCtx.volScalars, venues: market, nowUs: 0 };
      expect(computeHedgeAllocation(cfg, input).orders.length).toBeGreaterThan(0);
      const killed = computeHedgeAllocation(cfg, { ...input, risk: killedBy({ ...calm, dailyPnlUsd: -1e6 }) });
      expect(killed.orders).toEqual([]);
      expect(killed.idleReason).toBe('halted');
    });
  });

  describe('exit_disabled_when_kill_switch_active', () => {
    it('gives no exit orders under kill even when exits are profitable', () => {
      const input = { risk: initialRiskState(), fairValue: 100, fvAvailable: true, sigmaEff: cfg.volatility.sigmaMin, venues: market, nowUs: 0 };
      expect(computeExitPlan(cfg, input).orders.length).toBeGreaterThan(0);
      const killed = computeExitPlan(cfg, { ...input, risk: killedBy({ ...calm, minDistLiqSigma: 0 }) });
      expect(killed.orders).toEqual([]);
      expect(killed.idleReason).toBe('halted');
    });
  });

  describe('venue skip reasons', () => {
    it('names disabled, stale, toxic and critical-liquidation venues', () => {
      const v = venue(0, 100);
      expect(venueSkipReason(cfg, v, 0)).toBeNull();
      expect(venueSkipReason(cfg, { ...v, health: { ...HEALTHY_VENUE, disabled: true } }, 0)).toBe('disabled');
      expect(venueSkipReason(cfg, v, cfg.fairValue.staleBookMaxAgeUs + 1)).toBe('stale');
      expect(venueSkipReason(cfg, { ...v, health: { ...HEALTHY_VENUE, toxicity: cfg.risk.toxicityHighThreshold } }, 0)).toBe('toxic');
      expect(venueSkipReason(cfg, { ...v, distLiqSigma: cfg.risk.liqCritSigma }, 0)).toBe('critical-liquidation');
    });
  });
  describe('risk inputs from venues', () => {
    it('measures delta, basis exposure and the smallest liquidation distance of venues with a position', () => {
      const vs = [venue(0, 101, 2), venue(1, 99, -1), { ...venue(2, 100, 0), distLiqSigma: 0.5 }, { ...venue(3, 100, 1), distLiqSigma: 4 }, venue(4, 100)];
      expect(riskInputsFromVenues(vs, 100, -12)).toEqual({ dailyPnlUsd: -12, dollarDeltaUsd: 200, basisExposureUsd: 2 * 1 + -1 * -1, minDistLiqSigma: 4 });
      expect(riskInputsFromVenues([venue(0, 100)], 100, 0).minDistLiqSigma).toBe(Infinity);
    });
  });
});
