// Regenerates libs/venues/fixtures/sample-market-data.jsonl from the seeded generator; the
// recorded-file spec fails when the shipped file and the generator disagree.
// Run: npx tsx libs/venues/src/scripts/generate-sample.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRecordedFile, headerFor } from '../recorded/recorded-writer';
import { generateSampleMarketData, SAMPLE_DESCRIPTION } from '../recorded/sample-generator';

const events = generateSampleMarketData();
const out = join(__dirname, '..', '..', 'fixtures', 'sample-market-data.jsonl');
writeFileSync(out, formatRecordedFile(headerFor(events, SAMPLE_DESCRIPTION), events));
console.log(`wrote ${events.length} events to ${out}`);
