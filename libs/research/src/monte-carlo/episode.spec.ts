import { runnerConfigForScenario, runSession } from '@fleet/core';
import { buildScenario, SCENARIO_LIBRARY_V1 } from '../scenarios';
import { formatSessionSummary, parseSessionSummary, summaryRecordOf } from '../summary';
import { runEpisode } from './episode';
import { orderedResults, planEpisodes, summariseMonteCarlo } from './monte-carlo';

const venueOutage = SCENARIO_LIBRARY_V1.find((s) => s.name === 'venue-outage')!;

describe('episodes on the core runner', () => {
  it('runs runSession and is deterministic per seed', () => {
    const a = runEpisode({ profile: 'balanced' }, venueOutage, 's:1', 0, { durationSec: 5 });
    expect(runEpisode({ profile: 'balanced' }, venueOutage, 's:1', 0, { durationSec: 5 })).toEqual(a);
    expect(a.venueTicks).toBe(100);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(parseSessionSummary(a.summary)).toMatchObject({ scenario: 'venue-outage', seed: 's:1', pnlTotal: a.pnl, sessionDigest: a.digest });
  });

  it("parses a core session's summary, as the main job prints it, with the shared parser", () => {
    const sc = buildScenario(venueOutage.name, venueOutage.description, { ...venueOutage.params, durationSec: 5 });
    const { summary, digest } = runSession(runnerConfigForScenario(sc), sc, 's:1', { recordActions: false });
    const parsed = parseSessionSummary(`log\n${formatSessionSummary(summaryRecordOf(summary, digest))}\n`);
    expect(parsed.pnlTotal).toBe(Number(summary.pnl.total));
    expect(parsed.killSwitch).toBe(summary.killSwitch);
    expect(parsed.sessionDigest).toBe(digest);
    expect(parsed.pnlTotal).toBe(runEpisode({ profile: 'balanced' }, venueOutage, 's:1', 0, { durationSec: 5 }).pnl);
  });

  it('passes initialInventory to the session as a position on the first venue (0 is the flat session)', () => {
    const flat = runEpisode({ profile: 'balanced' }, venueOutage, 's:1', 0, { durationSec: 5 });
    expect(runEpisode({ profile: 'balanced', initialInventory: 0 }, venueOutage, 's:1', 0, { durationSec: 5 }).digest).toBe(flat.digest);
    const long = runEpisode({ profile: 'balanced', initialInventory: 6 }, venueOutage, 's:1', 0, { durationSec: 5 });
    expect(long.digest).not.toBe(flat.digest);
    expect(long.pnl).not.toBe(flat.pnl);
    expect(runEpisode({ profile: 'balanced', initialInventory: 6 }, venueOutage, 's:1', 0, { durationSec: 5 })).toEqual(long);
  });
});

describe('the Monte Carlo plan and summary', () => {
  it('plans seeds and scenarios round-robin from the index alone', () => {
    expect(planEpisodes(7, ['a', 'b'], 3)).toEqual([
      { index: 0, scenario: 'a', seed: '7:0' },
      { index: 1, scenario: 'b', seed: '7:1' },
      { index: 2, scenario: 'a', seed: '7:2' },
    ]);
  });

  it('summarises results in index order whatever the arrival order, and refuses gaps', () => {
    const r = (index: number, pnl: number) => ({ index, scenario: 'a', seed: `s:${index}`, pnl, maxDrawdown: 1, killed: false, killReason: null, fills: 0, quotes: 0, hedges: 0, exits: 0, venueTicks: 0, digest: '', summary: '' });
    const meta = { seed: 's', candidate: {}, suite: 'x', scenarios: ['a'] };
    expect(summariseMonteCarlo(meta, [r(1, 2), r(0, 1)])).toEqual(summariseMonteCarlo(meta, [r(0, 1), r(1, 2)]));
    expect(() => orderedResults([r(0, 1), r(2, 1)])).toThrow('received index 2 at position 1');
  });
});
