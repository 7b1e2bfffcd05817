import { canonicalJson, sha256Hex } from '@fleet/core';
import { withEnvelope } from '@fleet/events';
import { type TrailSource, GENESIS_HASH } from './record';
import { buildTrail, concat, flowEvents, type MemoryTrail, sourcesOf } from './testing';
import { describeFailure } from './verify-types';
import { verifyTrail } from './verify';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function sources(orders = 3): TrailSource[] {
  return sourcesOf(flowEvents({ instrument: 'BTC-USDT-PERP', orders }));
}

function lines(trail: MemoryTrail, file: string): string[] {
  return decoder.decode(trail.segments.get(file)).split('\n').slice(0, -1);
}

function withLines(trail: MemoryTrail, file: string, next: string[]): MemoryTrail {
  const segments = new Map(trail.segments);
  segments.set(file, encoder.encode(next.map((l) => `${l}\n`).join('')));
  return { manifest: trail.manifest, segments };
}

function valueOf(s: TrailSource): Record<string, unknown> {
  return s.value as Record<string, unknown>;
}

/** Returns the source re-enveloped after `change` so its digest and id stay consistent (a well-formed but wrong event). */
function rewrite(s: TrailSource, change: (payload: Record<string, unknown>) => Record<string, unknown>): TrailSource {
  const { envelope, ...payload } = valueOf(s) as { envelope: { producer: string; sequence: number; eventTimeUs: number; causation: string[] }; instrument: string };
  const value = withEnvelope({ producer: envelope.producer, valueType: s.valueType, instrument: String(payload.instrument), sequence: envelope.sequence, eventTimeUs: envelope.eventTimeUs, causation: envelope.causation }, change(payload));
  return { ...s, value: JSON.parse(canonicalJson(value)) as unknown };
}

describe('verifyTrail on an intact trail', () => {
  it('passes a realistic flow rotated over several segments', () => {
    const trail = buildTrail(sources(3), { maxRecords: 5, maxBytes: 1 << 20 });
    const outcome = verifyTrail(trail);
    expect(outcome).toEqual({ ok: true, summary: expect.objectContaining({ records: 1 + 3 * 8, orderCommands: 3, fills: 3, budgetDeltas: 7, positionStates: 3 }) });
    expect(trail.manifest.segments.length).toBe(5);
    expect(trail.manifest.segments[0].previousHash).toBe(GENESIS_HASH);
  });

  it('rotates by bytes as well as by records', () => {
    const trail = buildTrail(sources(2), { maxRecords: 1_000, maxBytes: 2_000 });
    expect(trail.manifest.segments.length).toBeGreaterThan(2);
    expect(verifyTrail(trail).ok).toBe(true);
  });

  it('gives the same bytes for the same sources', () => {
    const a = buildTrail(sources(2));
    const b = buildTrail(sources(2));
    expect(a.manifest).toEqual(b.manifest);
  });

  it('skips a re-delivered offset instead of writing it twice', () => {
    const s = sources(1);
    const trail = buildTrail([...s.slice(0, 4), s[2], ...s.slice(4)]);
    expect(trail.manifest.head.seq).toBe(s.length);
    expect(verifyTrail(trail).ok).toBe(true);
  });
});

describe('verifyTrail on tampered copies', () => {
  const trail = buildTrail(sources(3), { maxRecords: 5, maxBytes: 1 << 20 });
  const file = trail.manifest.segments[1].file;

  it('catches one flipped byte, naming segment, line and seq', () => {
    const bytes = new Uint8Array(trail.segments.get(file)!);
    const line3 = lines(trail, file).slice(0, 2).join('\n').length + 1;
    const field = encoder.encode('"timestampMs":');
    const text = decoder.decode(bytes.slice(line3));
    const at = line3 + encoder.encode(text.slice(0, text.indexOf('"timestampMs":'))).length + field.length + 5;
    bytes[at] ^= 0x01;
    const outcome = verifyTrail({ manifest: trail.manifest, segments: new Map(trail.segments).set(file, bytes) });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ check: 'chain', segment: file, line: 3, seq: 8 });
    expect(outcome.failure.reason).toContain('does not match the record');
  });

  it('catches a flipped byte that breaks the JSON of a line', () => {
    const bytes = new Uint8Array(trail.segments.get(file)!);
    bytes[0] = '['.charCodeAt(0);
    const outcome = verifyTrail({ manifest: trail.manifest, segments: new Map(trail.segments).set(file, bytes) });
    expect(!outcome.ok && outcome.failure).toMatchObject({ check: 'record-format', segment: file, line: 1 });
  });

  it('catches one dropped record', () => {
    const l = lines(trail, file);
    const outcome = verifyTrail(withLines(trail, file, [...l.slice(0, 2), ...l.slice(3)]));
    expect(!outcome.ok && outcome.failure).toMatchObject({ check: 'trail-sequence', segment: file, line: 3, seq: 9 });
    expect(!outcome.ok && describeFailure(outcome.failure)).toContain('expected trail seq 8 after 7, found 9');
  });

  it('catches two swapped records', () => {
    const l = lines(trail, file);
    const outcome = verifyTrail(withLines(trail, file, [l[0], l[2], l[1], ...l.slice(3)]));
    expect(!outcome.ok && outcome.failure).toMatchObject({ check: 'trail-sequence', segment: file, line: 2, seq: 8 });
  });

  it('catches a record re-chained after an edit by its segment digest', () => {
    // A tamperer who rewrites a whole segment consistently still breaks the next segment's link.
    const l = lines(trail, file);
    const outcome = verifyTrail(withLines(trail, file, l.slice(0, -1)));
    expect(!outcome.ok && outcome.failure).toMatchObject({ check: 'segment-seal', segment: file });
  });

  it('catches a missing segment file and a manifest head that is not the chain end', () => {
    const segments = new Map(trail.segments);
    segments.delete(file);
    expect(verifyTrail({ manifest: trail.manifest, segments })).toMatchObject({ ok: false, failure: { check: 'segment-missing', segment: file } });
    const manifest = { ...trail.manifest, head: { seq: trail.manifest.head.seq + 1, hash: trail.manifest.head.hash } };
    expect(verifyTrail({ manifest, segments: trail.segments })).toMatchObject({ ok: false, failure: { check: 'manifest' } });
  });

  it('catches appended bytes after the last line', () => {
    const segments = new Map(trail.segments).set(file, concat([trail.segments.get(file)!, encoder.encode('{"partial":')]));
    expect(verifyTrail({ manifest: trail.manifest, segments })).toMatchObject({ ok: false, failure: { check: 'record-format', segment: file } });
  });
});

describe('verifyTrail business rules on well-chained but wrong trails', () => {
  const base = sources(2);
  const index = (valueType: string, n = 0): number => base.map((s, i) => (s.valueType === valueType ? i : -1)).filter((i) => i >= 0)[n];

  function verdict(list: TrailSource[]) {
    const outcome = verifyTrail(buildTrail(list));
    if (outcome.ok) throw new Error('expected a failure');
    return outcome.failure;
  }

  it('catches an order command without its risk approval', () => {
    const at = index('fleet.events.RiskDecision', 1);
    const list = base.filter((_, i) => i !== at);
    const failure = verdict(list);
    expect(failure.check).toBe('order-approval');
    expect(failure.reason).toContain('has no approved risk decision');
    expect(failure.seq).toBe(list.findIndex((s) => s.valueType === 'fleet.commands.OrderCommand' && s === base[index('fleet.commands.OrderCommand', 1)]) + 1);
  });

  it('catches an order command whose intent was denied', () => {
    const at = index('fleet.events.RiskDecision', 0);
    const list = base.map((s, i) => (i === at ? rewrite(s, (p) => ({ ...p, outcome: 'DENIED', reason: 'POSITION_LIMIT' })) : s));
    const failure = verdict(list);
    expect(failure).toMatchObject({ check: 'order-approval' });
    expect(failure.reason).toContain('DENIED');
  });

  it('catches an order command without its budget reservation', () => {
    const reserve = base.findIndex((s) => s.valueType === 'fleet.events.BudgetDelta' && valueOf(s).kind === 'RESERVE');
    const list = base.map((s, i) => (i === reserve ? rewrite(s, (p) => ({ ...p, clientOrderId: 'someone-else' })) : s));
    const failure = verdict(list);
    expect(failure).toMatchObject({ check: 'order-reservation', seq: index('fleet.commands.OrderCommand', 0) + 1 });
  });

  it('catches a fill for an unknown order', () => {
    const fill = base.findIndex((s) => s.valueType === 'fleet.events.OrderEvent' && valueOf(s).kind === 'FILLED');
    const list = base.map((s, i) => (i === fill ? rewrite(s, (p) => ({ ...p, clientOrderId: 'unknown-order' })) : s));
    const failure = verdict(list);
    expect(failure).toMatchObject({ check: 'fill-order', seq: fill + 1 });
    expect(failure.reason).toContain('unknown-order');
  });

  it('catches a budget delta that does not add up', () => {
    const commit = base.findIndex((s) => s.valueType === 'fleet.events.BudgetDelta' && valueOf(s).kind === 'COMMIT');
    const list = base.map((s, i) => (i === commit ? rewrite(s, (p) => ({ ...p, committedAfter: '650.01' })) : s));
    const failure = verdict(list);
    expect(failure).toMatchObject({ check: 'budget-sum', seq: commit + 1 });
    expect(failure.reason).toContain('committed 650.01');
  });

  it('catches a position that does not match its fills', () => {
    const at = index('fleet.events.PositionState', 1);
    const list = base.map((s, i) => (i === at ? rewrite(s, (p) => ({ ...p, quantity: '0.01' })) : s));
    const failure = verdict(list);
    expect(failure).toMatchObject({ check: 'position-sum', seq: at + 1 });
    expect(failure.reason).toContain('signed sum of its fills');
  });

  it('catches an event whose payload no longer matches its envelope digest', () => {
    const at = index('fleet.events.PositionState', 0);
    const list = base.map((s, i) => (i === at ? { ...s, value: { ...valueOf(s), quantity: '5' } } : s));
    expect(verdict(list)).toMatchObject({ check: 'envelope-digest', seq: at + 1 });
  });

  it('catches a gap in a producer envelope sequence', () => {
    const at = index('fleet.events.RiskDecision', 0);
    const list = base.filter((_, i) => i !== at);
    // Removing the approval also breaks order-approval later; the first broken link is reported.
    const failure = verdict(list);
    expect(['order-approval', 'envelope-sequence']).toContain(failure.check);
    const ack = index('fleet.events.OrderEvent', 2);
    const noAck = base.filter((_, i) => i !== ack);
    expect(verdict(noAck)).toMatchObject({ check: 'envelope-sequence', seq: ack + 1 });
    expect(verdict(noAck).reason).toContain('producer execution-router');
    expect(verdict(noAck).reason).toContain('sequence 3 is missing');
  });

  it('digests segment bytes as the manifest says', () => {
    const trail = buildTrail(base);
    for (const seal of trail.manifest.segments) expect(sha256Hex(trail.segments.get(seal.file)!)).toBe(seal.sha256);
  });
});
