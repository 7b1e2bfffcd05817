import { canonicalJson, sha256Hex } from '@fleet/core';
import { NEUTRAL_PARAMS, validateScenarioParams, type ScenarioParams } from './scenario-params';

/** The schema tag of a scenario file. */
export const SCENARIO_FILE_SCHEMA = 'fleet.research.scenario/v1';
/** The schema tag of a scenario manifest. */
export const SCENARIO_MANIFEST_SCHEMA = 'fleet.research.scenario-manifest/v1';

/** One scenario file: a name, a family, a description and the full parameter set. */
export interface ScenarioFile {
  readonly schema: typeof SCENARIO_FILE_SCHEMA;
  readonly name: string;
  readonly family: string;
  readonly description: string;
  readonly params: ScenarioParams;
}

/** The manifest of a scenario directory: the SHA-256 of each file's canonical bytes and the suites. */
export interface ScenarioManifest {
  readonly schema: typeof SCENARIO_MANIFEST_SCHEMA;
  readonly library: string;
  /** File name → SHA-256 (hex) of the canonical JSON bytes of the file's content. */
  readonly files: Readonly<Record<string, string>>;
  /** Suite name → scenario names, in run order. */
  readonly suites: Readonly<Record<string, readonly string[]>>;
}

const scenario = (name: string, family: string, description: string, params: Partial<ScenarioParams>): ScenarioFile => ({
  schema: SCENARIO_FILE_SCHEMA,
  name,
  family,
  description,
  params: { ...NEUTRAL_PARAMS, ...params },
});

/** The ten scenarios of library v1 (one hour, two venues, 100 ms steps; stress over the middle of the session). */
export const SCENARIO_LIBRARY_V1: readonly ScenarioFile[] = [
  scenario('vol-low', 'volatility', 'Low volatility: half the base latent volatility, no jumps.', { volPerSqrtSec: 0.00006 }),
  scenario('vol-medium', 'volatility', 'Medium volatility: the base latent volatility, no jumps.', { volPerSqrtSec: 0.00012 }),
  scenario('vol-high', 'volatility', 'High volatility: about three times the base volatility with 30 bp jumps (one every 100 s on average), doubled over the middle half.', {
    volPerSqrtSec: 0.0004,
    jumpRatePerSec: 0.01,
    jumpSdBps: 30,
    volMultiplier: 2,
  }),
  scenario('liquidity-spread-widening', 'liquidity', 'Liquidity shock: venue half-spreads four times wider over the middle half.', { spreadMult: 4 }),
  scenario('liquidity-depth-thinning', 'liquidity', 'Liquidity shock: displayed depth cut to a fifth over the middle half.', { depthMult: 0.2 }),
  scenario('venue-outage', 'outage', 'Venue outage: the second venue publishes nothing and accepts no orders from 40% to 60% of the session.', {
    outageVenue: 1,
    stressFromFrac: 0.4,
    stressToFrac: 0.6,
  }),
  scenario('funding-sign-flip', 'funding', 'Funding inversion: from half time every venue pays three times its base funding with the sign flipped.', {
    fundingMultiplier: -3,
    stressFromFrac: 0.5,
    stressToFrac: 1,
  }),
  scenario('funding-drift', 'funding', 'Funding inversion by drift: from a quarter of the session funding drifts down by 0.04% per interval per hour, stepped every minute.', {
    fundingDriftPerHour: -0.0004,
    stressFromFrac: 0.25,
    stressToFrac: 1,
  }),
  scenario('basis-spike-positive', 'basis', 'Basis spike: the second venue trades 40 bp rich over the middle half.', { basisSpikeBps: 40, basisVenue: 1 }),
  scenario('basis-spike-negative', 'basis', 'Basis spike: the second venue trades 40 bp cheap over the middle half.', { basisSpikeBps: -40, basisVenue: 1 }),
];

/** The smoke suite (five scenarios, one per family) and the full suite (all ten). */
export const SCENARIO_SUITES_V1: Readonly<Record<string, readonly string[]>> = {
  smoke: ['vol-medium', 'liquidity-spread-widening', 'venue-outage', 'funding-sign-flip', 'basis-spike-positive'],
  full: SCENARIO_LIBRARY_V1.map((s) => s.name),
};

/** Returns the file name of a scenario: `<name>.json`. */
export function scenarioFileName(name: string): string {
  return `${name}.json`;
}

/** Returns the SHA-256 of the canonical bytes of a file's parsed JSON content (layout-insensitive, content-exact). */
export function canonicalFileDigest(text: string): string {
  return sha256Hex(canonicalJson(JSON.parse(text)));
}

/** Returns the pretty JSON text written for a scenario or manifest (canonical key order, two-space indent, trailing newline). */
export function prettyCanonical(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}

/** Returns the manifest of `files` (name → text) with `suites`. */
export function buildScenarioManifest(library: string, files: Readonly<Record<string, string>>, suites: Readonly<Record<string, readonly string[]>>): ScenarioManifest {
  const digests: Record<string, string> = {};
  for (const name of Object.keys(files).sort()) digests[name] = canonicalFileDigest(files[name]!);
  return { schema: SCENARIO_MANIFEST_SCHEMA, library, files: digests, suites };
}

/** Raised when a scenario file or manifest is malformed or a digest does not match. */
export class ScenarioIntegrityError extends Error {
  /** Returns a new error listing every problem. */
  constructor(readonly problems: readonly string[]) {
    super(`scenario integrity check failed: ${problems.join('; ')}`);
    this.name = 'ScenarioIntegrityError';
  }
}

/** Returns `value` as a scenario manifest, or throws ScenarioIntegrityError naming what is wrong. */
export function parseScenarioManifest(value: unknown): ScenarioManifest {
  const m = value as Partial<ScenarioManifest> | null;
  const problems: string[] = [];
  if (m === null || typeof m !== 'object') throw new ScenarioIntegrityError([`the manifest must be a JSON object, received ${JSON.stringify(value)}`]);
  if (m.schema !== SCENARIO_MANIFEST_SCHEMA) problems.push(`manifest schema must be ${SCENARIO_MANIFEST_SCHEMA}, received ${JSON.stringify(m.schema)}`);
  if (typeof m.library !== 'string') problems.push(`manifest library must be a string, received ${JSON.stringify(m.library)}`);
  if (m.files === null || typeof m.files !== 'object') problems.push(`manifest files must be an object, received ${JSON.stringify(m.files)}`);
  else for (const [k, v] of Object.entries(m.files)) if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) problems.push(`manifest digest of ${k} must be 64 hex characters, received ${JSON.stringify(v)}`);
  if (m.suites === null || typeof m.suites !== 'object') problems.push(`manifest suites must be an object, received ${JSON.stringify(m.suites)}`);
  if (problems.length > 0) throw new ScenarioIntegrityError(problems);
  return m as ScenarioManifest;
}

/**
 * Returns the problems found when checking `files` (file name → text, every `.json` file of
 * the directory except the manifest) against `manifest`: missing, unlisted and altered files
 * and suites naming unknown scenarios. Empty means the directory is intact.
 */
export function checkScenarioManifest(manifest: ScenarioManifest, files: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(manifest.files).sort()) {
    const text = files[name];
    if (text === undefined) {
      problems.push(`${name} is listed in the manifest but missing`);
      continue;
    }
    let digest: string;
    try {
      digest = canonicalFileDigest(text);
    } catch (e) {
      problems.push(`${name} is not valid JSON: ${(e as Error).message}`);
      continue;
    }
    if (digest !== manifest.files[name]) problems.push(`${name} digest mismatch: manifest ${manifest.files[name]}, file ${digest}`);
  }
  for (const name of Object.keys(files).sort()) if (!(name in manifest.files)) problems.push(`${name} is not listed in the manifest`);
  for (const [suite, names] of Object.entries(manifest.suites)) {
    for (const n of names) if (!(scenarioFileName(n) in manifest.files)) problems.push(`suite ${suite} names ${n}, which has no file in the manifest`);
  }
  return problems;
}

/** Returns a parsed scenario file, or throws ScenarioIntegrityError naming every problem. */
export function parseScenarioFile(fileName: string, text: string): ScenarioFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioIntegrityError([`${fileName} is not valid JSON: ${(e as Error).message}`]);
  }
  const f = value as Partial<ScenarioFile>;
  const problems: string[] = [];
  if (f.schema !== SCENARIO_FILE_SCHEMA) problems.push(`${fileName}: schema must be ${SCENARIO_FILE_SCHEMA}, received ${JSON.stringify(f.schema)}`);
  if (typeof f.name !== 'string' || scenarioFileName(f.name) !== fileName) problems.push(`${fileName}: name must match the file name, received ${JSON.stringify(f.name)}`);
  if (typeof f.family !== 'string') problems.push(`${fileName}: family must be a string, received ${JSON.stringify(f.family)}`);
  if (typeof f.description !== 'string') problems.push(`${fileName}: description must be a string, received ${JSON.stringify(f.description)}`);
  if (f.params === null || typeof f.params !== 'object') problems.push(`${fileName}: params must be an object, received ${JSON.stringify(f.params)}`);
  else problems.push(...validateScenarioParams(f.params).map((p) => `${fileName}: ${p}`));
  if (problems.length > 0) throw new ScenarioIntegrityError(problems);
  return f as ScenarioFile;
}

/**
 * Returns the scenarios of `suite` after checking the whole directory against the manifest;
 * any mismatch throws ScenarioIntegrityError before anything runs.
 */
export function loadCheckedSuite(manifestValue: unknown, files: Readonly<Record<string, string>>, suite: string): ScenarioFile[] {
  const manifest = parseScenarioManifest(manifestValue);
  const problems = checkScenarioManifest(manifest, files);
  if (problems.length > 0) throw new ScenarioIntegrityError(problems);
  const names = manifest.suites[suite];
  if (names === undefined) throw new ScenarioIntegrityError([`unknown suite ${JSON.stringify(suite)}, expected one of ${Object.keys(manifest.suites).sort().join(', ')}`]);
  return names.map((n) => parseScenarioFile(scenarioFileName(n), files[scenarioFileName(n)]!));
}
