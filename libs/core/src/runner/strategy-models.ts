/**
 * The runner's seam to the strategy models. The runner calls quoting, order management, hedge
 * and exit only through this interface, so a research variant (or a test stub) can replace one
 * model without touching the loop. `fleetModels` wires the core's own models: per-venue
 * Avellaneda–Stoikov quotes and the keep/cancel/replace order manager (`quoting/`), the global
 * hedge allocator (`hedge/`) and the cross-venue exit allocator (`exit/`).
 */
import { type StrategyConfig } from '../config';
import { computeExitPlan, type ExitPlan } from '../exit';
import { computeVolScalars, type FairValueState, type VenueBookTop } from '../fair-value';
import { computeHedgeAllocation, type HedgeAllocation } from '../hedge';
import { computeQuotes, decideOrderAction, type LiveQuoteOrder, type OrderDecision, type QuoteLevel, type VenueQuote } from '../quoting';
import { type RiskState, type VenueSnapshot } from '../risk';
import { type TimeUs } from '../types';

/** What every model reads at one step. */
export interface ModelContext {
  readonly cfg: StrategyConfig;
  readonly fv: FairValueState;
  readonly risk: RiskState;
  /** One snapshot per configured venue, in config order. */
  readonly venues: readonly VenueSnapshot[];
  readonly nowUs: TimeUs;
}

/** The models the runner wires together. */
export interface StrategyModels {
  /** Returns the desired quotes, one entry per venue. */
  quotes(ctx: ModelContext): readonly VenueQuote[];
  /** Returns what to do with one side of one venue (keep, place, cancel, replace). */
  orderDecision(cfg: StrategyConfig, venueIndex: number, desired: QuoteLevel | null, live: LiveQuoteOrder | null, book: VenueBookTop | null, nowUs: TimeUs): OrderDecision;
  /** Returns the hedge step and its orders. */
  hedge(ctx: ModelContext): HedgeAllocation;
  /** Returns the exit plan and its orders. */
  exit(ctx: ModelContext): ExitPlan;
}

/** The core's strategy models (quoting, order management, hedge, exit). */
export const fleetModels: StrategyModels = {
  quotes: (ctx) =>
    computeQuotes(
      ctx.cfg,
      { fairValue: ctx.fv.fairValue, fvAvailable: ctx.fv.fvAvailable, sigmaEff: ctx.fv.sigmaEff, volScalars: computeVolScalars(ctx.cfg.volatility, ctx.fv.sigmaEff), risk: ctx.risk, nowUs: ctx.nowUs },
      ctx.venues,
    ),
  orderDecision: decideOrderAction,
  hedge: (ctx) =>
    computeHedgeAllocation(ctx.cfg, {
      risk: ctx.risk,
      fairValue: ctx.fv.fairValue,
      fvAvailable: ctx.fv.fvAvailable,
      volScalars: computeVolScalars(ctx.cfg.volatility, ctx.fv.sigmaEff),
      venues: ctx.venues,
      nowUs: ctx.nowUs,
    }),
  exit: (ctx) => computeExitPlan(ctx.cfg, { risk: ctx.risk, fairValue: ctx.fv.fairValue, fvAvailable: ctx.fv.fvAvailable, sigmaEff: ctx.fv.sigmaEff, venues: ctx.venues, nowUs: ctx.nowUs }),
};
