import { buildEvidenceManifest, verifyEvidenceManifest } from './evidence';

const enc = (s: string) => new TextEncoder().encode(s);

describe('evidence packs', () => {
  const files = { 'summary.json': enc('{"a":1}\n'), 'reports/confidence.md': enc('# ok\n') };
  const manifest = buildEvidenceManifest(files);
  const reader = (f: Record<string, Uint8Array>) => (p: string) => f[p];

  it('lists every file with its digest and verifies an intact pack', () => {
    expect(manifest.files.map((f) => f.path)).toEqual(['reports/confidence.md', 'summary.json']);
    expect(verifyEvidenceManifest(manifest, reader(files))).toEqual([]);
  });

  it('detects an altered file, a missing file and an edited manifest', () => {
    expect(verifyEvidenceManifest(manifest, reader({ ...files, 'summary.json': enc('{"a":2}\n') }))[0]).toContain('summary.json digest mismatch');
    expect(verifyEvidenceManifest(manifest, reader({ 'summary.json': files['summary.json'] }))).toEqual(['reports/confidence.md is listed but missing']);
    const edited = { ...manifest, files: manifest.files.slice(1) };
    expect(verifyEvidenceManifest(edited, reader(files))).toEqual(['the pack digest does not match the listed files']);
    expect(verifyEvidenceManifest({}, reader(files))[0]).toContain('malformed');
  });

  it('refuses paths outside the pack', () => {
    expect(() => buildEvidenceManifest({ '../x': enc('') })).toThrow('received "../x"');
  });
});
