import fc from 'fast-check';
import { formatSessionSummary, parseSessionSummary, SUMMARY_FOOTER, SUMMARY_HEADER, type SessionSummaryRecord } from './session-summary';

const sample: SessionSummaryRecord = {
  scenario: 'vol-high',
  seed: '42:7',
  pnlRealised: 12.345678901234567,
  pnlUnrealised: -0.1,
  pnlTotal: 12.25,
  fees: -3.5e-7,
  funding: 0,
  quotes: 1200,
  fills: 31,
  hedges: 4,
  exits: 0,
  maxDrawdown: 5.25,
  killSwitch: true,
  killReason: 'daily loss limit',
  sessionDigest: 'a'.repeat(64),
};

describe('session summary v1', () => {
  it('prints the documented block', () => {
    const text = formatSessionSummary(sample);
    expect(text.split('\n')[0]).toBe(SUMMARY_HEADER);
    expect(text).toContain('\npnl_total: 12.25\n');
    expect(text).toContain('\nkill_switch: true\nkill_reason: daily loss limit\n');
    expect(text.trimEnd().endsWith(SUMMARY_FOOTER)).toBe(true);
  });

  it('round-trips exactly, surrounded by other output, taking the last block', () => {
    const first = formatSessionSummary({ ...sample, pnlTotal: 1 });
    const parsed = parseSessionSummary(`log line\n${first}more logs\n${formatSessionSummary(sample)}trailer\n`);
    expect(parsed).toEqual(sample);
  });

  it('writes null kill reasons as none and reads them back', () => {
    const quiet = { ...sample, killSwitch: false, killReason: null };
    expect(parseSessionSummary(formatSessionSummary(quiet))).toEqual(quiet);
  });

  it('round-trips any finite values (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), fc.boolean(), (pnl, fills, dd, killed) => {
        const s = { ...sample, pnlTotal: pnl, fills, maxDrawdown: dd, killSwitch: killed };
        expect(parseSessionSummary(formatSessionSummary(s))).toEqual({ ...s, pnlTotal: Object.is(pnl, -0) ? 0 : pnl, maxDrawdown: Object.is(dd, -0) ? 0 : dd });
      }),
    );
  });

  it('names the line and the value on malformed input', () => {
    const text = formatSessionSummary(sample);
    expect(() => parseSessionSummary('nothing here')).toThrow('no session summary found');
    expect(() => parseSessionSummary(text.replace('fills: 31', 'fills: 3.5'))).toThrow('summary line 11: fills must be a non-negative integer, received "3.5"');
    expect(() => parseSessionSummary(text.replace('kill_switch: true', 'kill_switch: yes'))).toThrow('kill_switch must be true or false, received "yes"');
    expect(() => parseSessionSummary(text.replace('fees: ', 'fee: '))).toThrow('expected field fees');
    expect(() => parseSessionSummary(text.replace(SUMMARY_HEADER, '=== session summary v9 ==='))).toThrow('unsupported summary version');
    expect(() => parseSessionSummary(text.replace(`${SUMMARY_FOOTER}\n`, ''))).toThrow('expected "=== end session summary ==="');
  });

  it('reads the bare field lines the core runner prints (exact decimal text)', () => {
    const core = [
      'scenario: calm',
      'seed: 7',
      'pnl_realised: 10.125',
      'pnl_unrealised: -0.5',
      'pnl_total: 9.3',
      'fees: 0.325',
      'funding: 0',
      'max_drawdown: 1.75',
      'quotes: 10',
      'fills: 2',
      'hedges: 1',
      'exits: 0',
      'kill_switch: false',
      'kill_reason: None',
      `session_digest: ${'b'.repeat(64)}`,
    ].join('\n');
    const parsed = parseSessionSummary(`starting\n${core}\n`);
    expect(parsed).toMatchObject({ scenario: 'calm', seed: '7', pnlTotal: 9.3, fees: 0.325, maxDrawdown: 1.75, killSwitch: false, killReason: null });
  });

  it('refuses to print values it could not read back', () => {
    expect(() => formatSessionSummary({ ...sample, pnlTotal: Number.NaN })).toThrow('pnl_total must be a finite number, received NaN');
    expect(() => formatSessionSummary({ ...sample, scenario: 'a\nb' })).toThrow('scenario must be a one-line');
  });
});
