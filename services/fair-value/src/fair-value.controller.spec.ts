import { type BookSnapshot, type FairValueState, Topics } from '@fleet/contracts';
import { computeVolScalars, createStrategyConfig, digestOf, initialFairValueState, stepFairValue, type VenueBookTop } from '@fleet/core';
import { checkEnvelope } from '@fleet/events';
import { KafkaAvroContext, type InboundEvent } from '@fleet/kafka';
import { createIsolatedMetrics } from '@fleet/metrics';
import { FairValueController } from './fair-value.controller';
import { FairValueEngine } from './fair-value.engine';
import { venueBookTop } from './fair-value-tracker';
import { simulatedBooks } from './testing/sim-books';

const strategy = createStrategyConfig('balanced');
const config = { service: {} as never, strategy };

function controller(): { controller: FairValueController; engine: FairValueEngine } {
  const engine = new FairValueEngine(config, createIsolatedMetrics({ service: 'fair-value', instance: 'spec' }));
  return { controller: new FairValueController(engine, Topics.fvState), engine };
}

function ctx(book: BookSnapshot, partition: number, offset: number): KafkaAvroContext {
  const event: InboundEvent = { topic: Topics.mdBook.name, partition, offset: String(offset), key: book.instrument, value: book, headers: {}, correlation: {}, schemaId: 1, timestamp: '0' };
  return new KafkaAvroContext([event]);
}

function run(books: readonly BookSnapshot[]): FairValueState[] {
  const { controller: c } = controller();
  return books.flatMap((b, i) => c.onBook(b, ctx(b, 0, i)).map((o) => o.value));
}

describe('FairValueController', () => {
  const books = simulatedBooks('ETH-PERP', 7);

  it('maps each book to one fv.state keyed by instrument, caused by the book, with an intact digest', () => {
    const { controller: c } = controller();
    const outputs = c.onBook(books[0], ctx(books[0], 2, 0));
    expect(outputs).toHaveLength(1);
    const [out] = outputs;
    expect(out.spec).toBe(Topics.fvState);
    expect(out.key).toBe('ETH-PERP');
    expect(out.value.envelope).toMatchObject({ causation: [books[0].envelope.eventId], eventTimeUs: books[0].envelope.eventTimeUs, sequence: 1, producer: 'fair-value' });
    expect(checkEnvelope(out.value)).toBeUndefined();
  });

  it('computes exactly what the core computes over the latest book per venue', () => {
    const outputs = run(books);
    let fv = initialFairValueState(strategy);
    const latest: (VenueBookTop | null)[] = strategy.venues.map(() => null);
    books.forEach((b, i) => {
      latest[strategy.venues.findIndex((v) => v.venueId === b.venue)] = venueBookTop(b);
      fv = stepFairValue(strategy, fv, latest, b.envelope.eventTimeUs);
      const out = outputs[i];
      expect(out.fairValue).toBe(fv.fairValue);
      expect(out.fvAvailable).toBe(fv.fvAvailable);
      expect(out.sigmaEff).toBe(fv.sigmaEff);
      expect(out.sigmaShort).toBe(fv.sigmaShort);
      expect(out.healthyVenuesUsedCount).toBe(fv.healthyVenueCount);
      expect(out.spreadVolScalar).toBe(computeVolScalars(strategy.volatility, fv.sigmaEff).spreadMult);
      expect(out.envelope.sequence).toBe(i + 1);
    });
    const last = outputs[outputs.length - 1];
    expect(last.fvAvailable).toBe(true);
    expect(last.fairValue).toBeGreaterThan(2_900);
    expect(last.fairValue).toBeLessThan(3_100);
    expect(last.healthyVenuesUsed).toEqual(['venue-a', 'venue-b', 'venue-c']);
    expect(last.observations.map((o) => [o.venue, o.status])).toEqual([
      ['venue-a', 'HEALTHY'],
      ['venue-b', 'HEALTHY'],
      ['venue-c', 'HEALTHY'],
      ['venue-d', 'NO_BOOK'],
      ['venue-e', 'NO_BOOK'],
    ]);
  });

  it('gives the same outputs, ids and digests for the same inputs', () => {
    expect(digestOf(run(books))).toBe(digestOf(run(books)));
    expect(run(books).map((o) => o.envelope.eventId)).toEqual(run(books).map((o) => o.envelope.eventId));
    expect(digestOf(run(simulatedBooks('ETH-PERP', 8)))).not.toBe(digestOf(run(books)));
  });

  it('continues identically from an exported and imported partition state', () => {
    const half = Math.floor(books.length / 2);
    const a = controller();
    books.slice(0, half).forEach((b, i) => a.controller.onBook(b, ctx(b, 1, i)));
    const snapshot = JSON.parse(JSON.stringify(a.engine.exportPartition(1)));
    const b = controller();
    b.engine.importPartition(1, snapshot);
    const resumed = books.slice(half).map((bk, i) => b.controller.onBook(bk, ctx(bk, 1, half + i))[0].value);
    expect(digestOf(resumed)).toBe(digestOf(run(books).slice(half)));
  });

  it('keeps instruments apart', () => {
    const eth = books.slice(0, 20);
    const btc = simulatedBooks('BTC-PERP', 7).slice(0, 20);
    const { controller: c } = controller();
    const mixed = eth.flatMap((b, i) => [c.onBook(b, ctx(b, 0, 2 * i))[0].value, c.onBook(btc[i], ctx(btc[i], 0, 2 * i + 1))[0].value]);
    expect(digestOf(mixed.filter((o) => o.instrument === 'ETH-PERP'))).toBe(digestOf(run(eth)));
  });
});
