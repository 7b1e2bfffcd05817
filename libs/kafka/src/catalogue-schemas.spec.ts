import { ALL_TOPICS, AVRO_SCHEMAS, subjectFor, Topics, type TopicSpec } from '@fleet/contracts';
import { FLEET_COMPATIBILITY, registerCatalogueSchemas } from './catalogue-schemas';
import { KafkaLayerError } from './errors';
import { StubRegistry } from './testing/stub-client';

describe('registerCatalogueSchemas', () => {
  it('registers every catalogue value schema under <topic>-value and sets BACKWARD on each subject', async () => {
    const registry = new StubRegistry();
    const registered = await registerCatalogueSchemas(registry);
    expect(registered.map((r) => r.topic)).toEqual(ALL_TOPICS.map((t) => t.name));
    expect(registered.map((r) => r.subject)).toEqual(ALL_TOPICS.map(subjectFor));
    expect(registry.registrations.map((r) => r.subject)).toEqual(ALL_TOPICS.map(subjectFor));
    for (const r of registered) {
      const topic = ALL_TOPICS.find((t) => t.name === r.topic)!;
      expect(JSON.parse((await registry.schemaById(r.id))!)).toEqual(AVRO_SCHEMAS[topic.valueType]);
      expect([r.subject, r.compatibility, registry.compatibility.get(r.subject)]).toEqual([r.subject, 'BACKWARD', FLEET_COMPATIBILITY]);
    }
  });

  it('is idempotent: the same schemas get the same ids again', async () => {
    const registry = new StubRegistry();
    const first = await registerCatalogueSchemas(registry, [Topics.mdBook, Topics.orderEvent]);
    const again = await registerCatalogueSchemas(registry, [Topics.mdBook, Topics.orderEvent]);
    expect(again).toEqual(first);
  });

  it('refuses a topic whose value type has no generated schema before registering anything', async () => {
    const registry = new StubRegistry();
    const stray: TopicSpec = { ...Topics.mdBook, name: 'stray', valueType: 'fleet.nowhere.Missing' };
    const error = await registerCatalogueSchemas(registry, [Topics.mdBook, stray]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaLayerError);
    expect((error as KafkaLayerError).retriable).toBe(false);
    expect((error as Error).message).toContain('stray (carries fleet.nowhere.Missing)');
    expect(registry.registrations).toEqual([]);
  });
});
