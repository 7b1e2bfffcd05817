import { generateMarketEvents } from '@fleet/core';
import { buildScenario, NEUTRAL_PARAMS } from './scenario-params';
import {
  buildScenarioManifest,
  checkScenarioManifest,
  loadCheckedSuite,
  prettyCanonical,
  SCENARIO_LIBRARY_V1,
  SCENARIO_SUITES_V1,
  scenarioFileName,
  ScenarioIntegrityError,
} from './scenario-library';

function libraryFiles(): Record<string, string> {
  return Object.fromEntries(SCENARIO_LIBRARY_V1.map((s) => [scenarioFileName(s.name), prettyCanonical(s)]));
}

describe('scenario library v1', () => {
  it('has the ten scenarios of the seed, a smoke suite of five and a full suite of ten', () => {
    expect(SCENARIO_LIBRARY_V1.map((s) => s.family)).toEqual(['volatility', 'volatility', 'volatility', 'liquidity', 'liquidity', 'outage', 'funding', 'funding', 'basis', 'basis']);
    expect(SCENARIO_SUITES_V1.smoke).toHaveLength(5);
    expect(SCENARIO_SUITES_V1.full).toHaveLength(10);
    expect(new Set(SCENARIO_LIBRARY_V1.map((s) => s.name)).size).toBe(10);
  });

  it('builds every scenario into a core scenario with the knob it names', () => {
    const built = Object.fromEntries(SCENARIO_LIBRARY_V1.map((s) => [s.name, buildScenario(s.name, s.description, s.params)]));
    expect(built['vol-medium']!.knobs.volRegimes).toEqual([]);
    expect(built['vol-high']!.knobs.volRegimes[0]!.multiplier).toBe(2);
    expect(built['liquidity-spread-widening']!.knobs.liquidityShocks[0]).toMatchObject({ spreadMult: 4, depthMult: 1 });
    expect(built['liquidity-depth-thinning']!.knobs.liquidityShocks[0]).toMatchObject({ spreadMult: 1, depthMult: 0.2 });
    expect(built['venue-outage']!.knobs.outages[0]).toEqual({ venue: 'venue-b', fromUs: 1_440_000_000, toUs: 2_160_000_000 });
    expect(built['funding-sign-flip']!.knobs.fundingFlips.map((f) => f.rate)).toEqual([-0.0003, -0.00045]);
    const drift = built['funding-drift']!.knobs.fundingFlips.filter((f) => f.venue === 'venue-a');
    expect(drift).toHaveLength(45);
    expect(drift[drift.length - 1]!.rate).toBeLessThan(0);
    expect(built['basis-spike-positive']!.knobs.basisSpikes[0]!.bps).toBe(40);
    expect(built['basis-spike-negative']!.knobs.basisSpikes[0]!.bps).toBe(-40);
    expect(built['vol-low']!.sim.venues).toHaveLength(2);
    expect(built['vol-low']!.sim.stepUs).toBe(100_000);
  });

  it('is seeded and reproducible: the same scenario and seed give the same market', () => {
    const s = buildScenario('t', 't', { ...NEUTRAL_PARAMS, durationSec: 5 });
    expect(generateMarketEvents(s, 3)).toEqual(generateMarketEvents(s, 3));
    expect(generateMarketEvents(s, 3)).not.toEqual(generateMarketEvents(s, 4));
  });

  it('refuses bad parameters and names them', () => {
    expect(() => buildScenario('x', 'x', { ...NEUTRAL_PARAMS, venueCount: 5 })).toThrow('venueCount must be 2 or 3, received 5');
    expect(() => buildScenario('x', 'x', { ...NEUTRAL_PARAMS, stressFromFrac: 0.9, stressToFrac: 0.1 })).toThrow('received 0.9 and 0.1');
  });
});

describe('the manifest check', () => {
  const files = libraryFiles();
  const manifest = buildScenarioManifest('scenario_library_v1', files, SCENARIO_SUITES_V1);

  it('passes an intact directory and loads a suite in order', () => {
    expect(checkScenarioManifest(manifest, files)).toEqual([]);
    expect(loadCheckedSuite(manifest, files, 'smoke').map((s) => s.name)).toEqual(SCENARIO_SUITES_V1.smoke);
  });

  it('ignores layout but detects a changed value', () => {
    const relaid = { ...files, 'vol-low.json': JSON.stringify(JSON.parse(files['vol-low.json']!)) };
    expect(checkScenarioManifest(manifest, relaid)).toEqual([]);
    const tampered = { ...files, 'vol-low.json': files['vol-low.json']!.replace('"volPerSqrtSec": 0.00006', '"volPerSqrtSec": 0.00007') };
    expect(tampered['vol-low.json']).not.toBe(files['vol-low.json']);
    const problems = checkScenarioManifest(manifest, tampered);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('vol-low.json digest mismatch');
    expect(() => loadCheckedSuite(manifest, tampered, 'smoke')).toThrow(ScenarioIntegrityError);
  });

  it('detects missing and unlisted files and a tampered manifest', () => {
    const { ['venue-outage.json']: _gone, ...rest } = files;
    expect(checkScenarioManifest(manifest, rest)).toEqual(['venue-outage.json is listed in the manifest but missing']);
    expect(checkScenarioManifest(manifest, { ...files, 'extra.json': '{}' })).toEqual(['extra.json is not listed in the manifest']);
    const forged = { ...manifest, files: { ...manifest.files, 'vol-high.json': '0'.repeat(64) } };
    expect(checkScenarioManifest(forged, files)[0]).toContain('vol-high.json digest mismatch');
    expect(() => loadCheckedSuite(manifest, files, 'nightly')).toThrow('unknown suite "nightly"');
  });
});
