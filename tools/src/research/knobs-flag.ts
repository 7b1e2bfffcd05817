import { existsSync, readFileSync } from 'node:fs';
import { validateKnobs, type StrategyKnobs } from '@fleet/research';
import { UsageError } from './cli';

/** Returns the strategy knobs of a `--knobs` value: inline JSON or the path of a JSON file. */
export function parseKnobsFlag(flag: string, raw: string): StrategyKnobs {
  let text = raw;
  if (!raw.trim().startsWith('{')) {
    if (!existsSync(raw)) throw new UsageError(`--${flag} must be inline JSON or an existing JSON file, received ${JSON.stringify(raw)}`);
    text = readFileSync(raw, 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--${flag} is not valid JSON (${(e as Error).message}), received ${JSON.stringify(text.slice(0, 200))}`);
  }
  const knobs = { profile: 'balanced', ...(value as object) } as StrategyKnobs;
  const issues = validateKnobs(knobs);
  if (issues.length > 0) throw new UsageError(`--${flag} has invalid knobs: ${issues.join('; ')}`);
  return knobs;
}
