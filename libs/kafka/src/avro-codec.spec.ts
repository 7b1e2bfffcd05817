import { type TopicSpec } from '@fleet/contracts';
import { AvroCodec, type AvroSchemaJson } from './avro-codec';
import { DecodeError, EncodeError } from './errors';
import { type SchemaRegistryPort } from './schema-registry';
import { frame } from './wire-format';

/** An in-memory registry: ids from 1, one id per distinct schema text. */
class StubRegistry implements SchemaRegistryPort {
  readonly schemas = new Map<number, string>();
  registrations = 0;
  async register(_subject: string, schema: string): Promise<number> {
    this.registrations++;
    for (const [id, s] of this.schemas) if (s === schema) return id;
    const id = this.schemas.size + 1;
    this.schemas.set(id, schema);
    return id;
  }
  async schemaById(id: number): Promise<string | undefined> {
    return this.schemas.get(id);
  }
}

const spec: TopicSpec<{ id: string; n: number }> = {
  name: 'unit.events',
  key: 'instrument',
  valueType: 'test.Event',
  partitions: 1,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  description: 'unit test events',
};
const v1: AvroSchemaJson = { type: 'record', name: 'Event', namespace: 'test', fields: [{ name: 'id', type: 'string' }, { name: 'n', type: 'long' }] };
const v2: AvroSchemaJson = {
  type: 'record',
  name: 'Event',
  namespace: 'test',
  fields: [{ name: 'id', type: 'string' }, { name: 'n', type: 'long' }, { name: 'note', type: 'string', default: '' }],
};

async function decodeError(p: Promise<unknown>): Promise<DecodeError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DecodeError);
  return e as DecodeError;
}

describe('AvroCodec', () => {
  it('round-trips a value and registers the schema once', async () => {
    const registry = new StubRegistry();
    const codec = new AvroCodec(registry);
    const bytes = await codec.encode(spec, v1, { id: 'a', n: 7 });
    await codec.encode(spec, v1, { id: 'b', n: 8 });
    expect(registry.registrations).toBe(1);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(1);
    expect(await codec.decode(bytes, v1)).toEqual({ value: { id: 'a', n: 7 }, schemaId: 1 });
  });

  it('reads an old writer schema with a newer reader schema', async () => {
    const codec = new AvroCodec(new StubRegistry());
    const bytes = await codec.encode(spec, v1, { id: 'a', n: 1 });
    expect((await codec.decode(bytes, v2)).value).toEqual({ id: 'a', n: 1, note: '' });
  });

  it('refuses to encode a value that does not fit, naming the field', async () => {
    const codec = new AvroCodec(new StubRegistry());
    const e = await codec.encode(spec, v1, { id: 'a', n: 'x' as unknown as number }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EncodeError);
    expect((e as EncodeError).paths).toEqual(['n']);
  });

  it('types every decode failure with its reason', async () => {
    const registry = new StubRegistry();
    const codec = new AvroCodec(registry);
    const good = await codec.encode(spec, v1, { id: 'a', n: 1 });
    expect((await decodeError(codec.decode(Buffer.from('garbage!'), v1))).reason).toBe('bad-magic-byte');
    expect((await decodeError(codec.decode(frame(999, Buffer.from([2, 0x61, 2])), v1))).reason).toBe('unknown-schema-id');
    expect((await decodeError(codec.decode(good.subarray(0, good.length - 1), v1))).reason).toBe('invalid-payload');
    expect((await decodeError(codec.decode(Buffer.concat([good, Buffer.from([1])]), v1))).reason).toBe('invalid-payload');
    const other: AvroSchemaJson = { type: 'record', name: 'Event', namespace: 'test', fields: [{ name: 'missing', type: 'int' }] };
    expect((await decodeError(codec.decode(good, other))).reason).toBe('incompatible-schema');
    const validate = (v: { n: number }) => (v.n > 0 ? 'n must not be positive' : undefined);
    expect((await decodeError(codec.decode(good, v1, validate))).reason).toBe('validation-failed');
  });
});
