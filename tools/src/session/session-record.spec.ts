import { buildSessionManifest, type SessionManifest, verifySessionManifest } from '@fleet/audit';
import { Topics } from '@fleet/contracts';
import { digestOf, sha256Hex } from '@fleet/core';
import { sessionFixture } from '../replay/testing/session-fixture';
import { type LoggedRecord, sessionDigest, sessionFigures } from '@fleet/fleet-session';
import { asWritten, fieldDifferences, fleetSummaryFile, formatDifference, judgeSession, marketDataCounts, recountSession, verdictExitCode } from './session-record';

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

describe('fleetSummaryFile', () => {
  const fx = sessionFixture();
  const createdFrom = { scenario: 'calm', seed: 3, durationSeconds: 5 };

  it('summarises a log: the figures, the market-data time span and the session digest', () => {
    const file = fleetSummaryFile('s1', createdFrom, fx.records, 2);
    const figures = sessionFigures(fx.records);
    const mdTimes = fx.records.filter((r) => r.topic === Topics.mdBook.name).map((r) => (r.value.envelope as unknown as { eventTimeUs: number }).eventTimeUs);
    expect(file.fleet).toEqual({ ticks: Math.max(...fx.records.map((r) => r.tick)) + 1, events: fx.records.length, deadLetters: 2, riskDenials: figures.riskDenials, budgetDenials: figures.budgetDenials });
    expect(file.summary).toMatchObject({ scenario: 'calm', seed: '3', startUs: Math.min(...mdTimes), endUs: Math.max(...mdTimes), fills: 1, makerFills: 1, quotes: 1, actions: 3 });
    expect(file.sessionDigest).toBe(sessionDigest(fx.records));
    expect(fleetSummaryFile('s1', createdFrom, [...fx.records].reverse(), 2)).toEqual(file);
    const books = mdTimes.length;
    expect(marketDataCounts(fx.records)).toEqual({ scenarioEvents: books, marketDataPublished: books, marketDataVerified: books });
  });
});

describe('judgeSession', () => {
  const fx = sessionFixture();
  const createdFrom = { scenario: 'calm', seed: 3, durationSeconds: 5 };
  const today = { catalogueDigest: sha256Hex('catalogue'), scenarioDigest: sha256Hex('lanes') };
  const recount = (records: readonly LoggedRecord[], id: string) => recountSession(id, createdFrom, records, 0, today);
  const manifestFor = (summaryDigest: string): SessionManifest => {
    const r = recount(fx.records, 'probe');
    return buildSessionManifest({
      createdFrom: { ...createdFrom, scenarioDigest: today.scenarioDigest },
      config: { session: { FLEET_SCENARIO: 'calm' }, run: 1, lanes: {} },
      codeVersion: { packageVersion: '0.1.0', gitCommit: 'unknown', gitTreeDirty: null },
      schemas: { subjects: {}, catalogueDigest: today.catalogueDigest },
      topics: { [Topics.mdBook.name]: [{ partition: 3, start: '0', end: '3' }] },
      digests: { sessionDigest: r.summaryFile.sessionDigest, summaryDigest, marketDataDigest: r.marketDataDigest },
      counts: r.counts,
    });
  };
  const probe = manifestFor(sha256Hex('placeholder'));
  const summaryFile = recount(fx.records, probe.sessionId).summaryFile;
  const manifest = manifestFor(digestOf(summaryFile));

  it('passes an intact session whose log gives the same record', () => {
    const verdict = judgeSession(manifest, verifySessionManifest(manifest), summaryFile, recount(fx.records, manifest.sessionId));
    expect(verdict).toEqual({ integrity: [], parity: [], notes: [] });
    expect(verdictExitCode(verdict)).toBe(0);
  });

  it('fails a tampered summary.json on its digest and names the field that changed', () => {
    const tampered = asWritten(summaryFile) as unknown as { summary: { pnl: { total: string } } };
    tampered.summary.pnl.total = '1000000';
    const verdict = judgeSession(manifest, [], tampered, recount(fx.records, manifest.sessionId));
    expect(verdict.integrity.map((p) => p.field)).toEqual(['summary.json']);
    expect(verdict.parity).toEqual([{ field: 'summary.json summary.pnl.total', recorded: '1000000', replayed: summaryFile.summary.pnl.total }]);
    expect(verdictExitCode(verdict)).toBe(1);
  });

  it('reports a log that no longer gives the recorded decisions, session digest first', () => {
    const shorter = fx.records.filter((r) => r.value.envelope.eventId !== fx.sell.decision);
    const verdict = judgeSession(manifest, [], summaryFile, recount(shorter, manifest.sessionId));
    expect(verdict.integrity).toEqual([]);
    expect(verdict.parity[0]).toEqual({ field: 'digests.sessionDigest', recorded: manifest.digests.sessionDigest, replayed: sessionDigest(shorter) });
    expect(verdict.parity.map((d) => d.field)).toContain('summary.json fleet.events');
  });

  it('reports market data whose digests no longer match, and notes changed catalogues and configurations without failing', () => {
    const book = fx.records.find((r) => r.value.envelope.eventId === fx.books.a0)!;
    const corrupt = fx.records.map((r) => (r === book ? { ...r, value: { ...r.value, venue: 'venue-z' } } : r));
    const verdict = judgeSession(manifest, [], summaryFile, recount(corrupt, manifest.sessionId));
    const books = fx.records.filter((r) => r.topic === Topics.mdBook.name).length;
    expect(verdict.parity).toEqual([{ field: 'counts.marketDataVerified', recorded: books, replayed: books - 1 }]);
    const later = judgeSession(manifest, [], summaryFile, recountSession(manifest.sessionId, createdFrom, fx.records, 0, { catalogueDigest: sha256Hex('new'), scenarioDigest: sha256Hex('new') }));
    expect(later.notes).toHaveLength(2);
    expect(verdictExitCode(later)).toBe(0);
  });
});
