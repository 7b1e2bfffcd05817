import { type BudgetDelta, type OrderCommand, type PositionState, Topics } from '@fleet/contracts';
import { deriveClientOrderId, ExactDecimal } from '@fleet/core';
import { type FleetMetrics } from '@fleet/metrics';
import { type LaneOutput } from '@fleet/service';
import { BUDGET_LEDGER_INPUTS, BUDGET_LEDGER_OUTPUTS, type BudgetLedgerHandler } from './budget-ledger.lane';
import { type InstrumentBook } from './instrument-ledger';
import { decodeState } from './state-codec';
import { decision, funding, INSTRUMENT, intentIdOf, laneTick, ledgerHandler, mark, report, STRATEGY, tickTime, valuesOn } from './testing/ledger-events';
import { SeededDriver } from './testing/seeded-driver';

const dec = (v: string): ExactDecimal => new ExactDecimal(v);
const deltas = (outputs: readonly LaneOutput[]): BudgetDelta[] => valuesOn<BudgetDelta>(outputs, Topics.budgetDelta);
const commands = (outputs: readonly LaneOutput[]): OrderCommand[] => valuesOn<OrderCommand>(outputs, Topics.orderCommand);
const positions = (outputs: readonly LaneOutput[]): PositionState[] => valuesOn<PositionState>(outputs, Topics.positionState);

function bookOf(handler: BudgetLedgerHandler): InstrumentBook {
  return decodeState(handler.exportLane(0).instruments[INSTRUMENT]!) as InstrumentBook;
}

async function metricValue(metrics: FleetMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  const values = (await metric!.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

/** Places one approved BUY (tick 1) and returns the handler, the outputs and the PLACE command. */
function placed(size = '2', price = '3000.5') {
  const { handler, metrics } = ledgerHandler();
  handler.onTick(laneTick(0, [mark('venue-a', '3000', tickTime(0))]));
  const out = handler.onTick(laneTick(1, [decision({ label: 'buy', size, price }, tickTime(1))]));
  return { handler, metrics, out, command: commands(out)[0]! };
}

describe('budget-ledger lane handler', () => {
  it('declares its inputs in order, with order.event as the delayed feedback edge, and its outputs', () => {
    expect(BUDGET_LEDGER_INPUTS.map((i) => [i.spec.name, i.producers, i.delayed ?? false])).toEqual([
      [Topics.riskDecision.name, ['risk-shield'], false],
      [Topics.orderEvent.name, ['execution-router'], true],
      [Topics.mdMark.name, ['market-gateway'], false],
      [Topics.mdFunding.name, ['market-gateway'], false],
    ]);
    expect(BUDGET_LEDGER_OUTPUTS.map((t) => t.name)).toEqual([Topics.budgetDelta.name, Topics.orderCommand.name, Topics.positionState.name]);
  });

  it('allocates one budget per venue the first time it sees an instrument, FLEET_BUDGET_USD split equally', () => {
    const { handler } = ledgerHandler({ FLEET_BUDGET_USD: '250000.01' });
    const out = handler.onTick(laneTick(0, [mark('venue-a', '3000', tickTime(0))]));
    const allocations = deltas(out);
    expect(allocations.map((d) => [d.kind, d.bucketId, d.amount, d.allocatedAfter, d.reservedAfter, d.committedAfter, d.clientOrderId])).toEqual([
      ['ALLOCATE', `${STRATEGY}:${INSTRUMENT}:venue-a`, '125000', '125000', '0', '0', null],
      ['ALLOCATE', `${STRATEGY}:${INSTRUMENT}:venue-b`, '125000', '125000', '0', '0', null],
    ]);
    expect(allocations.every((d) => d.envelope.eventTimeUs === tickTime(0) && d.envelope.producer === 'budget-ledger')).toBe(true);
    expect(deltas(handler.onTick(laneTick(1, [mark('venue-a', '3001', tickTime(1))])))).toEqual([]);
  });

  it('reserves price × size before the PLACE command, which names the decision and the reservation', () => {
    const { out, command } = placed('2', '3000.5');
    const decisionEvent = decision({ label: 'buy', size: '2', price: '3000.5' }, tickTime(1)).value as { envelope: { eventId: string } };
    const [reserve] = deltas(out);
    const clientOrderId = deriveClientOrderId(intentIdOf('buy'), 'venue-a');
    expect(reserve).toMatchObject({ kind: 'RESERVE', amount: dec('3000.5').times(2).toFixed(), clientOrderId, intentId: intentIdOf('buy'), reservedAfter: '6001', committedAfter: '0', currency: 'USDT' });
    expect(out.indexOf(out.find((o) => o.value === reserve)!)).toBeLessThan(out.findIndex((o) => o.value === command));
    expect(command).toMatchObject({ kind: 'PLACE', venue: 'venue-a', clientOrderId, intentId: intentIdOf('buy'), strategyId: STRATEGY });
    expect(command.placement).toEqual({ side: 'BUY', price: '3000.5', size: '2', timeInForce: 'POST_ONLY', reduceOnly: false, budgetId: reserve!.budgetId, reservedAmount: '6001' });
    expect(command.envelope.causation).toEqual([decisionEvent.envelope.eventId, reserve!.envelope.eventId]);
    expect(reserve!.envelope.causation).toEqual([decisionEvent.envelope.eventId]);
  });

  it('sends nothing for a denied decision', () => {
    const { handler } = ledgerHandler();
    handler.onTick(laneTick(0, [mark('venue-a', '3000', tickTime(0))]));
    expect(handler.onTick(laneTick(1, [decision({ label: 'no' }, tickTime(1), 'DENIED')]))).toEqual([]);
  });

  it('turns a reservation the budget cannot take into one DENIED delta and no command, counted by its first reason', async () => {
    const { handler, metrics } = ledgerHandler({ FLEET_BUDGET_MAX_ORDERS_PER_SEC: '2' });
    const [allocation] = deltas(handler.onTick(laneTick(0, [mark('venue-a', '3000', tickTime(0))])));
    // A venue budget holds 150,000, one order may reserve half of it, two orders a second.
    const bigDecision = decision({ label: 'big', size: '26' }, tickTime(1));
    const big = handler.onTick(laneTick(1, [bigDecision]));
    expect(commands(big)).toEqual([]);
    expect(deltas(big)).toHaveLength(1);
    expect(deltas(big)[0]).toMatchObject({
      kind: 'DENIED',
      budgetId: allocation!.budgetId,
      bucketId: allocation!.bucketId,
      strategyId: STRATEGY,
      amount: dec('3000').times(26).toFixed(),
      currency: 'USDT',
      clientOrderId: deriveClientOrderId(intentIdOf('big'), 'venue-a'),
      intentId: intentIdOf('big'),
      allocatedAfter: allocation!.allocatedAfter,
      reservedAfter: '0',
      committedAfter: '0',
      budgetDigest: allocation!.budgetDigest,
      rejectReasons: ['ExceedsMaxOrderFraction'],
      releaseCause: null,
      budgetSequence: allocation!.budgetSequence,
    });
    expect(deltas(big)[0]!.envelope.causation).toEqual([(bigDecision.value as { envelope: { eventId: string } }).envelope.eventId]);
    const out = handler.onTick(
      laneTick(2, [decision({ label: 'a', size: '24' }, tickTime(2)), decision({ label: 'b', size: '24' }, tickTime(2)), decision({ label: 'c', size: '24' }, tickTime(2)), decision({ label: 'd', size: '1' }, tickTime(2))]),
    );
    expect(commands(out).map((c) => c.intentId)).toEqual([intentIdOf('a'), intentIdOf('b')]);
    const reserved = dec('3000').times(24).times(2).toFixed();
    expect(deltas(out).map((d) => [d.kind, d.intentId, d.amount, d.reservedAfter, d.rejectReasons, d.budgetSequence])).toEqual([
      ['RESERVE', intentIdOf('a'), '72000', '72000', [], allocation!.budgetSequence + 1],
      ['RESERVE', intentIdOf('b'), '72000', reserved, [], allocation!.budgetSequence + 2],
      ['DENIED', intentIdOf('c'), '72000', reserved, ['InsufficientBudget', 'RateLimited'], allocation!.budgetSequence + 2],
      ['DENIED', intentIdOf('d'), '3000', reserved, ['RateLimited'], allocation!.budgetSequence + 2],
    ]);
    const [, b, c] = deltas(out);
    expect(c!.budgetDigest).toBe(b!.budgetDigest);
    expect(new Set(deltas(out).map((d) => d.deltaId)).size).toBe(4);
    expect(await metricValue(metrics, 'fleet_budget_rejections_total', { reason: 'ExceedsMaxOrderFraction' })).toBe(1);
    expect(await metricValue(metrics, 'fleet_budget_rejections_total', { reason: 'InsufficientBudget' })).toBe(1);
    expect(await metricValue(metrics, 'fleet_budget_rejections_total', { reason: 'RateLimited' })).toBe(1);
    expect(await metricValue(metrics, 'fleet_budget_reserved', { bucket: `${STRATEGY}:${INSTRUMENT}:venue-a` })).toBe(144000);
    expect(await metricValue(metrics, 'fleet_budget_utilisation_ratio', { bucket: `${STRATEGY}:${INSTRUMENT}:venue-a` })).toBeCloseTo(144000 / 150000, 12);
  });

  it('reports a refusal without a budget or without a positive amount as a DENIED delta too', async () => {
    const { handler, metrics } = ledgerHandler();
    handler.onTick(laneTick(0, [mark('venue-a', '3000', tickTime(0))]));
    const out = handler.onTick(
      laneTick(1, [decision({ label: 'x', venue: 'venue-z' }, tickTime(1)), decision({ label: 'y', strategyId: 'other', size: '2' }, tickTime(1)), decision({ label: 'z', size: '0' }, tickTime(1))]),
    );
    expect(commands(out)).toEqual([]);
    expect(deltas(out).map((d) => [d.kind, d.budgetId, d.bucketId, d.strategyId, d.amount, d.allocatedAfter, d.budgetDigest, d.budgetSequence, d.rejectReasons])).toEqual([
      ['DENIED', '', `${STRATEGY}:${INSTRUMENT}:venue-z`, STRATEGY, '3000', '0', '', 0, ['NoBudget']],
      ['DENIED', '', `other:${INSTRUMENT}:venue-a`, 'other', dec('3000').times(2).toFixed(), '0', '', 0, ['NoBudget']],
      ['DENIED', bookOf(handler).execution.ledger.budgets.find((b) => b.bucketId.endsWith(':venue-a'))!.budgetId, `${STRATEGY}:${INSTRUMENT}:venue-a`, STRATEGY, '0', '150000', expect.any(String), 1, ['NonPositiveAmount']],
    ]);
    expect(await metricValue(metrics, 'fleet_budget_rejections_total', { reason: 'NoBudget' })).toBe(2);
    expect(await metricValue(metrics, 'fleet_budget_rejections_total', { reason: 'NonPositiveAmount' })).toBe(1);
  });

  it('commits a fill, books the position and publishes it; the rest stays reserved', async () => {
    const { handler, metrics, command } = placed('2', '3000.5');
    const fill = report(command, 'FILLED', tickTime(1) + 10, { n: 1, fill: { quantity: '0.5', price: '3000.5', fee: '0.15', cumulative: '0.5', remaining: '1.5' } });
    const out = handler.onTick(laneTick(2, [report(command, 'SUBMITTED', tickTime(1) + 1), report(command, 'ACKED', tickTime(1) + 5), fill, mark('venue-a', '3010', tickTime(2))]));
    const commit = dec('3000.5').times('0.5');
    expect(deltas(out).map((d) => [d.kind, d.amount, d.reservedAfter, d.committedAfter, d.clientOrderId])).toEqual([
      ['COMMIT', commit.toFixed(), dec('6001').minus(commit).toFixed(), commit.toFixed(), command.clientOrderId],
    ]);
    expect(deltas(out)[0]!.envelope.causation).toEqual([(fill.value as { envelope: { eventId: string } }).envelope.eventId]);
    const [position] = positions(out);
    expect(position).toMatchObject({
      venue: 'venue-a',
      strategyId: STRATEGY,
      quantity: '0.5',
      averageEntryPrice: '3000.5',
      realisedPnl: '-0.15',
      feesPaid: '0.15',
      markPrice: '3010',
      unrealisedPnl: dec('3010').minus('3000.5').times('0.5').toFixed(),
      lastFillId: (fill.value as { fill: { fillId: string } }).fill.fillId,
      fundingPnl: '0',
      totalPnl: dec('3010').minus('3000.5').times('0.5').minus('0.15').toFixed(),
    });
    expect(await metricValue(metrics, 'fleet_inventory', { instrument: INSTRUMENT, venue: 'venue-a' })).toBe(0.5);
    expect(await metricValue(metrics, 'fleet_pnl', { instrument: INSTRUMENT, kind: 'total' })).toBeCloseTo(4.75 - 0.15, 9);
  });

  it('releases what is left of the reservation on a cancel, and the whole reservation on a reject, naming the cause', () => {
    const { handler, command } = placed('2', '3000.5');
    handler.onTick(laneTick(2, [report(command, 'ACKED', tickTime(1) + 5), report(command, 'FILLED', tickTime(1) + 10, { n: 1, fill: { quantity: '0.5', price: '3000.5', fee: '0', cumulative: '0.5', remaining: '1.5' } })]));
    const cancelOut = handler.onTick(laneTick(3, [decision({ label: 'cancel', action: 'CANCEL', target: command.clientOrderId }, tickTime(3))]));
    const [cancel] = commands(cancelOut);
    const cancelDecision = decision({ label: 'cancel', action: 'CANCEL', target: command.clientOrderId }, tickTime(3)).value as { envelope: { eventId: string } };
    expect(cancel).toMatchObject({ kind: 'CANCEL', venue: 'venue-a', clientOrderId: command.clientOrderId, placement: null, intentId: intentIdOf('cancel') });
    expect(cancel!.envelope.causation).toEqual([cancelDecision.envelope.eventId]);
    expect(deltas(cancelOut)).toEqual([]);
    const out = handler.onTick(laneTick(4, [report(command, 'CANCELLED', tickTime(3) + 5, { cancelled: '1.5' })]));
    const left = dec('3000.5').times('1.5').toFixed();
    expect(deltas(out).map((d) => [d.kind, d.amount, d.reservedAfter, d.committedAfter, d.releaseCause])).toEqual([['RELEASE', left, '0', dec('3000.5').times('0.5').toFixed(), 'ORDER_CANCELLED']]);
    expect(bookOf(handler).execution.orders).toEqual([]);

    const rejected = handler.onTick(laneTick(5, [decision({ label: 'post', size: '1', price: '2999' }, tickTime(5))]));
    const placeReject = commands(rejected)[0]!;
    const out2 = handler.onTick(laneTick(6, [report(placeReject, 'REJECTED', tickTime(5) + 5)]));
    expect(deltas(out2).map((d) => [d.kind, d.amount, d.reservedAfter, d.clientOrderId, d.releaseCause])).toEqual([['RELEASE', '2999', '0', placeReject.clientOrderId, 'ORDER_REJECTED']]);
  });

  it('ignores a repeated venue event and an event of an unknown order', () => {
    const { handler, command } = placed('2', '3000');
    const fill = report(command, 'FILLED', tickTime(1) + 10, { n: 1, fill: { quantity: '1', price: '3000', fee: '0.1', cumulative: '1', remaining: '1' } });
    const first = handler.onTick(laneTick(2, [fill, fill]));
    expect(deltas(first).map((d) => d.kind)).toEqual(['COMMIT']);
    expect(positions(first).map((p) => p.quantity)).toEqual(['1']);
    const before = handler.exportLane(0);
    const stranger = { ...command, clientOrderId: 'unknown-order' } as OrderCommand;
    const again = handler.onTick(laneTick(3, [fill, report(stranger, 'FILLED', tickTime(2), { n: 1, fill: { quantity: '1', price: '3000', fee: '0', cumulative: '1', remaining: '0' } })]));
    expect(again).toEqual([]);
    expect(handler.exportLane(0)).toEqual(before);
  });

  it('releases the empty reservation of a completed order, and frees the committed capital of a position as fills reduce it', () => {
    const { handler, command } = placed('1', '3000');
    const buy = handler.onTick(laneTick(2, [report(command, 'FILLED', tickTime(1) + 10, { n: 1, fill: { quantity: '1', price: '3000', fee: '0', cumulative: '1', remaining: '0' } })]));
    expect(deltas(buy).map((d) => [d.kind, d.amount, d.reservedAfter, d.committedAfter, d.releaseCause])).toEqual([
      ['COMMIT', '3000', '0', '3000', null],
      ['RELEASE', '0', '0', '3000', 'ORDER_COMPLETED'],
    ]);
    const sellOut = handler.onTick(laneTick(3, [decision({ label: 'sell', side: 'SELL', size: '1', price: '3002' }, tickTime(3))]));
    const sell = commands(sellOut)[0]!;
    const out = handler.onTick(laneTick(4, [report(sell, 'FILLED', tickTime(3) + 10, { n: 1, fill: { quantity: '1', price: '3002', fee: '0', cumulative: '1', remaining: '0' } })]));
    expect(deltas(out).map((d) => [d.kind, d.amount, d.reservedAfter, d.committedAfter, d.releaseCause])).toEqual([
      ['COMMIT', '3002', '0', '6002', null],
      ['RELEASE', '0', '0', '6002', 'ORDER_COMPLETED'],
      ['RELEASE', '6002', '0', '0', 'POSITION_REDUCED'],
    ]);
    expect(positions(out)[0]).toMatchObject({ quantity: '0', averageEntryPrice: null, realisedPnl: '2', unrealisedPnl: '0' });
  });

  it('settles funding on an open position at the announced settlement, at the venue mark', async () => {
    const { handler, metrics, command } = placed('1', '3000');
    const settleUs = tickTime(10);
    handler.onTick(laneTick(2, [report(command, 'FILLED', tickTime(1) + 10, { n: 1, fill: { quantity: '1', price: '3000', fee: '0', cumulative: '1', remaining: '0' } }), funding('venue-a', '0.001', tickTime(2), settleUs)]));
    const realised = (): Promise<number | undefined> => metricValue(metrics, 'fleet_pnl', { instrument: INSTRUMENT, kind: 'realised' });
    expect(await realised()).toBe(0);
    handler.onTick(laneTick(3, [funding('venue-a', '0.001', settleUs - 1, settleUs)]));
    expect(await realised()).toBe(0);
    const out = handler.onTick(laneTick(10, [mark('venue-a', '3100', settleUs), funding('venue-a', '0.002', settleUs, tickTime(20))]));
    // Longs pay when the rate is positive: −1 × 3100 × 0.002.
    expect(await realised()).toBeCloseTo(-6.2, 12);
    expect(bookOf(handler).portfolio.positions[0]!.funding.amountText()).toBe(dec('3100').times('0.002').negated().toFixed());
    const paid = dec('3100').times('0.002').negated();
    expect(positions(out).map((p) => [p.markPrice, p.realisedPnl, p.fundingPnl, p.unrealisedPnl, p.totalPnl])).toEqual([['3100', '0', paid.toFixed(), '100', paid.plus(100).toFixed()]]);
    handler.onTick(laneTick(11, [funding('venue-a', '0.002', tickTime(11), tickTime(20))]));
    expect(await realised()).toBeCloseTo(-6.2, 12);
  });

  it('keeps reserved + committed within the allocation, committed equal to the positions behind it, and every budget sequence, through a seeded sequence', async () => {
    const { handler, metrics } = ledgerHandler();
    const driver = new SeededDriver(7);
    let places = 0;
    let decisions = 0;
    let denied = 0;
    const deltaIds = new Set<string>();
    const lastOf = new Map<string, BudgetDelta>();
    for (let n = 0; n < 400; n += 1) {
      const tick = driver.tick(n);
      const out = handler.onTick(tick);
      driver.observe(n, out);
      const reserveIds = new Set<string>();
      for (const o of out) {
        if (o.spec.name === Topics.budgetDelta.name) {
          const d = o.value as BudgetDelta;
          expect(dec(d.reservedAfter).plus(d.committedAfter).lte(d.allocatedAfter)).toBe(true);
          if (d.kind === 'RESERVE') reserveIds.add(d.clientOrderId!);
          expect(deltaIds.has(d.deltaId)).toBe(false);
          deltaIds.add(d.deltaId);
          expect(d.releaseCause === null).toBe(d.kind !== 'RELEASE');
          expect(d.rejectReasons.length > 0).toBe(d.kind === 'DENIED');
          const last = lastOf.get(d.budgetId);
          if (d.kind === 'DENIED') {
            denied += 1;
            const after = (x: BudgetDelta | undefined) => [x?.budgetSequence ?? 0, x?.allocatedAfter ?? '0', x?.reservedAfter ?? '0', x?.committedAfter ?? '0', x?.budgetDigest ?? ''];
            expect(after(d)).toEqual(after(last));
          } else {
            expect(d.budgetSequence).toBe((last?.budgetSequence ?? 0) + 1);
            lastOf.set(d.budgetId, d);
          }
        }
        if (o.spec.name === Topics.orderCommand.name && (o.value as OrderCommand).kind === 'PLACE') {
          places += 1;
          expect(reserveIds.has((o.value as OrderCommand).clientOrderId!)).toBe(true);
        }
      }
      decisions += tick.events.filter((e) => e.topic === Topics.riskDecision.name).length;
      const book = bookOf(handler);
      for (const budget of book.execution.ledger.budgets) {
        const venue = book.venues.find((v) => budget.bucketId.endsWith(`:${v.venue}`))!;
        expect(budget.reserved.plus(budget.committed).lte(budget.allocated)).toBe(true);
        expect(budget.reserved.isNegative() || budget.committed.isNegative()).toBe(false);
        expect(budget.reservations.reduce((sum, r) => sum.plus(r.amount.value), dec('0')).eq(budget.reserved.value)).toBe(true);
        expect(venue.backing.equals(budget.committed)).toBe(true);
        expect(lastOf.get(budget.budgetId)?.budgetSequence).toBe(budget.sequence);
      }
    }
    expect(places).toBeGreaterThan(100);
    expect(decisions).toBeGreaterThan(places);
    const refusals = (await metrics.registry.getSingleMetric('fleet_budget_rejections_total')!.get()).values;
    expect(denied).toBeGreaterThan(0);
    expect(refusals.reduce((sum, v) => sum + v.value, 0)).toBe(denied);
  });

  it('is deterministic: the same ticks give the same outputs and the same state', () => {
    const run = () => {
      const { handler } = ledgerHandler();
      const driver = new SeededDriver('determinism');
      const outputs: unknown[] = [];
      for (let n = 0; n < 120; n += 1) {
        const out = handler.onTick(driver.tick(n));
        driver.observe(n, out);
        outputs.push(out.map((o) => [o.spec.name, o.key, o.value]));
      }
      return { outputs, state: handler.exportLane(0) };
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(JSON.stringify(a.outputs).length).toBeGreaterThan(10_000);
  });

  it('carries a lane through export and import: the imported handler continues exactly like the original', () => {
    const { handler: original } = ledgerHandler();
    const driver = new SeededDriver('roundtrip');
    for (let n = 0; n < 60; n += 1) driver.observe(n, original.onTick(driver.tick(n)));
    const snapshot = JSON.parse(JSON.stringify(original.exportLane(0)));
    const { handler: restored } = ledgerHandler();
    restored.onTick(laneTick(0, [mark('venue-b', '1', tickTime(0))]));
    restored.resetLane(0);
    restored.importLane(0, snapshot);
    expect(restored.exportLane(0)).toEqual(original.exportLane(0));
    for (let n = 60; n < 120; n += 1) {
      const tick = driver.tick(n);
      const expected = original.onTick(tick);
      expect(restored.onTick(tick)).toEqual(expected);
      driver.observe(n, expected);
    }
    expect(restored.exportLane(0)).toEqual(original.exportLane(0));
    expect(original.exportLane(1)).toEqual({ instruments: {} });
  });
});
