import { type StrategyConfig } from './strategy-config';

/** One problem with a configuration: the setting's path, what was received and why it is wrong. */
export interface StrategyConfigIssue {
  /** The dotted path of the setting, for example `quoting.gamma` or `venues[2].tickSize`. */
  readonly setting: string;
  /** The value that was received. */
  readonly received: unknown;
  /** A full-sentence explanation naming the setting, the rule and the value received. */
  readonly message: string;
}

type Rule = (v: number) => boolean;

const positive: Rule = (v) => v > 0;
const nonNegative: Rule = (v) => v >= 0;
const fraction: Rule = (v) => v > 0 && v <= 1;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Returns every problem with `cfg` (an empty array when it is valid). Each issue names the
 * setting and what was received; nothing is thrown.
 */
export function validateStrategyConfig(cfg: StrategyConfig): readonly StrategyConfigIssue[] {
  const issues: StrategyConfigIssue[] = [];
  const add = (setting: string, received: unknown, rule: string): void => {
    issues.push({ setting, received, message: `${setting} must be ${rule}, received ${show(received)}` });
  };
  const num = (setting: string, value: unknown, rule: Rule, ruleText: string): void => {
    if (typeof value !== 'number' || !Number.isFinite(value)) add(setting, value, `a finite number (${ruleText})`);
    else if (!rule(value)) add(setting, value, ruleText);
  };
  const section = <T extends object>(name: string, obj: T, rules: { readonly [K in keyof T]?: readonly [Rule, string] }): void => {
    for (const key of Object.keys(rules) as (keyof T & string)[]) {
      const r = rules[key];
      if (r !== undefined) num(`${name}.${key}`, obj[key], r[0], r[1]);
    }
  };

  if (!['conservative', 'balanced', 'aggressive'].includes(cfg.profile)) {
    add('profile', cfg.profile, 'one of conservative, balanced, aggressive');
  }
  if (!Array.isArray(cfg.venues) || cfg.venues.length === 0) {
    add('venues', cfg.venues, 'a non-empty list of venues');
  } else {
    if (cfg.venues.length > 31) add('venues', cfg.venues.length, 'at most 31 venues (healthy venues are tracked as a bit mask)');
    const seen = new Set<string>();
    cfg.venues.forEach((v, i) => {
      const p = `venues[${i}]`;
      if (typeof v.venueId !== 'string' || v.venueId.length === 0) add(`${p}.venueId`, v.venueId, 'a non-empty string');
      else if (seen.has(v.venueId)) add(`${p}.venueId`, v.venueId, 'unique among the venues');
      else seen.add(v.venueId);
      section(p, v, {
        tickSize: [positive, 'greater than zero'],
        lotSize: [positive, 'greater than zero'],
        sizeStep: [positive, 'greater than zero'],
        minNotionalUsd: [nonNegative, 'zero or more'],
        makerFee: [(x) => x > -0.01 && x < 0.01, 'between -0.01 and 0.01 (a fraction of notional)'],
        takerFee: [(x) => x >= 0 && x < 0.01, 'from 0 to 0.01 (a fraction of notional)'],
        maxOrderSize: [positive, 'greater than zero'],
      });
      if (v.lotSize > 0 && v.sizeStep > 0 && v.lotSize + 1e-12 < v.sizeStep) add(`${p}.lotSize`, v.lotSize, `at least sizeStep (${v.sizeStep})`);
      if (v.maxOrderSize > 0 && v.lotSize > 0 && v.maxOrderSize < v.lotSize) add(`${p}.maxOrderSize`, v.maxOrderSize, `at least lotSize (${v.lotSize})`);
    });
  }

  const fv = cfg.fairValue;
  section('fairValue', fv, {
    staleBookMaxAgeUs: [positive, 'greater than zero microseconds'],
    outlierMaxBps: [positive, 'greater than zero basis points'],
    minHealthyVenues: [(x) => Number.isInteger(x) && x >= 1, 'an integer of at least 1'],
    processNoiseVarPerSec: [nonNegative, 'zero or more'],
    measurementNoiseBase: [positive, 'greater than zero'],
    measurementNoiseSpreadWeight: [nonNegative, 'zero or more'],
    initialVariance: [positive, 'greater than zero'],
  });
  if (Array.isArray(cfg.venues) && cfg.venues.length > 0 && fv.minHealthyVenues > cfg.venues.length) {
    add('fairValue.minHealthyVenues', fv.minHealthyVenues, `at most the number of venues (${cfg.venues.length})`);
  }

  const vol = cfg.volatility;
  section('volatility', vol, {
    shortHalfLifeUs: [positive, 'greater than zero microseconds'],
    longHalfLifeUs: [positive, 'greater than zero microseconds'],
    sigmaMin: [positive, 'greater than zero'],
    volRef: [positive, 'greater than zero'],
    volRatioMin: [positive, 'greater than zero'],
    volRatioMax: [positive, 'greater than zero'],
  });
  if (vol.longHalfLifeUs < vol.shortHalfLifeUs) add('volatility.longHalfLifeUs', vol.longHalfLifeUs, `at least shortHalfLifeUs (${vol.shortHalfLifeUs})`);
  if (vol.volRatioMax < vol.volRatioMin) add('volatility.volRatioMax', vol.volRatioMax, `at least volRatioMin (${vol.volRatioMin})`);

  const risk = cfg.risk;
  section('risk', risk, {
    dailyLossLimitUsd: [positive, 'greater than zero (a loss amount, in USD)'],
    deltaLimitUsd: [positive, 'greater than zero'],
    basisLimitUsd: [positive, 'greater than zero'],
    liqWarnSigma: [positive, 'greater than zero'],
    liqCritSigma: [nonNegative, 'zero or more'],
    warnFraction: [fraction, 'in (0, 1]'],
    toxicityHighThreshold: [fraction, 'in (0, 1]'],
  });
  if (risk.liqCritSigma >= risk.liqWarnSigma) add('risk.liqCritSigma', risk.liqCritSigma, `less than liqWarnSigma (${risk.liqWarnSigma})`);

  const q = cfg.quoting;
  section('quoting', q, {
    gamma: [positive, 'greater than zero'],
    k: [positive, 'greater than zero'],
    tauSec: [positive, 'greater than zero seconds'],
    betaBasis: [(x) => x >= 0 && x <= 1, 'in [0, 1]'],
    betaFunding: [nonNegative, 'zero or more'],
    lambdaInv: [(x) => x >= 0 && x <= 1, 'in [0, 1]'],
    fundingTargetQty: [nonNegative, 'zero or more'],
    fundingTargetRef: [positive, 'greater than zero'],
    minHalfSpreadBps: [nonNegative, 'zero or more'],
    warningSpreadMult: [(x) => x >= 1, 'at least 1'],
    warningSizeCap: [positive, 'greater than zero'],
    baseOrderSize: [positive, 'greater than zero'],
    marginUsageFraction: [fraction, 'in (0, 1]'],
    maxLeverage: [positive, 'greater than zero'],
    riskReducingOnlyDeltaFraction: [positive, 'greater than zero'],
    extremeDeltaFraction: [positive, 'greater than zero'],
    minQuoteLifetimeUs: [nonNegative, 'zero or more microseconds'],
    priceToleranceTicks: [nonNegative, 'zero or more'],
    sizeTolerance: [nonNegative, 'zero or more'],
  });
  if (q.extremeDeltaFraction < q.riskReducingOnlyDeltaFraction) {
    add('quoting.extremeDeltaFraction', q.extremeDeltaFraction, `at least riskReducingOnlyDeltaFraction (${q.riskReducingOnlyDeltaFraction})`);
  }

  section('hedge', cfg.hedge, {
    bandBase: [nonNegative, 'zero or more'],
    maxStep: [positive, 'greater than zero'],
    gain: [fraction, 'in (0, 1]'],
    maxVenueStep: [positive, 'greater than zero'],
    depthFraction: [fraction, 'in (0, 1]'],
    slippageBufferBps: [nonNegative, 'zero or more'],
    liqPenaltyBps: [nonNegative, 'zero or more'],
    fragmentationPenaltyBps: [nonNegative, 'zero or more'],
    fundingWeight: [nonNegative, 'zero or more'],
    basisWeight: [nonNegative, 'zero or more'],
    guardBps: [nonNegative, 'zero or more'],
  });

  section('exit', cfg.exit, {
    edgeMinUsd: [nonNegative, 'zero or more'],
    maxTotalPerTick: [positive, 'greater than zero'],
    maxVenuePerTick: [positive, 'greater than zero'],
    depthFraction: [fraction, 'in (0, 1]'],
    minDepthUsd: [nonNegative, 'zero or more'],
    slippageBufferBps: [nonNegative, 'zero or more'],
    volBufferMult: [nonNegative, 'zero or more'],
    basisWeight: [nonNegative, 'zero or more'],
    fundingWeight: [nonNegative, 'zero or more'],
    fragmentationPenaltyPerUnit: [nonNegative, 'zero or more'],
    fragmentationReductionBonus: [nonNegative, 'zero or more'],
    basisRiskPenaltyWeight: [nonNegative, 'zero or more'],
  });
  return issues;
}

/** Returns the issues joined into one readable sentence list. */
export function formatStrategyConfigIssues(issues: readonly StrategyConfigIssue[]): string {
  return issues.map((i) => i.message).join('; ');
}

/** Returns `cfg` when it is valid; throws a RangeError naming every bad setting and what was received otherwise. */
export function assertValidStrategyConfig(cfg: StrategyConfig): StrategyConfig {
  const issues = validateStrategyConfig(cfg);
  if (issues.length > 0) throw new RangeError(`invalid strategy configuration: ${formatStrategyConfigIssues(issues)}`);
  return cfg;
}
