import { canonicalBytes, chainDigest, type Digest, sha256Hex } from '../canonical';
import { ExactDecimal, Money, Price, Quantity } from '../money';
import { applyPortfolioFill, unrealisedPnl } from '../portfolio';
import { type FillEvent } from '../sim/exchange-events';
import { MarketSim } from '../sim/market-sim';
import { PaperExchange } from '../sim/paper-exchange';
import { type Scenario } from '../sim/scenario';
import { type TimeUs, type VenueId } from '../types';
import { type Action } from './actions';
import { runnerConfigForSim, type RunnerConfig, type RunnerConfigOverrides } from './runner-config';
import { type RunnerStats } from './runner-state';
import { type OperatorCommandEvent, type RunnerEvent } from './runner-events';
import { initialRunnerState, type RunnerState } from './runner-state';
import { step, type StepResult } from './step';

/** The first link of every session digest chain (a constant, so the digest depends only on what happened). */
export const SESSION_GENESIS: Digest = sha256Hex('fleet/session-digest/v1');

/** Returns the next link of a session digest after an action. */
export function chainAction(previous: Digest, action: Action): Digest {
  return chainDigest(previous, canonicalBytes({ kind: 'action', action }));
}

/** Returns the next link of a session digest after a fill. */
export function chainFill(previous: Digest, fill: FillEvent): Digest {
  return chainDigest(previous, canonicalBytes({ kind: 'fill', fill }));
}

/** PnL of a session, exact decimal text in the settlement currency. */
export interface SessionPnl {
  readonly realised: string;
  readonly unrealised: string;
  readonly fees: string;
  readonly funding: string;
  /** realised + unrealised − fees + funding. */
  readonly total: string;
}

/** The end-of-session summary (the seed's daily summary: pnl_realised, pnl_unrealised, pnl_total, kill_switch, …). */
export interface SessionSummary extends RunnerStats {
  readonly scenario: string;
  readonly seed: string;
  readonly startUs: TimeUs;
  readonly endUs: TimeUs;
  readonly events: number;
  readonly steps: number;
  readonly actions: number;
  readonly pnl: SessionPnl;
  /** The largest fall of equity from its running peak, sampled at every timer tick and at the end (exact text, ≥ 0). */
  readonly maxDrawdown: string;
  /** Quotes (mm PlaceOrder actions) per venue, in venue order. */
  readonly quotesByVenue: Readonly<Record<string, number>>;
  /** Fills per venue, in venue order. */
  readonly fillsByVenue: Readonly<Record<string, number>>;
  /** Net position per venue at the end, exact text. */
  readonly positions: Readonly<Record<string, string>>;
  readonly killSwitch: boolean;
  readonly killReason: string;
  readonly killedAtUs: TimeUs | null;
}

/** What a session returns. */
export interface SessionResult {
  readonly summary: SessionSummary;
  /** The hash chain over every action and fill, in order. */
  readonly digest: Digest;
  /** Every action, in order (empty when `recordActions` is false). */
  readonly actions: readonly Action[];
  /** Every fill, in order (empty when `recordActions` is false). */
  readonly fills: readonly FillEvent[];
  readonly finalState: RunnerState;
}

/** A step function: the baseline `step`, or a wrapper around it (the shadow runner). */
export type Stepper = (state: RunnerState, event: RunnerEvent) => StepResult;

/** Options of a session. */
export interface SessionOptions {
  /** Operator commands to deliver at their event times. */
  readonly commands?: readonly OperatorCommandEvent[];
  /** Keep every action and fill in the result (default true). */
  readonly recordActions?: boolean;
  /** Replaces the baseline step (the shadow runner wraps it). */
  readonly stepper?: Stepper;
  /** Called after every step with the state before, the event, and the result. */
  readonly onStep?: (before: RunnerState, event: RunnerEvent, result: StepResult) => void;
  /**
   * Positions to start with: exact decimal text of the signed base-unit position per venue
   * (e.g. `{ 'venue-a': '6' }`, `'-1.5'`), on the venue's size grid. Each is booked before the
   * first event, fee-free, at its venue's FIRST book mid under this seed (found by a look-ahead
   * run of a second simulator with the same seed: deterministic and the first price the session
   * will see), so entry price, unrealised PnL and the PnL identity are well defined from the start.
   * Absent, empty or all-zero: the session is exactly the one without the option (same digest).
   */
  readonly initialPositions?: Readonly<Record<VenueId, string>>;
}

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/**
 * Returns the validated non-zero initial positions of `options` in venue order, or throws a
 * RangeError naming the venue and what was received (unknown venue, not decimal text, off the size grid).
 */
export function validateInitialPositions(scenario: Scenario, positions: Readonly<Record<string, unknown>> | undefined): { venue: VenueId; qty: ExactDecimal }[] {
  if (positions === undefined) return [];
  const specs = scenario.sim.venues;
  const known = specs.map((v) => v.venue);
  for (const venue of Object.keys(positions)) {
    if (!known.includes(venue)) throw new RangeError(`initialPositions names an unknown venue ${JSON.stringify(venue)} (received ${JSON.stringify(positions[venue])}; venues: ${known.join(', ')})`);
  }
  const out: { venue: VenueId; qty: ExactDecimal }[] = [];
  for (const spec of specs) {
    if (!Object.prototype.hasOwnProperty.call(positions, spec.venue)) continue;
    const raw = positions[spec.venue];
    if (typeof raw !== 'string' || !DECIMAL_TEXT.test(raw)) throw new RangeError(`initialPositions of venue ${spec.venue} must be signed decimal text such as "6" or "-1.5", received ${JSON.stringify(raw)}`);
    const decimals = raw.split('.')[1]?.replace(/0+$/, '').length ?? 0;
    if (decimals > spec.sizeDecimals) throw new RangeError(`initialPositions of venue ${spec.venue} must be on the venue's size grid (at most ${spec.sizeDecimals} decimals), received ${JSON.stringify(raw)}`);
    const qty = new ExactDecimal(raw);
    if (!qty.isZero()) out.push({ venue: spec.venue, qty });
  }
  return out;
}

/** Returns the first book mid of each venue in `venues` under `seed` (exact text), from a look-ahead simulator. */
function firstMids(scenario: Scenario, seed: number | string, venues: readonly VenueId[]): Record<string, string> {
  const mids: Record<string, string> = {};
  const ahead = new MarketSim(scenario, seed);
  let left = venues.length;
  for (let m = ahead.next(); m !== undefined && left > 0; m = ahead.next()) {
    if (m.type !== 'book' || mids[m.venue] !== undefined || !venues.includes(m.venue) || m.bids[0] === undefined || m.asks[0] === undefined) continue;
    mids[m.venue] = midText(m.bids[0].price, m.asks[0].price);
    left -= 1;
  }
  for (const v of venues) if (mids[v] === undefined) throw new RangeError(`initialPositions of venue ${v}: the scenario publishes no two-sided book on it, so there is no entry price`);
  return mids;
}

/** Returns `state` with the initial positions booked (portfolio and venue views), fee-free at each venue's first mid. */
function seedPositions(state: RunnerState, seeds: readonly { venue: VenueId; qty: ExactDecimal }[], mids: Readonly<Record<string, string>>): RunnerState {
  let portfolio = state.portfolio;
  const venues = state.venues.slice();
  for (const { venue, qty } of seeds) {
    const price = mids[venue]!;
    portfolio = applyPortfolioFill(portfolio, {
      venue,
      instrument: state.config.instrument,
      side: qty.isNegative() ? 'sell' : 'buy',
      quantity: Quantity.create(qty.abs().toFixed()),
      price: Price.create(price),
      fee: Money.zero(state.config.currency),
      atUs: state.nowUs,
    });
    const i = venues.findIndex((v) => v.venue === venue);
    if (i >= 0) venues[i] = { ...venues[i]!, positionQty: qty.toNumber(), avgEntryPrice: Number(price) };
  }
  return { ...state, portfolio, venues };
}

/** Returns a runner configuration for a scenario's venues (balanced profile unless overridden). */
export function runnerConfigForScenario(scenario: Scenario, overrides: RunnerConfigOverrides = {}): RunnerConfig {
  return runnerConfigForSim(scenario.sim.instrument, scenario.sim.venues, overrides);
}

function midText(bid: number, ask: number): string {
  return new ExactDecimal(String(bid)).plus(String(ask)).div(2).toFixed();
}

/**
 * Runs the simulator, the runner and the paper exchange to the end of the scenario in
 * simulated time and returns the summary and the session digest. Deterministic: the same
 * configuration, scenario and seed give the same digest and the same actions, every run.
 *
 * Order at equal times: due exchange events (orders going live, cancels taking effect), then
 * the market event (the fill model sees it first, then the runner, then the fills it caused),
 * then operator commands, then the timer tick.
 */
export function runSession(config: RunnerConfig, scenario: Scenario, seed: number | string, options: SessionOptions = {}): SessionResult {
  const sim = new MarketSim(scenario, seed);
  const exchange = new PaperExchange(scenario.sim.instrument, scenario.sim.venues);
  const stepper: Stepper = options.stepper ?? ((s, e) => step(s, e));
  const record = options.recordActions ?? true;
  const startUs = scenario.sim.startTimeUs;
  const endUs = startUs + scenario.sim.durationUs;
  const commands = [...(options.commands ?? [])].sort((a, b) => a.eventTimeUs - b.eventTimeUs);
  let commandIdx = 0;
  let state = initialRunnerState(config, startUs);
  const seeds = validateInitialPositions(scenario, options.initialPositions);
  if (seeds.length > 0) state = seedPositions(state, seeds, firstMids(scenario, seed, seeds.map((x) => x.venue)));
  let digest = SESSION_GENESIS;
  const actions: Action[] = [];
  const fills: FillEvent[] = [];
  let actionCount = 0;
  let events = 0;
  let nextTimer = startUs + config.timerIntervalUs;
  const venueIds = config.strategy.venues.map((v) => v.venueId);
  const quotesByVenue: Record<string, number> = Object.fromEntries(venueIds.map((v) => [v, 0]));
  const fillsByVenue: Record<string, number> = Object.fromEntries(venueIds.map((v) => [v, 0]));
  const lastMid: Record<string, string> = {};
  let peak: ReturnType<typeof equity> | null = null;
  let maxDd = new ExactDecimal(0);

  const equity = (): ExactDecimal => {
    let e = new ExactDecimal(0);
    for (const p of state.portfolio.positions) {
      e = e.plus(p.realisedPnl.value).minus(p.fees.value).plus(p.funding.value);
      const mid = lastMid[p.venue];
      if (!p.netQuantity.isZero() && mid !== undefined) e = e.plus(unrealisedPnl(p, Price.create(mid)).value);
    }
    return e;
  };
  const sampleDrawdown = (): void => {
    const e = equity();
    if (peak === null || e.gt(peak)) peak = e;
    const dd = peak.minus(e);
    if (dd.gt(maxDd)) maxDd = dd;
  };

  const deliver = (event: RunnerEvent): void => {
    events += 1;
    if (event.type === 'fill') {
      digest = chainFill(digest, event);
      fillsByVenue[event.venue] = (fillsByVenue[event.venue] ?? 0) + 1;
      if (record) fills.push(event);
    }
    const before = state;
    const result = stepper(state, event);
    state = result.state;
    options.onStep?.(before, event, result);
    for (const action of result.actions) {
      digest = chainAction(digest, action);
      actionCount += 1;
      if (record) actions.push(action);
      switch (action.type) {
        case 'PlaceOrder':
          if (action.purpose === 'mm') quotesByVenue[action.venue] = (quotesByVenue[action.venue] ?? 0) + 1;
          exchange.submit({ clientOrderId: action.clientOrderId, venue: action.venue, side: action.side, price: action.price, size: action.size, timeInForce: action.timeInForce }, state.nowUs);
          break;
        case 'CancelOrder':
          exchange.cancel(action.venue, action.clientOrderId, state.nowUs);
          break;
        case 'CancelAll':
          exchange.cancelAll(action.venue, state.nowUs);
          break;
        default:
          break;
      }
    }
  };

  for (;;) {
    const tM = sim.peekTimeUs();
    const tX = exchange.nextPendingTimeUs();
    const tC = commandIdx < commands.length ? commands[commandIdx]!.eventTimeUs : undefined;
    const tT = nextTimer < endUs ? nextTimer : undefined;
    let t = Infinity;
    for (const x of [tX, tM, tC, tT]) if (x !== undefined && x < t) t = x;
    if (t === Infinity || t >= endUs) break;
    if (tX === t) {
      for (const e of exchange.advanceTo(t)) deliver(e);
    } else if (tM === t) {
      const m = sim.next()!;
      if (m.type === 'book' && m.bids[0] !== undefined && m.asks[0] !== undefined) lastMid[m.venue] = midText(m.bids[0].price, m.asks[0].price);
      const caused = exchange.onMarket(m);
      deliver(m);
      for (const e of caused) deliver(e);
    } else if (tC === t) {
      deliver(commands[commandIdx]!);
      commandIdx += 1;
    } else {
      deliver({ type: 'timer', eventTimeUs: t });
      sampleDrawdown();
      nextTimer += config.timerIntervalUs;
    }
  }
  sampleDrawdown();

  const currency = config.currency;
  let realised = Money.zero(currency);
  let unrealised = Money.zero(currency);
  let fees = Money.zero(currency);
  let funding = Money.zero(currency);
  const positions: Record<string, string> = Object.fromEntries(venueIds.map((v) => [v, '0']));
  for (const p of state.portfolio.positions) {
    realised = realised.plus(p.realisedPnl);
    fees = fees.plus(p.fees);
    funding = funding.plus(p.funding);
    const mid = lastMid[p.venue];
    if (!p.netQuantity.isZero() && mid !== undefined) unrealised = unrealised.plus(unrealisedPnl(p, Price.create(mid)));
    positions[p.venue] = p.netQuantity.toString();
  }
  const total = realised.plus(unrealised).minus(fees).plus(funding);
  const s = state.stats;
  const killed = state.risk.killSwitch || state.operatorKill;
  const summary: SessionSummary = {
    scenario: scenario.name,
    seed: String(seed),
    startUs,
    endUs,
    events,
    steps: state.steps,
    actions: actionCount,
    pnl: { realised: realised.amountText(), unrealised: unrealised.amountText(), fees: fees.amountText(), funding: funding.amountText(), total: total.amountText() },
    maxDrawdown: maxDd.toFixed(),
    quotes: s.quotes,
    cancels: s.cancels,
    fills: s.fills,
    makerFills: s.makerFills,
    takerFills: s.takerFills,
    hedges: s.hedges,
    exits: s.exits,
    rejects: s.rejects,
    quotesByVenue,
    fillsByVenue,
    positions,
    killSwitch: killed,
    killReason: state.killReason,
    killedAtUs: state.killedAtUs,
  };
  return { summary, digest, actions, fills, finalState: state };
}

