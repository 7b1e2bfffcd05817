import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './cli';
import { main, parseGrid, parseRanges, RUN_COLUMNS } from './sweep';

jest.setTimeout(180_000);

const tmp = mkdtempSync(join(tmpdir(), 'sweep-spec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

describe('the sweep command', () => {
  it('parses initialInventory in --grid and --ranges, negatives included', () => {
    expect(parseGrid(['balanced'], 'initialInventory=-6,0,6;gamma=0.1')).toEqual({ profile: ['balanced'], values: { initialInventory: [-6, 0, 6], gamma: [0.1] } });
    expect(parseRanges(['balanced'], 'initialInventory=-3:3').ranges.initialInventory).toEqual({ min: -3, max: 3, log: false });
    expect(() => parseRanges(['balanced'], 'gamma=-1:1')).toThrow(new UsageError('--ranges needs 0 < min ≤ max, received "gamma=-1:1"'));
    expect(() => parseRanges(['balanced'], 'initialInventory=3:-3')).toThrow('--ranges needs min ≤ max for initialInventory (and 0 < min with log), received "initialInventory=3:-3"');
  });

  it('writes rows for every initialInventory value of a grid', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = join(tmp, 'grid');
    const code = await main(['--seed', 'inv', '--grid', 'initialInventory=-6,0,6', '--episodes-per-scenario', '1', '--duration-sec', '3', '--workers', '1', '--quiet', '--out', out]);
    expect(code).toBe(0);
    const [header, ...lines] = readFileSync(join(out, 'sweep_runs.csv'), 'utf8').trim().split('\n');
    expect(header!.split(',')).toEqual(RUN_COLUMNS);
    const col = RUN_COLUMNS.indexOf('initialInventory');
    const values = lines.map((l) => l.split(',')[col]);
    const perCandidate = lines.length / 3;
    expect(perCandidate).toBeGreaterThan(0);
    expect(values).toEqual([...Array(perCandidate).fill('-6'), ...Array(perCandidate).fill('0'), ...Array(perCandidate).fill('6')]);
    const digest = RUN_COLUMNS.indexOf('session_digest');
    // Same episode seeds per candidate: the inventory changes the sessions.
    expect(lines[0]!.split(',')[digest]).not.toBe(lines[2 * perCandidate]!.split(',')[digest]);
    const summary = readFileSync(join(out, 'sweep_summary.csv'), 'utf8');
    expect(summary.split('\n')[0]).toContain('initialInventory');
  });
});
