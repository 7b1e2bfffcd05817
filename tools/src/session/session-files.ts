/** Session files on disk: atomic writes, reading a session back, listing sessions, the code version. */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SESSION_MANIFEST_FILE, SESSION_SUMMARY_FILE, UNKNOWN_GIT_COMMIT, type SessionCodeVersion } from '@fleet/audit';

/** Writes `text` to `path` atomically: a temp file beside it, fsync, rename over `path`, fsync the directory. */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(tmp);
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Returns the code version: the root package.json version and, when git answers, the commit and whether the tree is dirty. */
export function readCodeVersion(root = process.cwd()): SessionCodeVersion {
  let packageVersion = 'unknown';
  try {
    packageVersion = String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    // no package.json here: recorded as unknown
  }
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    } catch {
      return undefined;
    }
  };
  const head = git(['rev-parse', 'HEAD'])?.trim();
  const gitCommit = head && /^[0-9a-f]{40,64}$/.test(head) ? head : UNKNOWN_GIT_COMMIT;
  const status = gitCommit === UNKNOWN_GIT_COMMIT ? undefined : git(['status', '--porcelain', '--untracked-files=no']);
  return { packageVersion, gitCommit, gitTreeDirty: status === undefined ? null : status.trim().length > 0 };
}

/** A session directory as found on disk. */
export interface StoredSession {
  readonly id: string;
  readonly dir: string;
  /** The parsed manifest.json, or undefined when there is none (an interrupted session). */
  readonly manifest: unknown;
  /** The parsed summary.json, or undefined when there is none. */
  readonly summary: unknown;
  /** Why a file could not be read or parsed, if one could not. */
  readonly readError?: string;
}

function readJson(path: string): { value?: unknown; error?: string } {
  if (!existsSync(path)) return {};
  try {
    return { value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (error) {
    return { error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Returns the session stored under `outDir/<id>`, or undefined when that directory does not exist. */
export function readStoredSession(outDir: string, id: string): StoredSession | undefined {
  const dir = join(outDir, id);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const manifest = readJson(join(dir, SESSION_MANIFEST_FILE));
  const summary = readJson(join(dir, SESSION_SUMMARY_FILE));
  const readError = manifest.error ?? summary.error;
  return { id, dir, manifest: manifest.value, summary: summary.value, ...(readError ? { readError } : {}) };
}

/** Returns every session directory under `outDir`, sorted by id (empty when `outDir` does not exist). */
export function listStoredSessions(outDir: string): StoredSession[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((id) => readStoredSession(outDir, id)!)
    .filter((s) => s !== undefined);
}
