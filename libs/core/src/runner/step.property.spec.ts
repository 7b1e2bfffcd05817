import fc from 'fast-check';
import { canonicalBytes, chainDigest, sha256Hex } from '../canonical';
import { bookEvent, commandEvent, fillEvent, fixtureRunnerConfig, T0, timerEvent } from '../testing';
import { type RunnerEvent } from './runner-events';
import { initialRunnerState, type RunnerState } from './runner-state';
import { step } from './step';

type Move = { kind: 'book'; venue: number; mid: number; half: number } | { kind: 'fill'; pick: number; size: number } | { kind: 'timer' } | { kind: 'kill' } | { kind: 'wait'; ms: number };

const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('book' as const), venue: fc.integer({ min: 0, max: 2 }), mid: fc.integer({ min: 290_000, max: 310_000 }), half: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(20), size: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timer' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 1500 }) }) },
);

const VENUES = ['venue-a', 'venue-b', 'venue-c'];

/** Replays moves through `step`, turning fills into fills of a live order of ours; returns the digest and whether the kill rule held. */
function replay(moves: readonly Move[], lossLimit: number): { digest: string; placedAfterKill: number; kills: number; placed: number; breaches: number } {
  let state: RunnerState = initialRunnerState(fixtureRunnerConfig({ strategy: { risk: { dailyLossLimitUsd: lossLimit } } }), T0);
  let t = T0;
  let digest = sha256Hex('runner-property');
  let killed = false;
  let placedAfterKill = 0;
  let kills = 0;
  let placed = 0;
  let breaches = 0;
  const apply = (e: RunnerEvent): void => {
    const r = step(state, e);
    state = r.state;
    for (const a of r.actions) {
      digest = chainDigest(digest, canonicalBytes(a));
      if (a.type === 'SetKillSwitch' && a.on) {
        killed = true;
        kills += 1;
        if (a.reason !== 'OperatorKill') breaches += 1;
      }
      if (a.type === 'PlaceOrder') placed += 1;
      if (a.type === 'PlaceOrder' && killed) placedAfterKill += 1;
    }
  };
  for (const m of moves) {
    t += 1_000;
    if (m.kind === 'book') apply(bookEvent(VENUES[m.venue]!, (m.mid - m.half) / 100, (m.mid + m.half) / 100, t));
    else if (m.kind === 'timer') apply(timerEvent(t));
    else if (m.kind === 'kill') apply(commandEvent({ kind: 'kill', operatorId: 'prop', reason: 'property' }, t));
    else if (m.kind === 'wait') t += m.ms * 1000;
    else if (state.orders.length > 0) {
      const o = state.orders[m.pick % state.orders.length]!;
      const size = Math.min(o.remaining, m.size / 100);
      const remaining = Math.round((o.remaining - size) * 100) / 100;
      apply(fillEvent(VENUES[o.venueIndex]!, o.clientOrderId, o.side, o.price.toFixed(2), size.toFixed(2), t, { fee: '0.1', remainingSize: remaining.toFixed(2) }));
    }
  }
  return { digest, placedAfterKill, kills, placed, breaches };
}

describe('step (properties)', () => {
  it('the same event sequence gives the same action digest', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { minLength: 1, maxLength: 120 }), (moves) => {
        expect(replay(moves, 200).digest).toBe(replay(moves, 200).digest);
      }),
      { numRuns: 60 },
    );
  });

  it('after the kill switch latches (a breach or an operator kill) no order is placed, and it latches once', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { minLength: 1, maxLength: 150 }), fc.constantFrom(20, 200, 2000), (moves, limit) => {
        const r = replay(moves, limit);
        expect(r.placedAfterKill).toBe(0);
        expect(r.kills).toBeLessThanOrEqual(1);
      }),
      { numRuns: 80 },
    );
    // Not vacuous: the generated sequences place orders, get filled and trip the switch on breaches too.
    const runs = fc.sample(fc.array(moveArb, { minLength: 100, maxLength: 150 }), { numRuns: 30, seed: 7 }).map((m) => replay(m, 20));
    expect(runs.some((r) => r.placed > 0 && r.breaches > 0)).toBe(true);
  });

  it('regression (found by the property): an operator kill followed by a loss breach sends one SetKillSwitch and keeps OperatorKill', () => {
    const moves: Move[] = [
      { kind: 'book', venue: 1, mid: 290000, half: 1 },
      { kind: 'book', venue: 0, mid: 290000, half: 1 },
      { kind: 'fill', pick: 3, size: 12 },
      { kind: 'kill' },
      { kind: 'book', venue: 1, mid: 306642, half: 1 },
      { kind: 'timer' },
    ];
    const r = replay(moves, 20);
    expect(r.kills).toBe(1);
    expect(r.breaches).toBe(0);
    expect(r.placedAfterKill).toBe(0);
  });
});
