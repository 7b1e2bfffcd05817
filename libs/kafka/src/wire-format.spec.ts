import fc from 'fast-check';
import { DecodeError } from './errors';
import { frame, unframe } from './wire-format';

describe('Confluent wire format', () => {
  it('frames as magic byte 0, big-endian schema id, then the body', () => {
    const out = frame(258, Buffer.from([0xaa, 0xbb]));
    expect([...out]).toEqual([0, 0, 0, 1, 2, 0xaa, 0xbb]);
  });

  it('round-trips any schema id and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.uint8Array({ maxLength: 64 }), (id, body) => {
        const { schemaId, payload } = unframe(frame(id, Buffer.from(body)));
        expect(schemaId).toBe(id);
        expect([...payload]).toEqual([...body]);
      }),
    );
  });

  it.each([
    ['empty-value', null],
    ['empty-value', Buffer.alloc(0)],
    ['too-short', Buffer.from([0, 0, 1])],
    ['bad-magic-byte', Buffer.from([1, 0, 0, 0, 1, 2])],
    ['unknown-schema-id', Buffer.from([0, 0xff, 0xff, 0xff, 0xff, 2])],
  ])('refuses with reason %s', (reason, bytes) => {
    const error = (() => {
      try {
        unframe(bytes);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).reason).toBe(reason);
    expect((error as DecodeError).retriable).toBe(false);
  });

  it('refuses a schema id outside int32', () => {
    expect(() => frame(-1, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => frame(2 ** 31, Buffer.alloc(0))).toThrow(RangeError);
  });
});
