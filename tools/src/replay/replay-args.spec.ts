import { parseReplayArgs, ReplayArgsError } from './replay-args';

const ID = '385d530f0efbc0ebb28ceb77';

describe('parseReplayArgs', () => {
  it('reads a shadow replay with overrides and a last tick', () => {
    const args = parseReplayArgs(['--session', ID, '--service', 'risk-shield', '--set', 'FLEET_SCENARIO=loss-limit', '--set', 'FLEET_NOTE=a=b', '--to-tick', '12', '--json']);
    expect(args).toMatchObject({ help: false, sessionId: ID, service: 'risk-shield', mode: 'shadow', sets: { FLEET_SCENARIO: 'loss-limit', FLEET_NOTE: 'a=b' }, toTick: 12, json: true, restart: true, resetTo: { kind: 'earliest' } });
  });

  it('reads a reset replay only with the acknowledgement', () => {
    expect(parseReplayArgs(['--session', ID, '--service', 'quoting', '--mode', 'reset', '--i-know-outputs-duplicate', '--reset-to', '2026-01-02T03:04:05Z', '--no-restart'])).toMatchObject({
      mode: 'reset',
      iKnowOutputsDuplicate: true,
      restart: false,
      resetTo: { kind: 'time', timestampMs: Date.UTC(2026, 0, 2, 3, 4, 5) },
    });
  });

  it.each([
    [['--service', 'quoting'], '--session is required'],
    [['--session', 'abc', '--service', 'quoting'], '--session must be a session id of 24 lower-case hex characters; received "abc"'],
    [['--session', ID, '--service', 'market-gateway'], '--service must be one of fair-value, quoting, hedge, exit, risk-shield, budget-ledger, execution-router; received "market-gateway"'],
    [['--session', ID, '--service', 'quoting', '--set', 'lower=1'], '--set must be KEY=VALUE with an upper-case environment variable name; received "lower=1"'],
    [['--session', ID, '--service', 'quoting', '--set', 'FLEET_TOPIC_PREFIX=x.'], '--set cannot change FLEET_TOPIC_PREFIX: the replay sets it to keep production untouched'],
    [['--session', ID, '--service', 'quoting', '--mode', 'reset'], '--mode reset replays in place'],
    [['--session', ID, '--service', 'quoting', '--mode', 'reset', '--i-know-outputs-duplicate', '--set', 'A=1'], '--set applies to shadow replays only'],
    [['--session', ID, '--service', 'quoting', '--no-restart'], '--i-know-outputs-duplicate, --reset-to and --no-restart apply to --mode reset only'],
    [['--session', ID, '--service', 'quoting', '--to-tick', '-1'], '--to-tick must be a tick number (a whole number from 0); received "-1"'],
    [['--session', ID, '--service', 'quoting', '--to-tick'], '--to-tick needs a value; received nothing'],
    [['--session', ID, '--service', 'quoting', '--to-tick', 'x'], '--to-tick must be a tick number (a whole number from 0); received "x"'],
    [['--session', ID, '--service', 'quoting', '--mode', 'reset', '--i-know-outputs-duplicate', '--reset-to', 'yesterday'], '--reset-to must be earliest or an ISO-8601 time such as 2026-01-02T03:04:05Z; received "yesterday"'],
    [['--session', ID, '--service', 'quoting', '--timeout', '5'], '--timeout must be whole seconds, at least 10; received "5"'],
    [['--session', ID, '--service', 'quoting', '--colour', 'red'], 'unknown option "--colour"'],
  ])('refuses %j naming the option and what was received', (argv, message) => {
    expect(() => parseReplayArgs(argv)).toThrow(ReplayArgsError);
    expect(() => parseReplayArgs(argv)).toThrow(message);
  });
});
