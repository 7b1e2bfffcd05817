import { Topics } from '@fleet/contracts';
import { sessionFixture } from '../replay/testing/session-fixture';
import { whyFill, whyIntent, WhyIndex, whyOrder, whySignal } from './why-chain';
import { routeWhy } from './why-routes';
import { formatOrderChain, formatSignalChain } from './why-text';

const fx = sessionFixture();
const index = new WhyIndex(fx.records);
const ids = (refs: readonly { ref: { eventId: string } }[]): string[] => refs.map((r) => r.ref.eventId);

describe('whyOrder', () => {
  const chain = whyOrder(index, fx.buy.clientOrderId)!;

  it('follows an order from the books to the fill and the position it changed', () => {
    expect(chain.gate).toEqual({ gate: 'sent' });
    expect(ids(chain.books)).toEqual([fx.books.a0, fx.books.b0]);
    expect(chain.fairValue!.ref.eventId).toBe(fx.fv0);
    expect(chain.fairValue!.healthyVenuesUsed).toEqual(['venue-a', 'venue-b']);
    expect(ids(chain.fairValue!.books)).toEqual([fx.books.b0]);
    expect(chain.intent.intentId).toBe(fx.buy.intentId);
    expect(chain.intent.modelInputs).toEqual({ reservationPrice: 2000.15, halfSpread: 0.25, inventory: 0 });
    expect(chain.intent.modelLabels.regime).toBe('Normal');
    expect(chain.risk!.ref.eventId).toBe(fx.buy.decision);
    expect(chain.risk!.outcome).toBe('APPROVED');
    expect(chain.risk!.state!.ref.eventId).toBe(fx.riskStates[0]);
    expect(chain.budget.map((b) => b.kind)).toEqual(['RESERVE', 'COMMIT']);
    expect(chain.budget[0]!.ref.eventId).toBe(fx.buy.reserve);
    expect(chain.command!.ref.eventId).toBe(fx.buy.command);
    expect(chain.command!.placement!.reservedAmount).toBe('200');
    expect(ids(chain.venueEvents)).toEqual([fx.buy.acked, fx.buy.filled]);
    const fill = chain.venueEvents[1]!;
    expect(fill.fill!.fillId).toBe(fx.buy.fillId);
    expect(fill.position).toMatchObject({ quantityBefore: '0', quantity: '0.1', realisedPnl: '0.02', realisedPnlChange: '0.02' });
    expect(fill.position!.ref.eventId).toBe(fx.buy.position);
    expect(chain.venueEvents[0]!.position).toBeNull();
  });

  it('finds the same chain from the fill and from the intent', () => {
    const byFill = whyFill(index, fx.buy.fillId)!;
    expect(byFill.focusFillId).toBe(fx.buy.fillId);
    expect({ ...byFill, focusFillId: null }).toEqual(chain);
    expect(whyIntent(index, fx.buy.intentId)).toEqual(chain);
  });

  it('names the gate that stopped an intent: risk denial with its reason', () => {
    const sell = whyIntent(index, fx.sell.intentId)!;
    expect(sell.gate).toEqual({ gate: 'risk', reason: 'PRICE_BAND' });
    expect(sell.risk!.ref.eventId).toBe(fx.sell.decision);
    expect(sell.command).toBeNull();
    expect(sell.budget).toEqual([]);
    expect(sell.venueEvents).toEqual([]);
  });

  it('names a budget refusal from its DENIED delta, and infers one when the ledger left no delta', () => {
    const hedge = whyOrder(index, fx.hedge.clientOrderId)!;
    expect(hedge.intent.intentId).toBe(fx.hedge.intentId);
    expect(hedge.gate).toEqual({ gate: 'budget', reasons: ['InsufficientBudget'] });
    expect(hedge.budget.map((b) => [b.kind, b.ref.eventId])).toEqual([['DENIED', fx.hedge.denied]]);
    const withoutDelta = new WhyIndex(fx.records.filter((r) => r.value.envelope.eventId !== fx.hedge.denied));
    expect(whyIntent(withoutDelta, fx.hedge.intentId)!.gate).toEqual({ gate: 'budget', reasons: ['no reservation and no command followed the approval'] });
  });

  it('reports an intent risk-shield never decided on', () => {
    const undecided = new WhyIndex(fx.records.filter((r) => r.value.envelope.eventId !== fx.sell.decision));
    expect(whyIntent(undecided, fx.sell.intentId)!.gate).toEqual({ gate: 'undecided' });
  });

  it('answers undefined for ids the log does not have', () => {
    expect(whyOrder(index, 'no-such-order')).toBeUndefined();
    expect(whyFill(index, fx.buy.intentId)).toBeUndefined();
    expect(whyIntent(index, fx.buy.fillId)).toBeUndefined();
  });

  it('is a function of the log, not of the order the records were read in', () => {
    const reversed = new WhyIndex([...fx.records].reverse());
    expect(whyOrder(reversed, fx.buy.clientOrderId)).toEqual(chain);
    expect(whySignal(reversed, fx.fv0)).toEqual(whySignal(index, fx.fv0));
  });
});

describe('whySignal', () => {
  it('lists what was decided on a signal and which gate blocked what', () => {
    const s = whySignal(index, fx.fv0)!;
    expect(s.intents.map((i) => [i.intent.intentId, i.gate])).toEqual([
      [fx.buy.intentId, { gate: 'sent' }],
      [fx.sell.intentId, { gate: 'risk', reason: 'PRICE_BAND' }],
    ]);
    expect(s.intents[0]!.clientOrderId).toBe(fx.buy.clientOrderId);
    expect(ids(s.riskStates)).toEqual([fx.riskStates[0]]);
    expect(s.outcome).toBe('2 intent(s), 1 sent; 1 denied by risk-shield (PRICE_BAND)');
  });

  it('says why nothing was decided on a signal: superseded in its tick, unavailable, or no strategy acted', () => {
    const superseded = whySignal(index, fx.fv1)!;
    expect(superseded.intents).toEqual([]);
    expect(superseded.decidedOn!.eventId).toBe(fx.fv2);
    expect(superseded.outcome).toBe(`no intent on this update: the strategies decide once per tick, on its last fair value ${fx.fv2} (1 intent(s) cite it)`);
    expect(whySignal(index, fx.fv3)!.outcome).toBe('no intent: fair value unavailable (1 healthy venues, 2 needed)');
    expect(whySignal(index, fx.fv4)!.decidedOn).toBeNull();
    expect(whySignal(index, fx.fv4)!.outcome).toBe('no intent: no strategy acted on this fair value (quotes unchanged, no hedge or exit needed)');
  });

  it('names the budget refusal of an intent citing a signal', () => {
    expect(whySignal(index, fx.fv2)!.outcome).toBe('1 intent(s), 0 sent; 1 refused by budget-ledger (InsufficientBudget)');
  });

  it('answers only for fv.state events', () => {
    expect(whySignal(index, fx.buy.command)).toBeUndefined();
    expect(whySignal(index, 'f'.repeat(64))).toBeUndefined();
  });
});

describe('the why text and routes', () => {
  it('prints every step of an order chain with the events it came from', () => {
    const text = formatOrderChain(whyOrder(index, fx.buy.clientOrderId)!);
    expect(text.split('\n')[0]).toBe(`why order ${fx.buy.clientOrderId} (ETH-PERP): sent to the venue`);
    expect(text).toContain('model inputs: halfSpread=0.25 inventory=0 reservationPrice=2000.15');
    expect(text).toContain('APPROVED, regime NORMAL');
    expect(text).toContain('RESERVE 200 USDT (reserved 200, committed 0 of 10000)');
    expect(text).toContain(`FILLED 0.1 @ 2000.00 MAKER, fee -0.02 USDT`);
    expect(text).toContain('position on venue-a: 0 -> 0.1, realised PnL 0.02 (+0.02)');
    expect(formatSignalChain(whySignal(index, fx.fv0)!)).toContain('-> blocked by risk-shield: PRICE_BAND');
  });

  it('serves the chains as JSON by path, with 404, 400 and 405 for the rest', () => {
    const ok = routeWhy(index, 's1', 'GET', `/why/fill/${fx.buy.fillId}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ sessionId: 's1', ...whyFill(index, fx.buy.fillId)! });
    expect(routeWhy(index, 's1', 'GET', `/why/signal/${fx.fv2}?pretty`).status).toBe(200);
    expect(routeWhy(index, 's1', 'GET', '/why/order/unknown').status).toBe(404);
    expect(routeWhy(index, 's1', 'GET', `/why/${Topics.orderEvent.name}/x`).status).toBe(404);
    expect(routeWhy(index, 's1', 'GET', '/why/order/a%20b')).toEqual({ status: 400, body: { error: 'the order id must be 1 to 64 letters, digits, dashes or underscores; received "a b"' } });
    expect(routeWhy(index, 's1', 'POST', `/why/fill/${fx.buy.fillId}`).status).toBe(405);
  });
});
