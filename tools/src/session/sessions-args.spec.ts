import { SessionArgsError } from './session-args';
import { parseSessionsArgs } from './sessions-args';

const ID = '385d530f0efbc0ebb28ceb77';

describe('parseSessionsArgs', () => {
  it('reads list, show and verify with their options', () => {
    expect(parseSessionsArgs(['list'])).toEqual({ action: 'list', outDir: 'out/sessions', json: false });
    expect(parseSessionsArgs(['show', ID, '--out', '/tmp/s'])).toEqual({ action: 'show', outDir: '/tmp/s', json: false, id: ID });
    expect(parseSessionsArgs(['--json', 'verify', ID])).toEqual({ action: 'verify', outDir: 'out/sessions', json: true, id: ID });
    expect(parseSessionsArgs(['verify', '--help'])).toEqual({ action: 'help' });
  });

  it.each([
    [[], 'a command is required: list, show <id> or verify <id>; received nothing'],
    [['replay', ID], 'the command must be list, show or verify; received "replay"'],
    [['verify'], 'verify needs exactly one session id; received none'],
    [['show', ID, ID], `show needs exactly one session id; received ["${ID}","${ID}"]`],
    [['verify', '385D'], 'the session id must be 24 lower-case hex characters; received "385D"'],
    [['list', 'x'], 'list takes no arguments; received ["x"]'],
    [['list', '--out'], '--out needs a directory; received nothing'],
    [['list', '--out', '--json'], '--out needs a directory; received "--json"'],
    [['list', '--colour'], 'unknown option "--colour"'],
  ])('refuses %j naming the argument and what was received', (argv, message) => {
    expect(() => parseSessionsArgs(argv)).toThrow(SessionArgsError);
    expect(() => parseSessionsArgs(argv)).toThrow(message);
  });
});
