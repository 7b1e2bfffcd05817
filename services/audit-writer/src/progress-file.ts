import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type SegmentSeal, type TrailRecord } from '@fleet/audit';
import { fsyncDir } from '@fleet/audit-store';
import { canonicalJson } from '@fleet/core';
import { PROGRESS_FILE, type TrailProgress } from './trail-progress';

const PROGRESS_TEMP = `${PROGRESS_FILE}.tmp`;

/** What the trail directory's progress file holds: nothing yet, parsed JSON (to be checked), or unreadable text. */
export type ProgressRead = { readonly kind: 'absent' } | { readonly kind: 'parsed'; readonly value: unknown } | { readonly kind: 'unreadable'; readonly reason: string };

/** Reads the progress file of `dir`, removing a temporary one a crash left behind. */
export async function readProgressFile(dir: string): Promise<ProgressRead> {
  await rm(join(dir, PROGRESS_TEMP), { force: true });
  let text: string;
  try {
    text = await readFile(join(dir, PROGRESS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  try {
    return { kind: 'parsed', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'unreadable', reason: `${PROGRESS_FILE} is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Writes the progress file atomically, as the manifest is written: canonical JSON to a temporary
 * file, fsync, rename over the file, fsync the directory. A reader sees the old or the new one.
 */
export async function writeProgressFile(dir: string, progress: TrailProgress): Promise<void> {
  const temp = join(dir, PROGRESS_TEMP);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${canonicalJson(progress)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, PROGRESS_FILE));
  fsyncDir(dir);
}

/** Returns the records of a sealed segment of the trail in `dir`, in order. */
export async function readSegmentRecords(dir: string, seal: SegmentSeal): Promise<TrailRecord[]> {
  const text = await readFile(join(dir, seal.file), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as TrailRecord);
}
