import { decodeEventHeaders, encodeEventHeaders, headersFromEnvelope, normaliseHeaders } from './headers';

describe('correlation headers', () => {
  it('round-trips every field, causation as a JSON array', () => {
    const h = { correlationId: 'c-1', causation: ['a', 'b,c'], eventId: 'e-1', producer: 'fair-value' };
    const encoded = encodeEventHeaders(h);
    expect(encoded).toEqual({ 'x-correlation-id': 'c-1', 'x-causation': '["a","b,c"]', 'x-event-id': 'e-1', 'x-producer': 'fair-value' });
    expect(decodeEventHeaders(encoded)).toEqual(h);
  });

  it('omits absent fields and reads a malformed causation as absent', () => {
    expect(encodeEventHeaders({})).toEqual({});
    expect(decodeEventHeaders({ 'x-causation': 'not json', 'x-event-id': 'e' })).toEqual({ eventId: 'e' });
    expect(decodeEventHeaders({ 'x-causation': '[1,2]' })).toEqual({});
  });

  it('normalises raw header values to strings, keeping the last of a repeated header', () => {
    expect(normaliseHeaders({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), '2'], d: undefined })).toEqual({ a: 'x', b: 'y', c: '2' });
    expect(normaliseHeaders(undefined)).toEqual({});
  });

  it('takes headers from an envelope field, ignoring values without one', () => {
    const value = { envelope: { eventId: 'e', correlationId: 'c', causation: ['p'], producer: 'svc', sequence: 3 }, x: 1 };
    expect(headersFromEnvelope(value)).toEqual({ eventId: 'e', correlationId: 'c', causation: ['p'], producer: 'svc' });
    expect(headersFromEnvelope({ x: 1 })).toEqual({});
    expect(headersFromEnvelope(null)).toEqual({});
  });
});
