import { FleetError, IllegalTransitionError, InvariantViolationError, resultErr, resultOk, ValidationError } from './index';

describe('FleetError hierarchy', () => {
  it('carries code, retriable and cause', () => {
    const cause = new Error('socket closed');
    const e = new FleetError('VENUE_TIMEOUT', 'venue did not answer', { retriable: true, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('VENUE_TIMEOUT');
    expect(e.retriable).toBe(true);
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('FleetError');
  });

  it('makes validation, transition and invariant errors non-retriable FleetErrors with their own names', () => {
    const errors = [new ValidationError('price', 'bad'), new IllegalTransitionError('order', 'filled', 'ack'), new InvariantViolationError('x', 'y')];
    for (const e of errors) {
      expect(e).toBeInstanceOf(FleetError);
      expect(e.retriable).toBe(false);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(errors[1].message).toBe('order: event "ack" is not allowed in state "filled"');
  });

  it('builds results', () => {
    expect(resultOk(1)).toEqual({ ok: true, value: 1 });
    expect(resultErr('no')).toEqual({ ok: false, error: 'no' });
  });
});
