import { type ExchangeEvent } from '../sim/exchange-events';
import { type MarketEvent } from '../sim/market-events';
import { type TimeUs } from '../types';

/** A periodic timer tick: hedging, exits and housekeeping run on it. */
export interface TimerEvent {
  readonly type: 'timer';
  readonly eventTimeUs: TimeUs;
}

/** What an operator may ask. */
export type OperatorCommand =
  | { readonly kind: 'kill'; readonly operatorId: string; readonly reason: string }
  | { readonly kind: 'operator-reset'; readonly operatorId: string; readonly reason: string }
  | { readonly kind: 'pause-quoting'; readonly operatorId: string }
  | { readonly kind: 'resume-quoting'; readonly operatorId: string }
  | { readonly kind: 'cancel-all'; readonly operatorId: string };

/** An operator command, delivered in the event stream so that it is replayed like everything else. */
export interface OperatorCommandEvent {
  readonly type: 'command';
  readonly eventTimeUs: TimeUs;
  readonly command: OperatorCommand;
}

/** Everything the runner steps on: market data, our order events and fills, timer ticks and operator commands. */
export type RunnerEvent = MarketEvent | ExchangeEvent | TimerEvent | OperatorCommandEvent;
