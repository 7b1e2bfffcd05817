import { DecodeError } from './errors';

/** The first byte of every Confluent wire-format message. */
export const MAGIC_BYTE = 0;
/** Magic byte plus the 4-byte big-endian schema id. */
export const WIRE_HEADER_LENGTH = 5;

/** A message split into its schema id and its Avro binary body. */
export interface WireFrame {
  /** The registry's id of the writer schema. */
  readonly schemaId: number;
  /** The Avro binary encoding of the value. */
  readonly payload: Buffer;
}

/** Returns `payload` framed in the Confluent wire format: magic byte 0, schema id (int32 BE), body. */
export function frame(schemaId: number, payload: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new RangeError(`schema id must be an integer from 0 to 2147483647, received ${schemaId}`);
  }
  const out = Buffer.allocUnsafe(WIRE_HEADER_LENGTH + payload.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeInt32BE(schemaId, 1);
  payload.copy(out, WIRE_HEADER_LENGTH);
  return out;
}

/** Returns the schema id and body of a wire-format message; throws {@link DecodeError} on bad framing. */
export function unframe(message: Buffer | null | undefined): WireFrame {
  if (message == null || message.length === 0) {
    throw new DecodeError('empty-value', 'message has no value (null or zero bytes)');
  }
  if (message.length < WIRE_HEADER_LENGTH) {
    throw new DecodeError('too-short', `message has ${message.length} bytes, fewer than the ${WIRE_HEADER_LENGTH}-byte wire header`);
  }
  const magic = message.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new DecodeError('bad-magic-byte', `message starts with byte ${magic}, expected the magic byte ${MAGIC_BYTE}`);
  }
  const schemaId = message.readInt32BE(1);
  if (schemaId < 0) {
    throw new DecodeError('unknown-schema-id', `message carries a negative schema id ${schemaId}`);
  }
  return { schemaId, payload: message.subarray(WIRE_HEADER_LENGTH) };
}
