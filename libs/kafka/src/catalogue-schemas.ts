import { ALL_TOPICS, AVRO_SCHEMAS, subjectFor, type TopicSpec } from '@fleet/contracts';
import { KafkaLayerError } from './errors';
import { type CompatibilityLevel, type SchemaRegistryAdminPort } from './schema-registry';

/** The compatibility level the fleet sets on every subject. */
export const FLEET_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** One registered subject. */
export interface RegisteredSubject {
  readonly topic: string;
  readonly subject: string;
  /** The global schema id the registry assigned (the id in the Confluent wire format). */
  readonly id: number;
  /** The level the registry reports back after setting it. */
  readonly compatibility: string;
}

/**
 * Registers the value schema of every topic of `topics` (the generated schema of its value type
 * in @fleet/contracts) under `<topic>-value` (TopicNameStrategy), in order, and sets BACKWARD
 * compatibility on each subject. Idempotent: the same schema gets the same id again. A refused
 * schema (for example an incompatible change) raises SchemaRejectedError; a topic whose value
 * type has no generated schema raises a non-retriable KafkaLayerError before anything is registered.
 */
export async function registerCatalogueSchemas(registry: SchemaRegistryAdminPort, topics: readonly TopicSpec[] = ALL_TOPICS): Promise<RegisteredSubject[]> {
  const unknown = topics.filter((t) => AVRO_SCHEMAS[t.valueType] === undefined);
  if (unknown.length > 0) {
    throw new KafkaLayerError(`No generated schema for ${unknown.map((t) => `${t.name} (carries ${t.valueType})`).join(', ')}`);
  }
  const out: RegisteredSubject[] = [];
  for (const topic of topics) {
    const subject = subjectFor(topic);
    const id = await registry.register(subject, JSON.stringify(AVRO_SCHEMAS[topic.valueType]));
    await registry.setCompatibility(subject, FLEET_COMPATIBILITY);
    const compatibility = (await registry.getCompatibility(subject)) ?? 'UNKNOWN';
    out.push({ topic: topic.name, subject, id, compatibility });
  }
  return out;
}
