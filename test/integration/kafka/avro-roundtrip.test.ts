/** An Avro round trip through the REAL schema registry, in the Confluent wire format. */
import { AvroCodec, DecodeError, HttpSchemaRegistry, frame, unframe, valueSubject, type AvroSchemaJson } from '@fleet/kafka';
import { env, inputEvent, inputSchema, runId, testTopic, type TestInput } from './fixtures';

jest.setTimeout(300_000);

describe('Avro through the real schema registry', () => {
  const run = runId();
  const spec = testTopic<TestInput>(`kafka-it-avro-${run}`, 1);

  it('encodes in the wire format and decodes the same value with a fresh codec', async () => {
    const value = inputEvent(run, 42);
    const bytes = await new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL'))).encode(spec, inputSchema, value);
    const { schemaId } = unframe(bytes);
    expect(bytes[0]).toBe(0);
    expect(schemaId).toBeGreaterThanOrEqual(0);
    const fresh = new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL')));
    expect(await fresh.decode(bytes, inputSchema)).toEqual({ value, schemaId });
  });

  it('gets the same id for the same schema and serves the schema by id', async () => {
    const registry = new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL'));
    const a = await new AvroCodec(registry).registerValueSchema(spec, inputSchema);
    const b = await new AvroCodec(registry).registerValueSchema(spec, inputSchema);
    expect(a).toBe(b);
    const text = await registry.schemaById(a);
    expect(JSON.parse(text!)).toMatchObject({ type: 'record', name: 'TestInput', namespace: 'fleet.test' });
    expect(valueSubject(spec)).toBe(`${spec.name}-value`);
  });

  it('reads data written with v1 through a v2 reader that added a defaulted field', async () => {
    const v2 = JSON.parse(JSON.stringify(inputSchema)) as { fields: unknown[] };
    v2.fields.push({ name: 'venue', type: 'string', default: 'none' });
    const codec = new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL')));
    const value = inputEvent(run, 7);
    const v1Bytes = await codec.encode(spec, inputSchema, value);
    expect((await codec.decode(v1Bytes, v2 as AvroSchemaJson)).value).toEqual({ ...value, venue: 'none' });
    const v2Bytes = await codec.encode(spec, v2 as AvroSchemaJson, { ...value, venue: 'x' } as TestInput);
    expect(unframe(v2Bytes).schemaId).not.toBe(unframe(v1Bytes).schemaId);
    expect((await codec.decode(v2Bytes, inputSchema)).value).toEqual(value);
  });

  it('reports an id the registry does not know as a decode error, not a crash', async () => {
    const codec = new AvroCodec(new HttpSchemaRegistry(env('SCHEMA_REGISTRY_URL')));
    const error = await codec.decode(frame(0x7ffffff0, Buffer.from([0])), inputSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).reason).toBe('unknown-schema-id');
  });
});
