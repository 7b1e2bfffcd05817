import { calmScenario, generateMarketEvents, type BookEvent, type TradeEvent } from '@fleet/core';
import { checkEnvelope, payloadDigest, withEnvelope } from './envelope';
import { bookSnapshotFromSim, tradeFromSim } from './market-data';

const input = { producer: 'fair-value', valueType: 'fleet.events.FairValueState', instrument: 'BTC-PERP', sequence: 3, eventTimeUs: 1_000_000, causation: ['a'.repeat(64)] };

describe('withEnvelope', () => {
  it('derives the same id and digest from the same inputs, and different ones from different inputs', () => {
    const a = withEnvelope(input, { fairValue: 100.5 });
    const b = withEnvelope(input, { fairValue: 100.5 });
    expect(a.envelope).toEqual(b.envelope);
    expect(a.envelope.eventId).toMatch(/^[0-9a-f]{64}$/);
    expect(withEnvelope({ ...input, sequence: 4 }, { fairValue: 100.5 }).envelope.eventId).not.toBe(a.envelope.eventId);
    expect(withEnvelope(input, { fairValue: 100.25 }).envelope.digest).not.toBe(a.envelope.digest);
    expect(a.envelope.correlationId).toBe(input.causation[0]);
  });

  it('covers the payload and not the envelope with the digest, and catches a changed payload', () => {
    const event = withEnvelope(input, { fairValue: 100.5, venues: ['a', 'b'] });
    expect(event.envelope.digest).toBe(payloadDigest({ fairValue: 100.5, venues: ['a', 'b'] }));
    expect(checkEnvelope(event)).toBeUndefined();
    const tampered = { ...event, fairValue: 100.6 };
    expect(checkEnvelope(tampered)).toBe('digest-mismatch');
  });

  it('refuses a sequence below 1 and a fractional event time', () => {
    expect(() => withEnvelope({ ...input, sequence: 0 }, {})).toThrow('received 0');
    expect(() => withEnvelope({ ...input, eventTimeUs: 1.5 }, {})).toThrow('received 1.5');
  });
});

describe('market data from the simulator', () => {
  const scenario = calmScenario({ durationUs: 2_000_000 });
  const events = generateMarketEvents(scenario, 7);
  const venues = new Map(scenario.sim.venues.map((v) => [v.venue, v]));

  it('writes prices and sizes as exact decimal text on the venue grid', () => {
    const book = events.find((e): e is BookEvent => e.type === 'book')!;
    const venue = venues.get(book.venue)!;
    const snapshot = bookSnapshotFromSim(book, venue, 1);
    expect(snapshot.bids).toHaveLength(book.bids.length);
    expect(Number(snapshot.bids[0]!.price)).toBe(book.bids[0]!.price);
    expect(snapshot.bids[0]!.price.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(venue.priceDecimals);
    expect(snapshot.tickSize).toBe(`0.${'0'.repeat(venue.priceDecimals - 1)}1`);
    expect(checkEnvelope(snapshot)).toBeUndefined();
  });

  it('maps trades with their aggressor side', () => {
    const trade = events.find((e): e is TradeEvent => e.type === 'trade')!;
    const mapped = tradeFromSim(trade, venues.get(trade.venue)!, 1);
    expect(Number(mapped.price)).toBe(trade.price);
    expect(mapped.aggressorSide).toBe(trade.aggressor.toUpperCase());
  });
});
