import fc from 'fast-check';
import { digestOf } from '../canonical';
import { allocateBucket, applyAllocationPlan, createBudgetLedger, createCapitalBucket, DEFAULT_ALLOCATION_POLICY, findBudget, type PortfolioIntent } from '../capital';
import { Money, Price, Quantity } from '../money';
import { applyExecutionEvent, deriveIntentId, type ExecutionState, type OrderEvent, submitIntent } from './index';

const usdt = (a: string | number): Money => Money.create(a, 'USDT');
const bucket = createCapitalBucket({ bucketId: 'crypto-main', venue: 'binance-perp', capital: usdt('100000'), riskClass: 'moderate', constraints: { maxFractionPerStrategy: '1' } });
const intent: PortfolioIntent = {
  intentId: 'i',
  snapshotId: 's',
  snapshotDigest: 'd'.repeat(64),
  policyDigest: 'p'.repeat(64),
  buckets: [{ bucketId: 'crypto-main', strategies: [{ strategyId: 'mm', priority: 1, eligibilityDigest: 'e', metricsDigest: 'm', alphaScore: '1' }] }],
  rejections: [],
  digest: 'x',
};
const plan = allocateBucket(bucket, intent, { ...DEFAULT_ALLOCATION_POLICY, reserveRatio: '0' });
const initial = (): ExecutionState => ({ ledger: applyAllocationPlan(createBudgetLedger({ maxOrderFraction: '0.5', maxOrdersPerWindow: 100, rateWindowUs: 1_000_000, maxOpenOrders: 10 }), plan, 0).ledger, orders: [] });
const budgetOf = (s: ExecutionState) => s.ledger.budgets[0];
const submit = (s: ExecutionState, seq: number, qty = '1', price = '20000') =>
  submitIntent(s, {
    strategyId: 'mm',
    bucketId: 'crypto-main',
    venue: 'binance-perp',
    instrument: 'BTC-PERP',
    side: 'buy',
    quantity: Quantity.create(qty),
    limitPrice: Price.create(price),
    reservePrice: Price.create(price),
    intentId: deriveIntentId('mm', 'crypto-main', seq, seq),
    atUs: seq,
  });
const fill = (id: string, qty: string, atUs = 10): OrderEvent => ({ type: 'fill', venueTradeId: id, quantity: Quantity.create(qty), price: Price.create('19990'), fee: usdt('0.1'), liquidity: 'maker', atUs });

describe('Phase 14.2 live execution binding: core invariants', () => {
  it('1. No order leaves without a budget check and a reservation delta', () => {
    const out = submit(initial(), 1);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.order.status).toBe('in_flight');
    expect(out.deltas.map((d) => [d.kind, d.amount.amountText(), d.orderId])).toEqual([['reserve', '20000', out.order.clientOrderId]]);
    const refused = submit(initial(), 2, '3');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.rejection).toMatchObject({ reasons: ['ExceedsMaxOrderFraction'] });
      expect(refused.state.orders).toEqual([]);
    }
  });

  it('2. Every exchange event reconciles the budget ledger: fill commits, completion releases the rest, close releases committed', () => {
    const out = submit(initial(), 1, '2');
    if (!out.ok) throw new Error('setup');
    const id = out.order.clientOrderId;
    let s = out.state;
    s = applyExecutionEvent(s, id, { type: 'ack', venueEventId: 'a1', venueOrderId: 'v1', atUs: 2 }).state;
    const partial = applyExecutionEvent(s, id, fill('t1', '0.5'));
    expect(partial.deltas.map((d) => [d.kind, d.amount.amountText()])).toEqual([['commit', '10000']]);
    expect([budgetOf(partial.state).reserved.amountText(), budgetOf(partial.state).committed.amountText()]).toEqual(['30000', '10000']);
    const cancel = applyExecutionEvent(applyExecutionEvent(partial.state, id, { type: 'cancel_request', atUs: 11 }).state, id, { type: 'cancelled', venueEventId: 'c1', atUs: 12 });
    expect(cancel.deltas.map((d) => [d.kind, d.amount.amountText()])).toEqual([['release', '30000']]);
    const closed = applyExecutionEvent(cancel.state, id, { type: 'position_closed', closeId: 'p1', atUs: 20 });
    expect(closed.deltas.map((d) => [d.kind, d.amount.amountText()])).toEqual([['release_position', '10000']]);
    expect([budgetOf(closed.state).reserved.amountText(), budgetOf(closed.state).committed.amountText()]).toEqual(['0', '0']);
  });

  it('3. Rollback on failure is deterministic: a venue reject releases the whole reservation', () => {
    const run = () => {
      const out = submit(initial(), 1);
      if (!out.ok) throw new Error('setup');
      return applyExecutionEvent(out.state, out.order.clientOrderId, { type: 'reject', venueEventId: 'r1', reason: 'post-only would cross', atUs: 3 });
    };
    const a = run();
    expect(a.deltas.map((d) => [d.kind, d.amount.amountText()])).toEqual([['release', '20000']]);
    expect(budgetOf(a.state).reserved.amountText()).toBe('0');
    expect(a.deltas.map((d) => d.digest)).toEqual(run().deltas.map((d) => d.digest));
  });

  it('4. Idempotent processing of exchange events (no double-reserve or double-commit)', () => {
    const out = submit(initial(), 1);
    if (!out.ok) throw new Error('setup');
    const id = out.order.clientOrderId;
    const once = applyExecutionEvent(out.state, id, fill('t1', '0.5'));
    const again = applyExecutionEvent(once.state, id, fill('t1', '0.5'));
    expect(again.duplicate).toBe(true);
    expect(again.deltas).toEqual([]);
    expect(again.state).toBe(once.state);
    expect(submit(out.state, 1)).toMatchObject({ ok: false, rejection: { reason: 'DuplicateOrder' } });
  });

  it('5–6. All ids are derived and all artifacts have deterministic digests', () => {
    const a = submit(initial(), 7);
    const b = submit(initial(), 7);
    if (!a.ok || !b.ok) throw new Error('setup');
    expect(a.order.clientOrderId).toBe(b.order.clientOrderId);
    expect(digestOf(a.state)).toBe(digestOf(b.state));
    expect(a.deltas[0].deltaId).toBe(b.deltas[0].deltaId);
  });
});

describe('Execution binding (property): random venue event streams with duplicates keep reserved + committed ≤ allocated and equal the duplicate-free run', () => {
  const step = fc.record({ order: fc.nat(3), action: fc.constantFrom('ack', 'fill', 'cancel', 'reject', 'close', 'dup'), qty: fc.integer({ min: 1, max: 4 }) });

  it('holds', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        const run = (withDuplicates: boolean): ExecutionState => {
          let s = initial();
          const ids: string[] = [];
          const seen: { id: string; e: OrderEvent }[] = [];
          for (let i = 0; i < 4; i += 1) {
            const out = submit(s, i + 1, '2', '10000');
            if (!out.ok) throw new Error('setup');
            s = out.state;
            ids.push(out.order.clientOrderId);
          }
          steps.forEach((st, i) => {
            const id = ids[st.order];
            const o = s.orders.find((x) => x.order.clientOrderId === id)!.order;
            const atUs = 100 + i;
            let e: OrderEvent | undefined;
            if (st.action === 'dup') {
              if (withDuplicates && seen.length > 0) {
                const d = seen[(st.qty * 7 + i) % seen.length];
                s = applyExecutionEvent(s, d.id, d.e).state;
              }
              return;
            }
            const open = ['in_flight', 'acked', 'partially_filled'].includes(o.status);
            if (st.action === 'ack' && o.status === 'in_flight') e = { type: 'ack', venueEventId: `a${i}`, venueOrderId: `v${i}`, atUs };
            if (st.action === 'reject' && o.status === 'in_flight') e = { type: 'reject', venueEventId: `r${i}`, reason: 'x', atUs };
            if (st.action === 'cancel' && open) e = { type: 'cancelled', venueEventId: `c${i}`, atUs };
            if (st.action === 'close' && (o.status === 'filled' || (o.status === 'cancelled' && !o.filledQuantity.isZero()))) e = { type: 'position_closed', closeId: `p${i}`, atUs };
            if (st.action === 'fill' && open) {
              const left = o.quantity.minus(o.filledQuantity);
              const q = Quantity.create(st.qty).times('0.5').min(left);
              e = fill(`t${i}`, q.toString(), atUs);
            }
            if (e === undefined) return;
            s = applyExecutionEvent(s, id, e).state;
            seen.push({ id, e });
            const b = findBudget(s.ledger, budgetOf(s).budgetId)!;
            expect(b.reserved.plus(b.committed).lte(b.allocated)).toBe(true);
          });
          return s;
        };
        expect(digestOf(run(true))).toBe(digestOf(run(false)));
      }),
    );
  });
});
