import fc from 'fast-check';
import { digestOf } from '../canonical';
import { Money } from '../money';
import {
  allocateBucket,
  applyAllocationPlan,
  availableCapital,
  type BudgetLedger,
  type BudgetOutcome,
  checkOrder,
  createBudgetLedger,
  createCapitalBucket,
  DEFAULT_ALLOCATION_POLICY,
  deriveBudgetId,
  findBudget,
  type PortfolioIntent,
  processFill,
  rateWindowIndex,
  releaseOrder,
  releasePosition,
  reserveForOrder,
  snapshotBudgets,
} from './index';

const usdt = (a: string | number): Money => Money.create(a, 'USDT');
const bucket = createCapitalBucket({ bucketId: 'crypto-main', venue: 'binance-perp', capital: usdt('10000'), riskClass: 'moderate', constraints: { maxFractionPerStrategy: '1' } });
const intent = (ids: readonly string[]): PortfolioIntent => ({
  intentId: 'i',
  snapshotId: 's',
  snapshotDigest: 'd'.repeat(64),
  policyDigest: 'p'.repeat(64),
  buckets: [{ bucketId: 'crypto-main', strategies: ids.map((strategyId, i) => ({ strategyId, priority: i + 1, eligibilityDigest: 'e', metricsDigest: 'm', alphaScore: '1' })) }],
  rejections: [],
  digest: ids.join(','),
});
const plan = allocateBucket(bucket, intent(['alpha']), { ...DEFAULT_ALLOCATION_POLICY, reserveRatio: '0' });
const policy = { maxOrderFraction: '0.5', maxOrdersPerWindow: 3, rateWindowUs: 1_000_000, maxOpenOrders: 4 };
const setup = (): { ledger: BudgetLedger; budgetId: string } => {
  const { ledger } = applyAllocationPlan(createBudgetLedger(policy), plan, 0);
  return { ledger, budgetId: deriveBudgetId('alpha', 'crypto-main', plan.planId) };
};
const ok = (o: BudgetOutcome): BudgetLedger => {
  if (!o.ok) throw new Error(`unexpected rejection ${o.rejection.reasons.join(',')}`);
  return o.ledger;
};

describe('Phase 14.1 execution budget: core invariants', () => {
  it('1. Budgets are derived from the AllocationPlan — never invented', () => {
    const { ledger, budgetId } = setup();
    const b = findBudget(ledger, budgetId)!;
    expect(b).toMatchObject({ strategyId: 'alpha', bucketId: 'crypto-main', planId: plan.planId });
    expect(b.allocated.amountText()).toBe('10000');
    expect(checkOrder(ledger, { budgetId: 'made-up', orderId: 'o', amount: usdt(1), atUs: 1 }).reasons).toEqual(['UnknownBudget']);
    expect(applyAllocationPlan(ledger, plan, 5).deltas).toEqual([]);
  });

  it('BudgetId derivation is deterministic (strategy + bucket + plan)', () => {
    expect(deriveBudgetId('alpha', 'crypto-main', plan.planId)).toBe(setup().budgetId);
    expect(deriveBudgetId('alpha', 'crypto-main', 'other-plan')).not.toBe(setup().budgetId);
  });

  it('4. Reserved (open orders) and committed (positions) capital are tracked separately', () => {
    const { ledger: l0, budgetId } = setup();
    let l = ok(reserveForOrder(l0, { budgetId, orderId: 'o1', amount: usdt(3000), atUs: 1 }));
    l = ok(processFill(l, { budgetId, orderId: 'o1', amount: usdt(1000), atUs: 2 }));
    let b = findBudget(l, budgetId)!;
    expect([b.reserved.amountText(), b.committed.amountText(), availableCapital(b).amountText()]).toEqual(['2000', '1000', '7000']);
    l = ok(releaseOrder(l, { budgetId, orderId: 'o1', atUs: 3 }));
    b = findBudget(l, budgetId)!;
    expect([b.reserved.amountText(), b.committed.amountText(), b.reservations.length]).toEqual(['0', '1000', 0]);
    l = ok(releasePosition(l, { budgetId, amount: usdt(1000), atUs: 4 }));
    expect(findBudget(l, budgetId)!.committed.amountText()).toBe('0');
  });

  it('5. All budget state changes produce BudgetDelta WAL events with derived ids and digests', () => {
    const { ledger: l0, budgetId } = setup();
    const r = reserveForOrder(l0, { budgetId, orderId: 'o1', amount: usdt(100), atUs: 1 });
    if (!r.ok) throw new Error('setup');
    const { digest, ...body } = r.delta;
    expect(r.delta).toMatchObject({ kind: 'reserve', orderId: 'o1', sequence: 2, budgetId });
    expect(r.delta.reservedAfter.amountText()).toBe('100');
    expect(digest).toBe(digestOf(body));
    expect(r.delta.deltaId).toMatch(/^[0-9a-f]{32}$/);
    const again = reserveForOrder(l0, { budgetId, orderId: 'o1', amount: usdt(100), atUs: 1 });
    expect(again.ok && again.delta.deltaId).toBe(r.delta.deltaId);
  });

  it('6. Rate limits use floor-division windowing (deterministic)', () => {
    expect([rateWindowIndex(0, 1_000_000), rateWindowIndex(999_999, 1_000_000), rateWindowIndex(1_000_000, 1_000_000)]).toEqual([0, 0, 1]);
    const { ledger: l0, budgetId } = setup();
    let l = l0;
    for (const [i, t] of [100, 500_000, 999_999].entries()) l = ok(reserveForOrder(l, { budgetId, orderId: `o${i}`, amount: usdt(10), atUs: t }));
    expect(checkOrder(l, { budgetId, orderId: 'o9', amount: usdt(10), atUs: 999_999 }).reasons).toEqual(['RateLimited']);
    expect(checkOrder(l, { budgetId, orderId: 'o9', amount: usdt(10), atUs: 1_000_000 }).approved).toBe(true);
    expect(checkOrder(l, { budgetId, orderId: 'o9', amount: usdt(10), atUs: 2_000_000 }).approved).toBe(true);
  });

  it('7. Budget violations are hard rejections (no soft limits, never clamped)', () => {
    const { ledger: l0, budgetId } = setup();
    const tooBig = reserveForOrder(l0, { budgetId, orderId: 'o1', amount: usdt('5000.01'), atUs: 1 });
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.rejection.reasons).toEqual(['ExceedsMaxOrderFraction']);
    expect(tooBig.ledger).toBe(l0);
    let l = ok(reserveForOrder(l0, { budgetId, orderId: 'a', amount: usdt(5000), atUs: 1 }));
    l = ok(reserveForOrder(l, { budgetId, orderId: 'b', amount: usdt(4000), atUs: 2 }));
    expect(checkOrder(l, { budgetId, orderId: 'c', amount: usdt('1000.01'), atUs: 3 }).reasons).toEqual(['InsufficientBudget']);
    expect(checkOrder(l, { budgetId, orderId: 'a', amount: usdt(1), atUs: 3 }).reasons).toEqual(['DuplicateOrder']);
    expect(checkOrder(l, { budgetId, orderId: 'c', amount: usdt(0), atUs: 3 }).reasons).toEqual(['NonPositiveAmount']);
    expect(checkOrder(l, { budgetId, orderId: 'c', amount: Money.create(1, 'USD'), atUs: 3 }).reasons).toEqual(['CurrencyMismatch']);
    const over = processFill(l, { budgetId, orderId: 'a', amount: usdt('5000.01'), atUs: 4 });
    expect(!over.ok && over.rejection.reasons).toEqual(['FillExceedsReservation']);
    const noPos = releasePosition(l, { budgetId, amount: usdt(1), atUs: 4 });
    expect(!noPos.ok && noPos.rejection.reasons).toEqual(['ReleaseExceedsCommitted']);
    expect(!releaseOrder(l, { budgetId, orderId: 'zz', atUs: 4 }).ok).toBe(true);
  });

  it('3. No wall clock affects identity or digests: event time going backwards across windows is refused', () => {
    const { ledger: l0, budgetId } = setup();
    const l = ok(reserveForOrder(l0, { budgetId, orderId: 'a', amount: usdt(1), atUs: 5_000_000 }));
    expect(checkOrder(l, { budgetId, orderId: 'b', amount: usdt(1), atUs: 4_999_999 }).reasons).toEqual(['TimeWentBackwards']);
  });

  it('a new plan carries usage over, and may not shrink the allocation below it', () => {
    const { ledger: l0, budgetId } = setup();
    const l = ok(reserveForOrder(l0, { budgetId, orderId: 'a', amount: usdt(3000), atUs: 1 }));
    const smaller = allocateBucket(bucket, intent(['alpha']), { ...DEFAULT_ALLOCATION_POLICY, reserveRatio: '0.8' });
    const refused = applyAllocationPlan(l, smaller, 2);
    expect(refused.rejections.map((r) => r.reasons)).toEqual([['AllocationBelowUsage']]);
    expect(refused.ledger).toBe(l);
    const larger = allocateBucket(bucket, intent(['alpha']), { ...DEFAULT_ALLOCATION_POLICY, reserveRatio: '0.5' });
    const moved = applyAllocationPlan(l, larger, 3);
    expect(moved.ledger.budgets).toHaveLength(1);
    expect(moved.ledger.budgets[0]).toMatchObject({ planId: larger.planId, reservations: [{ orderId: 'a' }] });
    expect(moved.ledger.budgets[0].reserved.amountText()).toBe('3000');
  });

  it('8. ExecutionBudget and BudgetSnapshot digests are deterministic', () => {
    expect(snapshotBudgets(setup().ledger, 9).digest).toBe(snapshotBudgets(setup().ledger, 9).digest);
    expect(snapshotBudgets(setup().ledger, 9).digest).not.toBe(snapshotBudgets(ok(reserveForOrder(setup().ledger, { budgetId: setup().budgetId, orderId: 'x', amount: usdt(1), atUs: 1 })), 9).digest);
  });
});

describe('Budget invariant (property): reserved + committed ≤ allocated under random reserve/fill/release/cancel sequences', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('reserve' as const), order: fc.nat(5), amount: fc.integer({ min: -100, max: 600_000 }) }),
    fc.record({ kind: fc.constant('fill' as const), order: fc.nat(5), amount: fc.integer({ min: 1, max: 300_000 }) }),
    fc.record({ kind: fc.constant('release' as const), order: fc.nat(5), amount: fc.constant(0) }),
    fc.record({ kind: fc.constant('close' as const), order: fc.constant(0), amount: fc.integer({ min: 1, max: 400_000 }) }),
  );

  it('holds after every step, every refusal leaves the ledger unchanged, and replay gives the same digest', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const run = (): { ledger: BudgetLedger; digests: string[] } => {
          const { ledger: l0, budgetId } = setup();
          let l = l0;
          const digests: string[] = [];
          ops.forEach((o, i) => {
            const atUs = i * 200_000;
            const amount = usdt(o.amount / 100);
            const out =
              o.kind === 'reserve'
                ? reserveForOrder(l, { budgetId, orderId: `o${o.order}`, amount, atUs })
                : o.kind === 'fill'
                  ? processFill(l, { budgetId, orderId: `o${o.order}`, amount, atUs })
                  : o.kind === 'release'
                    ? releaseOrder(l, { budgetId, orderId: `o${o.order}`, atUs })
                    : releasePosition(l, { budgetId, amount, atUs });
            if (!out.ok) expect(out.ledger).toBe(l);
            l = out.ledger;
            digests.push(out.ok ? out.delta.digest : out.rejection.digest);
            const b = findBudget(l, budgetId)!;
            expect(b.reserved.plus(b.committed).lte(b.allocated)).toBe(true);
            expect(b.reserved.isNegative() || b.committed.isNegative()).toBe(false);
            expect(b.reservations.reduce((a, r) => a.plus(r.amount), usdt(0)).equals(b.reserved)).toBe(true);
          });
          return { ledger: l, digests };
        };
        const first = run();
        const second = run();
        expect(second.digests).toEqual(first.digests);
        expect(snapshotBudgets(second.ledger, 1).digest).toBe(snapshotBudgets(first.ledger, 1).digest);
      }),
    );
  });
});
