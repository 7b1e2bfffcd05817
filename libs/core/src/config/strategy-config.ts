import { type VenueId } from '../types';

/** The named risk profiles; each sets the strategy parameters to a coherent risk appetite. */
export type RiskProfileName = 'conservative' | 'balanced' | 'aggressive';

/** The static description of one venue (one perpetual on one exchange). */
export interface VenueConfig {
  /** The venue identifier; also the tie-break key is the venue's index in `StrategyConfig.venues`. */
  readonly venueId: VenueId;
  /** The price grid step, in quote currency (USD). Final prices are exact multiples of it. */
  readonly tickSize: number;
  /** The minimum order size, in base units. */
  readonly lotSize: number;
  /** The size increment, in base units: order sizes are exact multiples of it. */
  readonly sizeStep: number;
  /** The minimum order notional (size × price), in USD. */
  readonly minNotionalUsd: number;
  /** The maker fee as a fraction of notional (negative for a rebate). */
  readonly makerFee: number;
  /** The taker fee as a fraction of notional. */
  readonly takerFee: number;
  /** The largest single order, in base units. */
  readonly maxOrderSize: number;
}

/** The Kalman fair-value filter and its venue gating. */
export interface FairValueConfig {
  /** A book older than this (now − book time) is stale and excluded, in microseconds. */
  readonly staleBookMaxAgeUs: number;
  /** A venue mid further than this from the current estimate is an outlier, in basis points. */
  readonly outlierMaxBps: number;
  /** Below this many healthy venues the filter does not update and `fvAvailable` is false. */
  readonly minHealthyVenues: number;
  /** Process noise: variance of relative fair-value change per second (the estimate's variance grows by S²·q·dt). */
  readonly processNoiseVarPerSec: number;
  /** Base measurement noise variance of a venue mid, in price units squared. */
  readonly measurementNoiseBase: number;
  /** Weight on the squared half-spread added to the measurement noise (wider book, less trust). */
  readonly measurementNoiseSpreadWeight: number;
  /** The variance given to a freshly initialised estimate, in price units squared. */
  readonly initialVariance: number;
}

/** EWMA volatility of log fair-value returns and the derived scalars. Volatilities are per √second. */
export interface VolatilityConfig {
  /** Half-life of the short EWMA, in microseconds. */
  readonly shortHalfLifeUs: number;
  /** Half-life of the long EWMA, in microseconds. */
  readonly longHalfLifeUs: number;
  /** The volatility floor: sigma_eff = max(sigma_short, sigmaMin). */
  readonly sigmaMin: number;
  /** The reference volatility the scalars are relative to. */
  readonly volRef: number;
  /** Lower clip of sigma_eff / volRef. */
  readonly volRatioMin: number;
  /** Upper clip of sigma_eff / volRef. */
  readonly volRatioMax: number;
}

/** Risk limits, regime thresholds and venue-health thresholds. */
export interface RiskLimitsConfig {
  /** The daily loss that trips the kill switch, in USD (a positive number). */
  readonly dailyLossLimitUsd: number;
  /** The absolute dollar delta that trips the kill switch, in USD. */
  readonly deltaLimitUsd: number;
  /** The absolute basis exposure that trips the kill switch, in USD. */
  readonly basisLimitUsd: number;
  /** A venue at or below this liquidation distance (in sigmas) is in the warning zone. */
  readonly liqWarnSigma: number;
  /** A venue at or below this liquidation distance (in sigmas) is critical; at the risk level it trips the kill switch. */
  readonly liqCritSigma: number;
  /** Warning regime when a loss, delta or basis metric reaches this fraction of its limit. */
  readonly warnFraction: number;
  /** A venue with toxicity at or above this score (0..1) is toxic. */
  readonly toxicityHighThreshold: number;
}

/** The per-venue Avellaneda–Stoikov quote model, size model and order management. */
export interface QuotingConfig {
  /** Risk aversion γ (per USD). */
  readonly gamma: number;
  /** Order-arrival decay k (per USD of distance from the reservation price). */
  readonly k: number;
  /** The horizon τ, in seconds. */
  readonly tauSec: number;
  /** Weight of the venue basis (venue mid − fair value) in the reservation price. */
  readonly betaBasis: number;
  /** Weight of the venue 8h funding rate (× S) in the reservation price. */
  readonly betaFunding: number;
  /** Weight of the venue's deviation from its own target (q_v − q_target_v) in the inventory deviation. */
  readonly lambdaInv: number;
  /** The largest funding tilt of a venue inventory target, in base units. */
  readonly fundingTargetQty: number;
  /** The 8h funding rate that gives the full funding tilt. */
  readonly fundingTargetRef: number;
  /** The smallest half-spread, in basis points of S. */
  readonly minHalfSpreadBps: number;
  /** The half-spread multiplier in the Warning regime (≥ 1). */
  readonly warningSpreadMult: number;
  /** The largest quote size in the Warning regime, in base units. */
  readonly warningSizeCap: number;
  /** The quote size before constraints, in base units (scaled by the vol size multiplier). */
  readonly baseOrderSize: number;
  /** The fraction of available margin one quote may use. */
  readonly marginUsageFraction: number;
  /** The leverage assumed when converting margin to size. */
  readonly maxLeverage: number;
  /** Beyond this fraction of the delta limit only risk-reducing quotes are made. */
  readonly riskReducingOnlyDeltaFraction: number;
  /** At or beyond this fraction of the delta limit no quotes are made at all. */
  readonly extremeDeltaFraction: number;
  /** A live order younger than this is kept (unless it is no longer passive), in microseconds. */
  readonly minQuoteLifetimeUs: number;
  /** An older order is replaced when the desired price moved at least this many ticks. */
  readonly priceToleranceTicks: number;
  /** An older order is replaced when the desired size changed by at least this fraction. */
  readonly sizeTolerance: number;
}

/** The global hedge controller and allocator. */
export interface HedgeConfig {
  /** The deadband half-width before vol scaling, in base units: |q| ≤ bandBase·bandMult gives no hedge. */
  readonly bandBase: number;
  /** The largest total hedge per step, in base units. */
  readonly maxStep: number;
  /** The fraction of the global inventory the controller removes per step (0 < gain ≤ 1). */
  readonly gain: number;
  /** The largest hedge on one venue per step, in base units. */
  readonly maxVenueStep: number;
  /** The fraction of displayed top-of-book depth a hedge may take. */
  readonly depthFraction: number;
  /** The slippage buffer, in basis points of price. */
  readonly slippageBufferBps: number;
  /** The liquidation penalty at the critical distance, in basis points of price (linear from the warning distance). */
  readonly liqPenaltyBps: number;
  /** The penalty for opening a new leg on a flat venue, in basis points of price. */
  readonly fragmentationPenaltyBps: number;
  /** Weight on the 8h funding carry (× price) earned by the hedge position. */
  readonly fundingWeight: number;
  /** Weight on the basis edge (selling rich venues, buying cheap ones). */
  readonly basisWeight: number;
  /** The IOC guard: limit price at most this far through the touch, in basis points. */
  readonly guardBps: number;
}

/** The cross-venue exit allocator. */
export interface ExitConfig {
  /** An exit is made only when its base profit and net edge per unit exceed this, in USD per base unit. */
  readonly edgeMinUsd: number;
  /** The largest total exit per call, in base units. */
  readonly maxTotalPerTick: number;
  /** The largest exit on one venue per call, in base units. */
  readonly maxVenuePerTick: number;
  /** The fraction of displayed top-of-book depth an exit may take. */
  readonly depthFraction: number;
  /** A venue with less displayed depth than this is skipped, in USD. */
  readonly minDepthUsd: number;
  /** The slippage buffer, in basis points of price. */
  readonly slippageBufferBps: number;
  /** The volatility buffer, as a multiple of sigma_eff × fair value (USD per unit). */
  readonly volBufferMult: number;
  /** Weight on the venue basis (exit price vs fair value). */
  readonly basisWeight: number;
  /** Weight on the 8h funding carry (× price) the exit stops paying or earning. */
  readonly fundingWeight: number;
  /** The penalty for opening a new leg (trading a venue flat or the wrong way), USD per unit. */
  readonly fragmentationPenaltyPerUnit: number;
  /** The bonus for closing a venue position completely, USD per unit. */
  readonly fragmentationReductionBonus: number;
  /** Weight on the increase of absolute basis exposure, per USD of Δ|B| per unit. */
  readonly basisRiskPenaltyWeight: number;
}

/** The whole strategy configuration: one instrument quoted and hedged across venues. */
export interface StrategyConfig {
  /** The risk profile the defaults came from. */
  readonly profile: RiskProfileName;
  /** The venues, in a fixed order: the index is the deterministic tie-break. */
  readonly venues: readonly VenueConfig[];
  readonly fairValue: FairValueConfig;
  readonly volatility: VolatilityConfig;
  readonly risk: RiskLimitsConfig;
  readonly quoting: QuotingConfig;
  readonly hedge: HedgeConfig;
  readonly exit: ExitConfig;
}

/** A partial override of a `StrategyConfig`, one level deep per section. */
export interface StrategyConfigOverrides {
  readonly venues?: readonly VenueConfig[];
  readonly fairValue?: Partial<FairValueConfig>;
  readonly volatility?: Partial<VolatilityConfig>;
  readonly risk?: Partial<RiskLimitsConfig>;
  readonly quoting?: Partial<QuotingConfig>;
  readonly hedge?: Partial<HedgeConfig>;
  readonly exit?: Partial<ExitConfig>;
}
