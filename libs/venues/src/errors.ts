import { FleetError, type FleetErrorOptions } from '@fleet/core';

/** Raised by a venue adapter: a venue that failed, answered badly or was misconfigured. */
export class VenueError extends FleetError {
  /** Returns a new venue error; `venue` names the venue or source it concerns. */
  constructor(
    code: string,
    readonly venue: string,
    message: string,
    options: FleetErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Raised when a recorded market-data file is malformed; names the file and the line. */
export class RecordedFileError extends FleetError {
  /** Returns a new error naming the file, the 1-based line number and the problem. */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super('RECORDED_FILE', `${file}:${line}: ${problem}`);
  }
}

/** Raised when live trading is asked for without the explicit opt-in setting. */
export class LiveTradingNotEnabledError extends FleetError {
  /** Returns a new error naming the setting and the value it needs. */
  constructor(
    readonly setting: string,
    readonly requiredValue: string,
  ) {
    super('LIVE_TRADING_NOT_ENABLED', `live trading is disabled: set the environment variable ${setting}=${requiredValue} to enable it (received no such setting or another value)`);
  }
}
