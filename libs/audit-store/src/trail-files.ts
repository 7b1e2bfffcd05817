import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type TrailFiles, type TrailManifest, manifestShapeProblem } from '@fleet/audit';
import { canonicalJson } from '@fleet/core';

/** The prefix of the temporary file a manifest is written to before it is renamed into place. */
export const MANIFEST_TEMP_PREFIX = `${MANIFEST_FILE}.tmp-`;

/** Raised when a trail directory cannot be read as a trail. */
export class TrailStoreError extends Error {
  /** Returns an error about the trail in `dir`. */
  constructor(
    readonly dir: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`audit trail ${dir}: ${message}`, options);
    this.name = 'TrailStoreError';
  }
}

/** Flushes a directory's entries (renames, creations) to stable storage. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `manifest` atomically: canonical JSON to a temporary file in the same directory,
 * fsync, rename over manifest.json, fsync the directory. A reader sees the old or the new
 * manifest, never a torn one.
 */
export async function writeManifestAtomically(dir: string, manifest: TrailManifest): Promise<void> {
  const temp = join(dir, `${MANIFEST_TEMP_PREFIX}${manifest.head.seq}`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${canonicalJson(manifest)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, MANIFEST_FILE));
  fsyncDir(dir);
}

/** Returns the parsed manifest of `dir`, or undefined when there is none yet; throws when it is unreadable. */
export async function readManifest(dir: string): Promise<TrailManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TrailStoreError(dir, `${MANIFEST_FILE} is not valid JSON`, { cause });
  }
  const problem = manifestShapeProblem(value);
  if (problem) throw new TrailStoreError(dir, problem);
  return value as TrailManifest;
}

/** Returns the manifest and the bytes of every sealed segment it lists (a missing file is left out, for the verifier to report). */
export async function readTrailFiles(dir: string): Promise<TrailFiles> {
  let manifestValue: unknown;
  try {
    manifestValue = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    manifestValue = { error: `cannot read ${MANIFEST_FILE}: ${(error as Error).message}` };
  }
  const segments = new Map<string, Uint8Array>();
  const listed = manifestShapeProblem(manifestValue) ? [] : (manifestValue as TrailManifest).segments;
  for (const seal of listed) {
    try {
      segments.set(seal.file, new Uint8Array(await readFile(join(dir, seal.file))));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return { manifest: manifestValue, segments };
}

/** Returns the file names in `dir`, creating it when absent. */
export async function listTrailDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return (await readdir(dir)).sort();
}

/** Removes a file of the trail directory. */
export async function removeTrailFile(dir: string, file: string): Promise<void> {
  await rm(join(dir, file), { force: true });
}
