import { type KillReason, type RiskRegime } from '../risk';
import { type TimeInForce } from '../sim/exchange-events';
import { type InstrumentId, type Side, type TimeUs, type VenueId } from '../types';

/** What an order is for. */
export type OrderPurpose = 'mm' | 'hedge' | 'exit';

/** The event that caused an action (its causation). */
export interface ActionCause {
  readonly type: string;
  readonly venue?: VenueId;
  readonly sequence?: number;
  readonly eventTimeUs: TimeUs;
}

/**
 * The model inputs that justify an action (the Why chain): the fair value, volatility, risk
 * regime and inventory the runner saw, plus the figures of the model that decided.
 * Every number is finite, so the action has a canonical encoding.
 */
export interface Why {
  readonly cause: ActionCause;
  readonly fairValue: number | null;
  readonly sigmaEff: number;
  readonly regime: RiskRegime;
  readonly killSwitch: boolean;
  /** The global position Σ q_v, in base units. */
  readonly inventory: number;
  /** The deciding model's own figures (reservation price, half-spread, edge, cost, …). */
  readonly model: Readonly<Record<string, number | string | boolean>>;
}

interface ActionHeader {
  /** A derived id: the strategy, the step and the action's index in it. */
  readonly actionId: string;
  /** The simulated time of the step that produced it. */
  readonly atUs: TimeUs;
  readonly instrument: InstrumentId;
  readonly why: Why;
}

/** Send a new order; price and size are exact decimal text on the venue's grid. */
export interface PlaceOrderAction extends ActionHeader {
  readonly type: 'PlaceOrder';
  readonly venue: VenueId;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
  readonly timeInForce: TimeInForce;
  readonly purpose: OrderPurpose;
  /** The order this one replaces (cancelled in the same step), if any. */
  readonly replaces?: string;
}

/** Cancel one order. */
export interface CancelOrderAction extends ActionHeader {
  readonly type: 'CancelOrder';
  readonly venue: VenueId;
  readonly clientOrderId: string;
  readonly reason: 'replace' | 'no-quote' | 'venue-unhealthy' | 'operator';
}

/** Cancel every order on one venue, or on every venue when `venue` is absent. */
export interface CancelAllAction extends ActionHeader {
  readonly type: 'CancelAll';
  readonly venue?: VenueId;
  readonly reason: 'kill-switch' | 'operator';
}

/** Turn the kill switch on (latched, with the first breach) or off (operator reset only). */
export interface SetKillSwitchAction extends ActionHeader {
  readonly type: 'SetKillSwitch';
  readonly on: boolean;
  readonly reason: KillReason | 'OperatorKill' | 'OperatorReset';
}

/** Report a change of risk regime (no order effect by itself; quoting reads the regime). */
export interface SetRiskRegimeAction extends ActionHeader {
  readonly type: 'SetRiskRegime';
  readonly regime: RiskRegime;
}

/** What the runner asks the outside world to do: a closed union keyed on `type`. */
export type Action = PlaceOrderAction | CancelOrderAction | CancelAllAction | SetKillSwitchAction | SetRiskRegimeAction;

/** The `type` values of actions. */
export const ACTION_TYPES: readonly Action['type'][] = ['PlaceOrder', 'CancelOrder', 'CancelAll', 'SetKillSwitch', 'SetRiskRegime'];
