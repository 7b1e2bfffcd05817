import { checkScenarioManifest, parseScenarioManifest, SCENARIO_LIBRARY_V1, SCENARIO_SUITES_V1 } from '@fleet/research';
import { parseFlags, runMain, usage, type FlagSpec } from './cli';
import { readScenarioDir, SCENARIOS_DIR, REGRESSION_DIR, writeScenarioDir } from './scenario-store';

const SPECS: Record<string, FlagSpec> = {
  action: { kind: 'string', help: 'generate: write library v1 and its manifest; check: verify a directory against its manifest', choices: ['generate', 'check'], required: true },
  dir: { kind: 'string', help: 'The scenario directory', default: SCENARIOS_DIR },
};
const SUMMARY = 'Writes the scenario library v1 (ten scenarios, a smoke suite of five, a full suite of ten) with a manifest of SHA-256 digests, or checks a scenario directory (the library or the adversarial regression suite) against its manifest. Exit 0 when intact, 1 on any mismatch.';

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, help } = parseFlags(argv, SPECS);
  if (help) {
    process.stdout.write(`${usage('scenarios', SUMMARY, SPECS)}\n\nThe regression suite lives in ${REGRESSION_DIR}.\n`);
    return 0;
  }
  const dir = String(flags.dir);
  if (flags.action === 'generate') {
    writeScenarioDir(dir, 'scenario_library_v1', SCENARIO_LIBRARY_V1, SCENARIO_SUITES_V1);
    process.stdout.write(`wrote ${SCENARIO_LIBRARY_V1.length} scenarios and manifest.json to ${dir}\n`);
    return 0;
  }
  const { manifest, files } = readScenarioDir(dir);
  const problems = checkScenarioManifest(parseScenarioManifest(manifest), files);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`mismatch: ${p}\n`);
    return 1;
  }
  process.stdout.write(`ok: ${Object.keys(files).length} scenario files in ${dir} match the manifest\n`);
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
