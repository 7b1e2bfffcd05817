import { parseWhyArgs, parseWhyServerArgs, WhyArgsError } from './why-args';

const ID = '385d530f0efbc0ebb28ceb77';
const FILL = 'c5d14da9f52a7994f35f5eeb8e4575842cc1e928e35378ad3aec8062b994fd2a';

describe('parseWhyArgs', () => {
  it('reads one subject of a session', () => {
    expect(parseWhyArgs(['--session', ID, '--fill', FILL, '--json'])).toEqual({ help: false, sessionId: ID, subject: { kind: 'fill', id: FILL }, outDir: 'out/sessions', json: true });
    expect(parseWhyArgs(['--order', 'c3fe38b515e4857174a79de707c5e79b', '--session', ID, '--out', 'elsewhere']).subject).toEqual({ kind: 'order', id: 'c3fe38b515e4857174a79de707c5e79b' });
    expect(parseWhyArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--order', 'x'], '--session is required'],
    [['--session', ID], 'exactly one of --order, --fill, --intent or --signal is required; received none'],
    [['--session', ID, '--order', 'a', '--fill', 'b'], 'exactly one of --order, --fill, --intent or --signal is required; received --order, --fill'],
    [['--session', ID, '--order', 'a/b'], '--order must be an id of 1 to 64 letters, digits, dashes or underscores; received "a/b"'],
    [['--session', ID, '--order', 'a', '--order', 'b'], '--order is given twice'],
    [['--session', ID, 'order'], 'unexpected argument "order"'],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseWhyArgs(argv)).toThrow(WhyArgsError);
    expect(() => parseWhyArgs(argv)).toThrow(message);
  });
});

describe('parseWhyServerArgs', () => {
  it('reads the session and the port', () => {
    expect(parseWhyServerArgs(['--session', ID, '--port', '0'])).toEqual({ help: false, sessionId: ID, port: 0, host: '127.0.0.1', outDir: 'out/sessions' });
    expect(() => parseWhyServerArgs(['--session', ID])).toThrow('--port is required (0 picks a free port)');
    expect(() => parseWhyServerArgs(['--session', ID, '--port', '70000'])).toThrow('--port must be a TCP port from 0 to 65535; received "70000"');
  });
});
