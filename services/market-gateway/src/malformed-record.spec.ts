import { Topics } from '@fleet/contracts';
import { type LaneSessionConfig } from '@fleet/service';
import { MALFORMED_BOOK_BYTES, withMalformedRecord } from './malformed-record';
import { SimTickSource } from './sim-tick-source';
import { type GatewayTick } from './tick-source';

const session: LaneSessionConfig = { scenario: 'calm', seed: 3, durationUs: 1_000_000, tickUs: 250_000, venueCount: 2, instruments: ['ETH-PERP', 'BTC-PERP'] };

async function drain(source: { next(): Promise<GatewayTick | undefined> }): Promise<GatewayTick[]> {
  const ticks: GatewayTick[] = [];
  for (let t = await source.next(); t !== undefined; t = await source.next()) ticks.push(t);
  return ticks;
}

describe('withMalformedRecord', () => {
  it('adds one undecodable book record to the chosen tick and changes nothing else', async () => {
    const plain = await drain(new SimTickSource(session));
    const injected = await drain(withMalformedRecord(new SimTickSource(session), 2));
    expect(injected.map((t) => t.raw?.length ?? 0)).toEqual([0, 0, 1, 0]);
    expect(injected[2]!.raw).toEqual([{ spec: Topics.mdBook, key: 'ETH-PERP', value: MALFORMED_BOOK_BYTES }]);
    expect(MALFORMED_BOOK_BYTES[0]).not.toBe(0);
    expect(injected.map((t) => t.outputs)).toEqual(plain.map((t) => t.outputs));
  });

  it('returns the source itself when no tick is set', () => {
    const source = new SimTickSource(session);
    expect(withMalformedRecord(source, undefined)).toBe(source);
  });
});
