/**
 * Registers the value schema of every catalogue topic with a Confluent-compatible schema
 * registry (TopicNameStrategy subjects) and sets BACKWARD compatibility per subject.
 */
import { ALL_TOPICS, AVRO_SCHEMAS, type CatalogueTopic, subjectFor } from '@fleet/contracts';

/** Compatibility level the fleet sets on every subject. */
export const FLEET_COMPATIBILITY = 'BACKWARD';

/** One registered subject. */
export interface RegisteredSubject {
  readonly topic: string;
  readonly subject: string;
  /** Global schema id the registry assigned (the id in the Confluent wire format). */
  readonly id: number;
  readonly compatibility: string;
}

/** A registry answered with an HTTP error; carries the status and body. */
export class SchemaRegistryHttpError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered HTTP ${status}: ${body}`);
    this.name = 'SchemaRegistryHttpError';
    this.retriable = status >= 500;
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** Sends one request to the registry's REST API and returns the parsed JSON; throws SchemaRegistryHttpError on a non-2xx answer. */
export async function registryRequest<T>(registryUrl: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const url = `${registryUrl.replace(/\/+$/, '')}${path}`;
  const response = await fetch(url, {
    method,
    headers: { Accept: CONTENT_TYPE, ...(body === undefined ? {} : { 'Content-Type': CONTENT_TYPE }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new SchemaRegistryHttpError(method, url, response.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Registers `schema` under `subject` (idempotent: the same schema returns the same id) and returns its global id. */
export async function registerSchema(registryUrl: string, subject: string, schema: unknown): Promise<number> {
  const answer = await registryRequest<{ id: number }>(registryUrl, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
    schemaType: 'AVRO',
    schema: JSON.stringify(schema),
  });
  return answer.id;
}

/** Sets the compatibility level of one subject and returns the level the registry reports back. */
export async function setSubjectCompatibility(registryUrl: string, subject: string, compatibility: string = FLEET_COMPATIBILITY): Promise<string> {
  await registryRequest(registryUrl, 'PUT', `/config/${encodeURIComponent(subject)}`, { compatibility });
  const config = await registryRequest<{ compatibilityLevel?: string; compatibility?: string }>(registryUrl, 'GET', `/config/${encodeURIComponent(subject)}`);
  return config.compatibilityLevel ?? config.compatibility ?? 'UNKNOWN';
}

/**
 * Registers every topic's value schema under `<topic>-value` and sets BACKWARD compatibility
 * on the subject. Throws if the registry refuses a schema (for example an incompatible change).
 */
export async function registerSchemas(registryUrl: string, topics: readonly CatalogueTopic[] = ALL_TOPICS): Promise<RegisteredSubject[]> {
  const out: RegisteredSubject[] = [];
  for (const topic of topics) {
    const schema = AVRO_SCHEMAS[topic.valueType];
    if (!schema) throw new Error(`Topic ${topic.name} carries ${topic.valueType}, which has no generated schema`);
    const subject = subjectFor(topic);
    const id = await registerSchema(registryUrl, subject, schema);
    const compatibility = await setSubjectCompatibility(registryUrl, subject);
    out.push({ topic: topic.name, subject, id, compatibility });
  }
  return out;
}
