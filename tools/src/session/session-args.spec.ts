import { parseSessionArgs, SessionArgsError } from './session-args';

describe('parseSessionArgs', () => {
  it('gives the defaults for no arguments', () => {
    expect(parseSessionArgs([])).toEqual({ scenario: 'calm', seed: 1, durationSeconds: 60, outDir: 'out/sessions', help: false });
  });

  it('reads every option', () => {
    expect(parseSessionArgs(['--scenario', 'volatile', '--seed', '42', '--duration', '30', '--out', '/tmp/x'])).toEqual({
      scenario: 'volatile',
      seed: 42,
      durationSeconds: 30,
      outDir: '/tmp/x',
      help: false,
    });
  });

  it.each([
    [['--scenario', 'storm'], '--scenario must be one of'],
    [['--seed', '1.5'], '--seed must be an integer; received "1.5"'],
    [['--duration', '0'], '--duration must be a whole number'],
    [['--seed'], '--seed needs a value'],
    [['--colour', 'red'], 'unknown option "--colour"'],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseSessionArgs(argv)).toThrow(SessionArgsError);
    expect(() => parseSessionArgs(argv)).toThrow(message);
  });
});
