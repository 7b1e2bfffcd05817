import { buildSessionManifest, marketDataChain, verifySessionManifest, type SessionManifest } from '@fleet/audit';
import { digestOf, presetScenario, runnerConfigForScenario, runSession, sha256Hex } from '@fleet/core';
import { asWritten, fieldDifferences, formatDifference, judgeSession, verdictExitCode, type SessionReplay, type SessionSummaryFile } from './session-record';
import { Topics } from '@fleet/contracts';

describe('fieldDifferences', () => {
  it('names each differing leaf by its dotted path, in sorted key order', () => {
    const recorded = { summary: { pnl: { total: '1.5', fees: '0.1' }, byVenue: [1, 2] }, id: 'a' };
    const replayed = { summary: { pnl: { total: '2', fees: '0.1' }, byVenue: [1, 3] }, id: 'a', extra: true };
    expect(fieldDifferences(recorded, replayed)).toEqual([
      { field: 'extra', recorded: undefined, replayed: true },
      { field: 'summary.byVenue[1]', recorded: 2, replayed: 3 },
      { field: 'summary.pnl.total', recorded: '1.5', replayed: '2' },
    ]);
    expect(fieldDifferences(recorded, JSON.parse(JSON.stringify(recorded)))).toEqual([]);
    expect(formatDifference({ field: 'extra', recorded: undefined, replayed: true })).toBe('extra: recorded (absent), replayed true');
  });
});

describe('judgeSession', () => {
  // A real (short) session: the replay below is what verify computes.
  const scenario = presetScenario('calm', { durationUs: 5_000_000 });
  const config = runnerConfigForScenario(scenario);
  const result = runSession(config, scenario, 3, { recordActions: false });
  const createdFrom = { scenario: 'calm', seed: 3, durationSeconds: 5 };
  const chain = marketDataChain(['ev-1', 'ev-2']);
  const summaryFileOf = (sessionId: string): SessionSummaryFile => asWritten({ sessionId, createdFrom, kafka: { published: 2, verified: 2 }, summary: result.summary, sessionDigest: result.digest });
  const manifestFor = (summaryDigest: string): SessionManifest =>
    buildSessionManifest({
      createdFrom: { ...createdFrom, scenarioDigest: digestOf(scenario) },
      config,
      codeVersion: { packageVersion: '0.1.0', gitCommit: 'unknown', gitTreeDirty: null },
      schemas: { subjects: { 'md.book-value': 1 }, catalogueDigest: sha256Hex('catalogue') },
      topics: { [Topics.mdBook.name]: [{ partition: 2, start: '600', end: '602' }] },
      digests: { sessionDigest: result.digest, summaryDigest, marketDataDigest: chain },
      counts: { scenarioEvents: 4, marketDataPublished: 2, marketDataVerified: 2 },
    });
  const probe = manifestFor(sha256Hex('placeholder'));
  const summaryFile = summaryFileOf(probe.sessionId);
  const manifest = manifestFor(digestOf(summaryFile));
  const replay: SessionReplay = { scenarioDigest: digestOf(scenario), configDigestToday: digestOf(config), marketDataDigest: chain, catalogueDigest: sha256Hex('catalogue'), summaryFile: summaryFileOf(manifest.sessionId) };

  it('passes an intact session whose replay is identical', () => {
    const verdict = judgeSession(manifest, verifySessionManifest(manifest), summaryFile, replay);
    expect(verdict).toEqual({ integrity: [], parity: [], notes: [] });
    expect(verdictExitCode(verdict)).toBe(0);
  });

  it('fails a tampered summary.json on its digest and names the field that changed', () => {
    const tampered = JSON.parse(JSON.stringify(summaryFile)) as { summary: { pnl: { total: string } } };
    tampered.summary.pnl.total = '1000000';
    const verdict = judgeSession(manifest, [], tampered, replay);
    expect(verdict.integrity.map((p) => p.field)).toEqual(['summary.json']);
    expect(verdict.parity).toEqual([{ field: 'summary.json summary.pnl.total', recorded: '1000000', replayed: result.summary.pnl.total }]);
    expect(verdictExitCode(verdict)).toBe(1);
  });

  it('reports a replay whose decisions differ, session digest first', () => {
    const other = runSession(config, scenario, 4, { recordActions: false });
    const verdict = judgeSession(manifest, [], summaryFile, { ...replay, summaryFile: { ...replay.summaryFile, summary: other.summary, sessionDigest: other.digest } });
    expect(verdict.integrity).toEqual([]);
    expect(verdict.parity[0]).toEqual({ field: 'digests.sessionDigest', recorded: result.digest, replayed: other.digest });
    expect(verdictExitCode(verdict)).toBe(1);
  });

  it('reports changed market data and a changed preset scenario', () => {
    const verdict = judgeSession(manifest, [], summaryFile, { ...replay, scenarioDigest: sha256Hex('x'), marketDataDigest: marketDataChain(['ev-2', 'ev-1']) });
    expect(verdict.parity.map((d) => d.field)).toEqual(['createdFrom.scenarioDigest', 'digests.marketDataDigest']);
  });

  it('notes a changed schema catalogue or default config without failing', () => {
    const verdict = judgeSession(manifest, [], summaryFile, { ...replay, catalogueDigest: sha256Hex('new'), configDigestToday: sha256Hex('new') });
    expect(verdict.notes).toHaveLength(2);
    expect(verdictExitCode(verdict)).toBe(0);
  });
});
