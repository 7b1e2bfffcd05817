/**
 * Registers the value schema of every catalogue topic with a Confluent-compatible schema
 * registry (TopicNameStrategy subjects) and sets BACKWARD compatibility per subject: a thin
 * wrapper over registerCatalogueSchemas of @fleet/kafka for callers that hold only the URL.
 */
import { ALL_TOPICS, type TopicSpec } from '@fleet/contracts';
import { HttpSchemaRegistry, registerCatalogueSchemas, type RegisteredSubject } from '@fleet/kafka';

/** Registers every topic's value schema under `<topic>-value` at `registryUrl` and sets BACKWARD on each subject. */
export function registerSchemas(registryUrl: string, topics: readonly TopicSpec[] = ALL_TOPICS): Promise<RegisteredSubject[]> {
  return registerCatalogueSchemas(new HttpSchemaRegistry(registryUrl), topics);
}
