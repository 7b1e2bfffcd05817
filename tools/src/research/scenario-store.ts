import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildScenarioManifest, loadCheckedSuite, prettyCanonical, scenarioFileName, type ScenarioFile } from '@fleet/research';

/** The repository root (tools/src/research → ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** The scenario library v1 directory. */
export const SCENARIOS_DIR = join(REPO_ROOT, 'tools', 'research', 'scenarios');
/** The adversarial regression suite directory. */
export const REGRESSION_DIR = join(REPO_ROOT, 'tools', 'research', 'regression');
/** Where outputs go by default (git-ignored). */
export const OUT_DIR = join(REPO_ROOT, 'out', 'research');
/** The manifest file name inside a scenario directory. */
export const MANIFEST_FILE = 'manifest.json';

/** Returns every scenario file of `dir` (name → text), the manifest excluded. */
export function readScenarioDir(dir: string): { manifest: unknown; files: Record<string, string> } {
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new Error(`no ${MANIFEST_FILE} in ${dir}: generate the scenarios first (see docs/research.md)`);
  const manifest: unknown = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.json') && name !== MANIFEST_FILE) files[name] = readFileSync(join(dir, name), 'utf8');
  return { manifest, files };
}

/** Returns the scenarios of `suite` in `dir` after the manifest check (a mismatch throws before anything runs). */
export function loadSuite(dir: string, suite: string): ScenarioFile[] {
  const { manifest, files } = readScenarioDir(dir);
  return loadCheckedSuite(manifest, files, suite);
}

/** Writes `scenarios` and their manifest into `dir`, replacing every scenario file there. */
export function writeScenarioDir(dir: string, library: string, scenarios: readonly ScenarioFile[], suites: Readonly<Record<string, readonly string[]>>): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.json')) rmSync(join(dir, name));
  const files: Record<string, string> = {};
  for (const s of scenarios) files[scenarioFileName(s.name)] = prettyCanonical(s);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, MANIFEST_FILE), prettyCanonical(buildScenarioManifest(library, files, suites)));
}
