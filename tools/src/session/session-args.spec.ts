import { parseSessionArgs, SessionArgsError, sessionEnvOf } from './session-args';

describe('parseSessionArgs', () => {
  it('gives the defaults for no arguments: a short two-venue session, calm then volatile', () => {
    expect(parseSessionArgs([])).toEqual({ scenario: 'calm-then-volatile', seed: 1, durationSeconds: 60, instruments: ['ETH-PERP'], tickMs: 250, venues: 2, live: false, window: 1, outDir: 'out/sessions', help: false });
  });

  it('reads every option', () => {
    expect(parseSessionArgs(['--scenario', 'volatile', '--seed', '42', '--duration', '30', '--instruments', 'ETH-PERP,BTC-PERP', '--tick-ms', '500', '--venues', '3', '--window', '2', '--live', '--out', 'elsewhere'])).toEqual({
      scenario: 'volatile',
      seed: 42,
      durationSeconds: 30,
      instruments: ['ETH-PERP', 'BTC-PERP'],
      tickMs: 500,
      venues: 3,
      live: true,
      window: 2,
      outDir: 'elsewhere',
      help: false,
    });
  });

  it('hands the services the same session through their environment', () => {
    expect(sessionEnvOf(parseSessionArgs(['--instruments', 'ETH-PERP,BTC-PERP', '--seed', '7']))).toMatchObject({ FLEET_INSTRUMENTS: 'ETH-PERP,BTC-PERP', FLEET_SEED: '7', FLEET_SCENARIO: 'calm-then-volatile', FLEET_MD_SOURCE: 'sim' });
  });

  it.each([
    [['--scenario', 'storm'], '--scenario must be one of'],
    [['--seed', '1.5'], '--seed must be a whole number from 0'],
    [['--duration', '0'], '--duration must be a whole number'],
    [['--instruments', 'eth'], '--instruments must be distinct instruments'],
    [['--instruments', 'ETH-PERP,ETH-PERP'], '--instruments must be distinct instruments'],
    [['--venues', '4'], '--venues must be a whole number from 2 to 3'],
    [['--seed'], '--seed needs a value'],
    [['--colour', 'red'], 'unknown option "--colour"'],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseSessionArgs(argv)).toThrow(SessionArgsError);
    expect(() => parseSessionArgs(argv)).toThrow(message);
  });
});
