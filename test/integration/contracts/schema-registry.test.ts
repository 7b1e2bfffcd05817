/**
 * The contracts against the REAL schema registry (SCHEMA_REGISTRY_URL, a Confluent-compatible
 * API): every topic's value schema registers under its TopicNameStrategy subject with BACKWARD
 * compatibility, a sample of every event kind round-trips through the Confluent wire format,
 * and the registry refuses incompatible changes while accepting compatible ones.
 */
import { createHash } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  ALL_TOPICS,
  AVRO_SCHEMAS,
  type AvroSchemaJson,
  decimalString,
  type OrderEvent,
  subjectFor,
  Topics,
} from '@fleet/contracts';
import { type CompatibilityLevel, HttpSchemaRegistry, registerCatalogueSchemas, type RegisteredSubject, SchemaRejectedError } from '@fleet/kafka';

const registryUrl = (): string => {
  const url = process.env.SCHEMA_REGISTRY_URL;
  if (!url) throw new Error('SCHEMA_REGISTRY_URL is not set; the integration global setup provides it');
  return url;
};

/** Returns a deterministic, valid sample value for an expanded Avro schema (non-null union branches, first enum symbols). */
function sampleFor(schema: unknown, named = new Map<string, unknown>(), path = 'value'): unknown {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'null':
        return null;
      case 'boolean':
        return true;
      case 'int':
        return 7;
      case 'long':
        return 1_763_899_200_123_456;
      case 'double':
        return 0.015625;
      case 'bytes':
        return Buffer.from(`raw:${path}`);
      case 'string':
        return `${path}`;
      default:
        return sampleFor(named.get(schema), named, path);
    }
  }
  if (Array.isArray(schema)) return sampleFor(schema.find((b) => b !== 'null') ?? 'null', named, path);
  const s = schema as AvroSchemaJson & { type: unknown };
  if (s.type === 'record' || s.type === 'enum') named.set(`${String(s.namespace)}.${String(s.name)}`, s);
  if (s.type === 'record') {
    const out: Record<string, unknown> = {};
    for (const field of s.fields as { name: string; type: unknown }[]) out[field.name] = sampleFor(field.type, named, field.name);
    return out;
  }
  if (s.type === 'enum') return (s.symbols as string[])[0];
  if (s.type === 'array') return [sampleFor(s.items, named, `${path}[0]`), sampleFor(s.items, named, `${path}[1]`)];
  if (s.type === 'map') return { a: sampleFor(s.values, named, `${path}.a`), b: sampleFor(s.values, named, `${path}.b`) };
  if (s.type === 'string' && s.logicalType === 'decimal-string') return '65000.125';
  return sampleFor(s.type, named, path);
}

const http = (): HttpSchemaRegistry => new HttpSchemaRegistry(registryUrl());

/** Registers `schema` under `subject` through the layer's client and returns its id. */
const registerSchema = (registry: HttpSchemaRegistry, subject: string, schema: AvroSchemaJson): Promise<number> => registry.register(subject, JSON.stringify(schema));

/** Sets the level of `subject` and returns the level the registry reports back. */
async function setSubjectCompatibility(registry: HttpSchemaRegistry, subject: string, level: CompatibilityLevel): Promise<string | undefined> {
  await registry.setCompatibility(subject, level);
  return registry.getCompatibility(subject);
}

async function deleteSubject(registry: HttpSchemaRegistry, subject: string): Promise<void> {
  await registry.deleteSubject(subject, true).catch(() => undefined);
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A hand-built, fully typed FILLED order event: proves the generated TS types and the Avro schema agree. */
function filledOrderEvent(): OrderEvent {
  return {
    envelope: {
      eventId: sha('order-event-1'),
      correlationId: sha('tick-1'),
      causation: [sha('order-command-1')],
      eventTimeUs: 1_763_899_200_000_001,
      sequence: 42,
      producer: 'execution-router',
      schemaVersion: 1,
      digest: sha('payload'),
    },
    instrument: 'BTC-PERP',
    kind: 'FILLED',
    clientOrderId: sha('intent-1').slice(0, 32),
    venueOrderId: '8812345',
    intentId: sha('intent-1'),
    strategyId: 'mm-core',
    venue: 'paper',
    side: 'BUY',
    price: decimalString('64999.5'),
    size: decimalString('0.010'),
    idempotencyKey: sha('fill-report-1'),
    fill: {
      fillId: sha('paper:fill-1'),
      venueFillId: 'fill-1',
      quantity: decimalString('0.004'),
      price: decimalString('64999.5'),
      fee: decimalString('-0.0129999'),
      feeCurrency: 'USDT',
      liquidity: 'MAKER',
      cumulativeQuantity: decimalString('0.004'),
      remainingQuantity: decimalString('0.006'),
    },
    reject: null,
    cancel: null,
    positionClose: null,
  };
}

describe('contracts in the real schema registry', () => {
  let registered: RegisteredSubject[];

  beforeAll(async () => {
    registered = await registerCatalogueSchemas(http());
  });

  it('registers every topic value schema under <topic>-value with BACKWARD compatibility', async () => {
    expect(registered.map((r) => r.subject)).toEqual(ALL_TOPICS.map(subjectFor));
    const registry = new SchemaRegistry({ host: registryUrl() });
    for (const r of registered) {
      expect([r.subject, r.compatibility]).toEqual([r.subject, 'BACKWARD']);
      expect(await registry.getLatestSchemaId(r.subject)).toBe(r.id);
    }
  });

  it('registers idempotently: the same schemas get the same ids again', async () => {
    const again = await registerCatalogueSchemas(http());
    expect(again.map((r) => r.id)).toEqual(registered.map((r) => r.id));
  });

  it('round-trips a sample of every event kind through the Confluent wire format', async () => {
    const writer = new SchemaRegistry({ host: registryUrl() });
    for (const r of registered) {
      const topic = ALL_TOPICS.find((t) => t.name === r.topic)!;
      const sample = sampleFor(AVRO_SCHEMAS[topic.valueType]);
      const wire = await writer.encode(r.id, sample);
      expect(wire[0]).toBe(0);
      expect(wire.readInt32BE(1)).toBe(r.id);
      // A fresh client has no cache: decoding fetches the writer schema from the registry by id.
      const reader = new SchemaRegistry({ host: registryUrl() });
      expect([topic.name, await reader.decode(wire)]).toEqual([topic.name, sample]);
    }
  });

  it('round-trips a typed FILLED order event', async () => {
    const registry = new SchemaRegistry({ host: registryUrl() });
    const id = registered.find((r) => r.topic === Topics.orderEvent.name)!.id;
    const event = filledOrderEvent();
    const decoded = (await registry.decode(await registry.encode(id, event))) as OrderEvent;
    expect(decoded).toEqual(event);
    expect(decoded.fill?.fee).toBe('-0.0129999');
  });

  it('refuses incompatible changes under BACKWARD (HTTP 409) and accepts a new field with a default', async () => {
    const registry = http();
    const subject = `contracts-compat-test-${process.pid}-${Date.now().toString(36)}-value`;
    const base = AVRO_SCHEMAS[Topics.fvState.valueType] as AvroSchemaJson & { fields: Record<string, unknown>[] };
    const withFields = (fields: Record<string, unknown>[]): AvroSchemaJson => ({ ...base, fields });
    try {
      const v1 = await registerSchema(registry, subject, base);
      expect(await setSubjectCompatibility(registry, subject, 'BACKWARD')).toBe('BACKWARD');

      const requiredWithoutDefault = withFields([...base.fields, { name: 'newRequired', type: 'string', doc: 'No default.' }]);
      const refusal1 = await registerSchema(registry, subject, requiredWithoutDefault).catch((e: unknown) => e);
      expect(refusal1).toBeInstanceOf(SchemaRejectedError);
      expect((refusal1 as SchemaRejectedError).status).toBe(409);

      const changedType = withFields(base.fields.map((f) => (f.name === 'healthyVenuesUsedCount' ? { ...f, type: 'string' } : f)));
      const refusal2 = await registerSchema(registry, subject, changedType).catch((e: unknown) => e);
      expect(refusal2).toBeInstanceOf(SchemaRejectedError);
      expect((refusal2 as SchemaRejectedError).status).toBe(409);

      const withDefault = withFields([...base.fields, { name: 'newOptional', type: ['null', 'string'], default: null, doc: 'Has a default.' }]);
      const v2 = await registerSchema(registry, subject, withDefault);
      expect(v2).not.toBe(v1);
      const versions = await registry.versions(subject);
      expect(versions).toHaveLength(2);
    } finally {
      await deleteSubject(registry, subject);
    }
  });

  it('honours the per-subject level: the same required-field change is accepted under NONE', async () => {
    const registry = http();
    const subject = `contracts-compat-none-${process.pid}-${Date.now().toString(36)}-value`;
    const base = AVRO_SCHEMAS[Topics.fvState.valueType] as AvroSchemaJson & { fields: Record<string, unknown>[] };
    try {
      const v1 = await registerSchema(registry, subject, base);
      expect(await setSubjectCompatibility(registry, subject, 'NONE')).toBe('NONE');
      const v2 = await registerSchema(registry, subject, { ...base, fields: [...base.fields, { name: 'newRequired', type: 'string', doc: 'No default.' }] });
      expect(v2).not.toBe(v1);
    } finally {
      await deleteSubject(registry, subject);
    }
  });
});
