import {
  type ExitConfig,
  type FairValueConfig,
  type HedgeConfig,
  type QuotingConfig,
  type RiskLimitsConfig,
  type RiskProfileName,
  type StrategyConfig,
  type StrategyConfigOverrides,
  type VenueConfig,
  type VolatilityConfig,
} from './strategy-config';
import { formatStrategyConfigIssues, validateStrategyConfig } from './validate-strategy-config';

/** The names of the risk profiles, in order of rising risk appetite. */
export const RISK_PROFILE_NAMES: readonly RiskProfileName[] = ['conservative', 'balanced', 'aggressive'];

/** Returns the default venue description for `venueId` (a USD-margined perpetual priced around 100–1000 USD). */
export function defaultVenueConfig(venueId: string): VenueConfig {
  return {
    venueId,
    tickSize: 0.01,
    lotSize: 0.01,
    sizeStep: 0.01,
    minNotionalUsd: 5,
    makerFee: 0.0002,
    takerFee: 0.0005,
    maxOrderSize: 5,
  };
}

/** The default venue set: five venues with identical rules, `venue-a` … `venue-e`. */
export const DEFAULT_VENUES: readonly VenueConfig[] = ['venue-a', 'venue-b', 'venue-c', 'venue-d', 'venue-e'].map(defaultVenueConfig);

const BALANCED_FAIR_VALUE: FairValueConfig = {
  staleBookMaxAgeUs: 1_000_000,
  outlierMaxBps: 50,
  minHealthyVenues: 2,
  processNoiseVarPerSec: 2.5e-8,
  measurementNoiseBase: 1e-4,
  measurementNoiseSpreadWeight: 1,
  initialVariance: 1,
};

const BALANCED_VOLATILITY: VolatilityConfig = {
  shortHalfLifeUs: 10_000_000,
  longHalfLifeUs: 300_000_000,
  sigmaMin: 5e-5,
  volRef: 1.5e-4,
  volRatioMin: 0.25,
  volRatioMax: 4,
};

const BALANCED_RISK: RiskLimitsConfig = {
  dailyLossLimitUsd: 2_000,
  deltaLimitUsd: 50_000,
  basisLimitUsd: 10_000,
  liqWarnSigma: 5,
  liqCritSigma: 2,
  warnFraction: 0.8,
  toxicityHighThreshold: 0.8,
};

const BALANCED_QUOTING: QuotingConfig = {
  gamma: 0.1,
  k: 10,
  tauSec: 30,
  betaBasis: 0.5,
  betaFunding: 1,
  lambdaInv: 0.5,
  fundingTargetQty: 2,
  fundingTargetRef: 0.001,
  minHalfSpreadBps: 2,
  warningSpreadMult: 1.5,
  warningSizeCap: 1,
  baseOrderSize: 2,
  marginUsageFraction: 0.5,
  maxLeverage: 5,
  riskReducingOnlyDeltaFraction: 0.8,
  extremeDeltaFraction: 1,
  minQuoteLifetimeUs: 500_000,
  priceToleranceTicks: 5,
  sizeTolerance: 0.2,
};

const BALANCED_HEDGE: HedgeConfig = {
  // Three quote sizes (baseOrderSize 2): a fill on each side of one venue, or a full fill plus a
  // partial, is left to the inventory skew to work off passively instead of paying the taker fee.
  bandBase: 6,
  maxStep: 10,
  gain: 0.5,
  maxVenueStep: 5,
  depthFraction: 0.5,
  slippageBufferBps: 2,
  liqPenaltyBps: 20,
  fragmentationPenaltyBps: 1,
  fundingWeight: 1,
  basisWeight: 1,
  guardBps: 10,
};

const BALANCED_EXIT: ExitConfig = {
  edgeMinUsd: 0.05,
  maxTotalPerTick: 10,
  maxVenuePerTick: 5,
  depthFraction: 0.5,
  minDepthUsd: 100,
  slippageBufferBps: 2,
  // sigma_eff is per √second: 16 ≈ 3·√30 makes the buffer three standard deviations of the price
  // over the quoting horizon τ (30 s) instead of half of one over a second. Without drift an exit
  // gains nothing on average and pays the taker fee, so it should fire only on a move far outside noise.
  volBufferMult: 16,
  basisWeight: 0.1,
  fundingWeight: 1,
  fragmentationPenaltyPerUnit: 0.02,
  fragmentationReductionBonus: 0.02,
  basisRiskPenaltyWeight: 0.05,
};

/** Multipliers that turn the balanced profile into another one. */
interface ProfileScaling {
  readonly gamma: number;
  readonly size: number;
  readonly limits: number;
  readonly warnFraction: number;
  readonly liqWarnSigma: number;
  readonly liqCritSigma: number;
  readonly edgeMin: number;
}

const PROFILE_SCALING: Readonly<Record<RiskProfileName, ProfileScaling>> = {
  conservative: { gamma: 2, size: 0.5, limits: 0.5, warnFraction: 0.7, liqWarnSigma: 6, liqCritSigma: 3, edgeMin: 2 },
  balanced: { gamma: 1, size: 1, limits: 1, warnFraction: 0.8, liqWarnSigma: 5, liqCritSigma: 2, edgeMin: 1 },
  aggressive: { gamma: 0.5, size: 1.5, limits: 1.5, warnFraction: 0.85, liqWarnSigma: 4, liqCritSigma: 1.5, edgeMin: 0.5 },
};

/** Returns the full default configuration of a risk profile over `venues` (the default five venues if omitted). */
export function strategyConfigForProfile(profile: RiskProfileName, venues: readonly VenueConfig[] = DEFAULT_VENUES): StrategyConfig {
  const s = PROFILE_SCALING[profile];
  if (s === undefined) {
    throw new RangeError(`unknown risk profile: received ${JSON.stringify(profile)}, expected one of ${RISK_PROFILE_NAMES.join(', ')}`);
  }
  return {
    profile,
    venues,
    fairValue: BALANCED_FAIR_VALUE,
    volatility: BALANCED_VOLATILITY,
    risk: {
      ...BALANCED_RISK,
      dailyLossLimitUsd: BALANCED_RISK.dailyLossLimitUsd * s.limits,
      deltaLimitUsd: BALANCED_RISK.deltaLimitUsd * s.limits,
      basisLimitUsd: BALANCED_RISK.basisLimitUsd * s.limits,
      warnFraction: s.warnFraction,
      liqWarnSigma: s.liqWarnSigma,
      liqCritSigma: s.liqCritSigma,
    },
    quoting: {
      ...BALANCED_QUOTING,
      gamma: BALANCED_QUOTING.gamma * s.gamma,
      baseOrderSize: BALANCED_QUOTING.baseOrderSize * s.size,
      warningSizeCap: BALANCED_QUOTING.warningSizeCap * s.size,
    },
    hedge: {
      ...BALANCED_HEDGE,
      bandBase: BALANCED_HEDGE.bandBase * s.size,
      maxStep: BALANCED_HEDGE.maxStep * s.size,
      maxVenueStep: BALANCED_HEDGE.maxVenueStep * s.size,
    },
    exit: {
      ...BALANCED_EXIT,
      edgeMinUsd: BALANCED_EXIT.edgeMinUsd * s.edgeMin,
      maxTotalPerTick: BALANCED_EXIT.maxTotalPerTick * s.size,
      maxVenuePerTick: BALANCED_EXIT.maxVenuePerTick * s.size,
    },
  };
}

/** Returns the balanced profile over the default venues. */
export function defaultStrategyConfig(): StrategyConfig {
  return strategyConfigForProfile('balanced');
}

/**
 * Returns the configuration of `profile` with `overrides` applied section by section, after
 * validating it; throws a RangeError listing every bad setting and what was received.
 */
export function createStrategyConfig(profile: RiskProfileName, overrides: StrategyConfigOverrides = {}): StrategyConfig {
  const base = strategyConfigForProfile(profile, overrides.venues ?? DEFAULT_VENUES);
  const cfg: StrategyConfig = {
    ...base,
    fairValue: { ...base.fairValue, ...overrides.fairValue },
    volatility: { ...base.volatility, ...overrides.volatility },
    risk: { ...base.risk, ...overrides.risk },
    quoting: { ...base.quoting, ...overrides.quoting },
    hedge: { ...base.hedge, ...overrides.hedge },
    exit: { ...base.exit, ...overrides.exit },
  };
  const issues = validateStrategyConfig(cfg);
  if (issues.length > 0) throw new RangeError(`invalid strategy configuration: ${formatStrategyConfigIssues(issues)}`);
  return cfg;
}
