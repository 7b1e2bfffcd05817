import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildEvidenceManifest, verifyEvidenceManifest } from '@fleet/research';

/** The manifest's path inside a pack. */
export const EVIDENCE_MANIFEST = join('evidence_pack', 'manifest.json');

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(root, full));
    else out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/** Writes the evidence manifest of every file under `root` (the manifest itself excluded). */
export function writeEvidenceManifest(root: string): void {
  const files: Record<string, Uint8Array> = {};
  for (const path of listFiles(root)) if (path !== 'evidence_pack/manifest.json') files[path] = readFileSync(join(root, path));
  mkdirSync(join(root, 'evidence_pack'), { recursive: true });
  writeFileSync(join(root, EVIDENCE_MANIFEST), `${JSON.stringify(buildEvidenceManifest(files), null, 2)}\n`);
}

/** Returns the problems of the pack at `root` (empty when intact); an unreadable manifest is a problem too. */
export function verifyEvidenceDir(root: string): string[] {
  const path = join(root, EVIDENCE_MANIFEST);
  if (!existsSync(path)) return [`no evidence manifest at ${path}`];
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return [`the evidence manifest is not valid JSON: ${(e as Error).message}`];
  }
  const problems = verifyEvidenceManifest(manifest, (p) => {
    const full = join(root, p);
    return existsSync(full) ? new Uint8Array(readFileSync(full)) : undefined;
  });
  const listed = new Set(((manifest as { files?: { path: string }[] }).files ?? []).map((f) => f.path));
  for (const p of listFiles(root)) if (p !== 'evidence_pack/manifest.json' && !listed.has(p)) problems.push(`${p} is in the pack but not in the manifest`);
  return problems;
}
