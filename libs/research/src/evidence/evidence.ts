import { sha256Hex } from '@fleet/core';

/** One file of an evidence pack. */
export interface EvidenceEntry {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The manifest of an evidence pack: every file's SHA-256 over its exact bytes, and the pack digest. */
export interface EvidenceManifest {
  readonly schema: 'fleet.research.evidence-manifest/v1';
  readonly files: readonly EvidenceEntry[];
  /** SHA-256 over the lines `<sha256>  <path>\n` of the files in path order. */
  readonly packDigest: string;
}

function packDigestOf(files: readonly EvidenceEntry[]): string {
  return sha256Hex(files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
}

/** Returns the manifest of `files` (relative path → exact bytes); paths must be relative and unique. */
export function buildEvidenceManifest(files: Readonly<Record<string, Uint8Array>>): EvidenceManifest {
  const entries = Object.keys(files)
    .sort()
    .map((path) => {
      if (path.startsWith('/') || path.split('/').includes('..') || path === '') throw new RangeError(`evidence paths must be relative and inside the pack, received ${JSON.stringify(path)}`);
      return { path, sha256: sha256Hex(files[path]!), bytes: files[path]!.length };
    });
  return { schema: 'fleet.research.evidence-manifest/v1', files: entries, packDigest: packDigestOf(entries) };
}

/**
 * Returns the problems found when checking `manifest` against the pack's files (relative path
 * → bytes, or undefined when missing): missing or altered files, a wrong pack digest, a
 * malformed manifest. Empty means the pack is intact.
 */
export function verifyEvidenceManifest(manifest: unknown, read: (path: string) => Uint8Array | undefined): string[] {
  const m = manifest as Partial<EvidenceManifest> | null;
  if (m === null || typeof m !== 'object' || m.schema !== 'fleet.research.evidence-manifest/v1' || !Array.isArray(m.files) || typeof m.packDigest !== 'string') {
    return [`the evidence manifest is malformed: expected schema fleet.research.evidence-manifest/v1 with files and packDigest, received ${JSON.stringify(m)?.slice(0, 200)}`];
  }
  const problems: string[] = [];
  if (m.files.length === 0) problems.push('the evidence manifest lists no files');
  for (const f of m.files) {
    const bytes = read(f.path);
    if (bytes === undefined) {
      problems.push(`${f.path} is listed but missing`);
      continue;
    }
    const digest = sha256Hex(bytes);
    if (digest !== f.sha256) problems.push(`${f.path} digest mismatch: manifest ${f.sha256}, file ${digest}`);
    if (bytes.length !== f.bytes) problems.push(`${f.path} size mismatch: manifest ${f.bytes} bytes, file ${bytes.length}`);
  }
  if (packDigestOf(m.files) !== m.packDigest) problems.push('the pack digest does not match the listed files');
  return problems;
}
