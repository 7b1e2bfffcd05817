import { chainDigest, digestOf, presetScenario, runnerConfigForScenario, sha256Hex } from '@fleet/core';
import { GENESIS_HASH } from './record';
import { buildSessionManifest, deriveSessionId, marketDataChain, verifySessionManifest, type SessionManifest, type SessionManifestInput } from './session-manifest';
import { Topics } from '@fleet/contracts';

const scenario = presetScenario('calm', { durationUs: 20_000_000 });
const config = runnerConfigForScenario(scenario);

function input(): SessionManifestInput {
  return {
    createdFrom: { scenario: 'calm', seed: 7, durationSeconds: 20, scenarioDigest: digestOf(scenario) },
    config,
    codeVersion: { packageVersion: '0.1.0', gitCommit: 'a38479b6d0c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5', gitTreeDirty: false },
    schemas: { subjects: { 'md.trade-value': 3, 'md.book-value': 2 }, catalogueDigest: sha256Hex('catalogue') },
    topics: {
      [Topics.mdTrade.name]: [
        { partition: 1, start: '40', end: '52' },
        { partition: 0, start: '0', end: '0' },
      ],
      [Topics.mdBook.name]: [{ partition: 0, start: '100', end: '180' }],
    },
    digests: { sessionDigest: sha256Hex('session'), summaryDigest: sha256Hex('summary'), marketDataDigest: marketDataChain(['e1', 'e2']) },
    counts: { scenarioEvents: 120, marketDataPublished: 92, marketDataVerified: 92 },
  };
}

/** Returns a deep copy with the field at `path` set to `value` (deleted when undefined): what a tampered file parses to. */
function tampered(manifest: SessionManifest, path: readonly (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

describe('buildSessionManifest', () => {
  it('derives the id from the scenario, seed, duration and config, and sorts topics by name and partition', () => {
    const m = buildSessionManifest(input());
    expect(m.sessionId).toBe(deriveSessionId({ scenario: 'calm', seed: 7, durationSeconds: 20 }, config));
    expect(m.sessionId).toMatch(/^[0-9a-f]{24}$/);
    expect(Object.keys(m.topics)).toEqual([Topics.mdBook.name, Topics.mdTrade.name]);
    expect(m.topics[Topics.mdTrade.name]!.map((p) => p.partition)).toEqual([0, 1]);
    expect(m.configDigest).toBe(digestOf(config));
    expect(verifySessionManifest(m)).toEqual([]);
  });

  it('gives the same content digest when only the offsets move, and a different manifest digest', () => {
    const a = buildSessionManifest(input());
    const b = buildSessionManifest({ ...input(), topics: { [Topics.mdBook.name]: [{ partition: 0, start: '180', end: '260' }] } });
    expect(b.contentDigest).toBe(a.contentDigest);
    expect(b.manifestDigest).not.toBe(a.manifestDigest);
    expect(buildSessionManifest(input())).toEqual(a);
  });

  it('survives a JSON round trip unchanged', () => {
    const m = buildSessionManifest(input());
    expect(verifySessionManifest(JSON.parse(JSON.stringify(m)))).toEqual([]);
  });
});

describe('marketDataChain', () => {
  it('chains the event ids in order from the genesis hash', () => {
    const enc = new TextEncoder();
    expect(marketDataChain([])).toBe(GENESIS_HASH);
    expect(marketDataChain(['a', 'b'])).toBe(chainDigest(chainDigest(GENESIS_HASH, enc.encode('a')), enc.encode('b')));
    expect(marketDataChain(['b', 'a'])).not.toBe(marketDataChain(['a', 'b']));
  });
});

describe('verifySessionManifest', () => {
  const m = buildSessionManifest(input());

  it.each<[string, (string | number)[], unknown, string[]]>([
    ['a seed', ['createdFrom', 'seed'], 8, ['sessionId', 'contentDigest', 'manifestDigest']],
    ['a config value', ['config', 'marginPerVenueUsd'], 1, ['configDigest', 'sessionId', 'contentDigest', 'manifestDigest']],
    ['the scenario digest', ['createdFrom', 'scenarioDigest'], sha256Hex('other'), ['contentDigest', 'manifestDigest']],
    ['the git commit', ['codeVersion', 'gitCommit'], 'unknown', ['contentDigest', 'manifestDigest']],
    ['a schema id', ['schemas', 'subjects', 'md.book-value'], 9, ['contentDigest', 'manifestDigest']],
    ['the session digest', ['digests', 'sessionDigest'], sha256Hex('forged'), ['contentDigest', 'manifestDigest']],
    ['a count', ['counts', 'marketDataVerified'], 91, ['contentDigest', 'manifestDigest']],
    ['an end offset', ['topics', Topics.mdBook.name, 0, 'end'], '181', ['manifestDigest']],
    ['the content digest', ['contentDigest'], sha256Hex('x'), ['contentDigest', 'manifestDigest']],
    ['the manifest digest', ['manifestDigest'], sha256Hex('x'), ['manifestDigest']],
  ])('detects %s being changed', (_what, path, value, fields) => {
    expect(verifySessionManifest(tampered(m, path, value)).map((p) => p.field)).toEqual(fields);
  });

  it('names the offset field when an end is before its start', () => {
    const problems = verifySessionManifest(tampered(m, ['topics', Topics.mdBook.name, 0, 'end'], '99'));
    expect(problems).toEqual([{ field: 'topics.md.book[0].end', message: 'end offset 99 is before start offset 100' }]);
  });

  it('names malformed fields and what was received', () => {
    expect(verifySessionManifest(tampered(m, ['createdFrom', 'seed'], '7'))).toEqual([{ field: 'createdFrom.seed', message: 'must be an integer; received "7"' }]);
    expect(verifySessionManifest(tampered(m, ['digests', 'summaryDigest'], undefined))[0]!.field).toBe('digests.summaryDigest');
    expect(verifySessionManifest([])).toEqual([{ field: '<root>', message: 'the manifest is not a JSON object' }]);
  });
});
