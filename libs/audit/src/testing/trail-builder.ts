import { canonicalJson } from '@fleet/core';
import { type TrailManifest, appendSeal, emptyManifest } from '../manifest';
import { type TrailSource } from '../record';
import { type RotationPolicy, SegmentBuilder } from '../segment-builder';
import { type FlowEvent } from './flow-events';

/** A trail built in memory: the manifest (as parsed JSON) and the bytes of each segment. */
export interface MemoryTrail {
  manifest: TrailManifest;
  segments: Map<string, Uint8Array>;
}

/** Returns the trail sources of `events`: partition 0 of each topic, offsets counting from 0 per topic, one millisecond apart. */
export function sourcesOf(events: readonly FlowEvent[]): TrailSource[] {
  const offsets = new Map<string, number>();
  return events.map((e, i) => {
    const offset = offsets.get(e.topic.name) ?? 0;
    offsets.set(e.topic.name, offset + 1);
    return { topic: e.topic.name, partition: 0, offset: String(offset), key: e.key, valueType: e.valueType, timestampMs: 1_700_000_000_000 + i, value: JSON.parse(canonicalJson(e.value)) as unknown };
  });
}

/** Returns the trail of `sources`, rotated by `policy` and every segment sealed. */
export function buildTrail(sources: readonly TrailSource[], policy: RotationPolicy = { maxRecords: 5, maxBytes: 1 << 20 }): MemoryTrail {
  let manifest = emptyManifest();
  const builder = new SegmentBuilder(manifest, policy);
  const segments = new Map<string, Uint8Array>();
  let open: Uint8Array[] = [];
  const seal = (): void => {
    const s = builder.seal();
    if (!s) return;
    segments.set(s.file, concat(open));
    open = [];
    manifest = appendSeal(manifest, s);
  };
  for (const source of sources) {
    const outcome = builder.append(source);
    if (!outcome.appended) continue;
    open.push(outcome.line);
    if (outcome.rotate) seal();
  }
  seal();
  return { manifest, segments };
}

/** Returns the bytes of `parts` one after the other. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
