/**
 * The one error hierarchy of the fleet. Errors are for broken contracts (bad input, an
 * impossible state transition); business rejections such as "budget exceeded" are values
 * with a reason enum, never exceptions.
 */

/** Options shared by every FleetError. */
export interface FleetErrorOptions {
  /** The error or value that caused this one. */
  readonly cause?: unknown;
  /** Whether retrying the same operation later could succeed. */
  readonly retriable?: boolean;
}

/** The base of every error the fleet raises on purpose. */
export class FleetError extends Error {
  /** A stable, machine-readable code, for example `VALIDATION`. */
  readonly code: string;
  /** Whether retrying the same operation later could succeed. */
  readonly retriable: boolean;
  /** The error or value that caused this one. */
  override readonly cause?: unknown;

  /** Returns a new error with `code` and `message`. */
  constructor(code: string, message: string, options: FleetErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.cause = options.cause;
  }
}

/** Raised when a value fails its checks (for example a negative quantity); never retriable. */
export class ValidationError extends FleetError {
  /** Returns a new validation error; `field` names what was checked. */
  constructor(
    readonly field: string,
    message: string,
    options: Omit<FleetErrorOptions, 'retriable'> = {},
  ) {
    super('VALIDATION', message, { ...options, retriable: false });
  }
}

/** Raised when a state machine is asked for a transition it does not allow. */
export class IllegalTransitionError extends FleetError {
  /** Returns a new error naming the machine, the current state and the event received. */
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
    detail = '',
  ) {
    super('ILLEGAL_TRANSITION', `${machine}: event "${event}" is not allowed in state "${from}"${detail ? `: ${detail}` : ''}`);
  }
}

/** Raised when an invariant that the code itself guarantees is found broken (a bug). */
export class InvariantViolationError extends FleetError {
  /** Returns a new error naming the broken invariant. */
  constructor(
    readonly invariant: string,
    message: string,
  ) {
    super('INVARIANT_VIOLATION', `${invariant}: ${message}`);
  }
}
