import { RegistryUnavailableError, SchemaRejectedError } from './errors';

/** The few registry calls the codec needs; a port so tests can use a stub. */
export interface SchemaRegistryPort {
  /** Registers `schema` (Avro JSON text) under `subject` and returns its id (the existing id when already registered). */
  register(subject: string, schema: string): Promise<number>;
  /** Returns the schema text of `id`, or undefined when the registry does not know the id. */
  schemaById(id: number): Promise<string | undefined>;
}

/** The compatibility levels of a Confluent-compatible registry. */
export type CompatibilityLevel = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

/** The registry calls provisioning needs on top of the codec's. */
export interface SchemaRegistryAdminPort extends SchemaRegistryPort {
  /** Sets the compatibility level of `subject`. */
  setCompatibility(subject: string, level: CompatibilityLevel): Promise<void>;
  /** Returns the compatibility level set on `subject`, or undefined when it has none of its own. */
  getCompatibility(subject: string): Promise<string | undefined>;
}

/**
 * A Confluent Schema Registry REST client (works with Apicurio's ccompat API). Network
 * failures and 5xx answers raise {@link RegistryUnavailableError} (retriable).
 */
export class HttpSchemaRegistry implements SchemaRegistryAdminPort {
  private readonly base: string;

  /** Returns a client for the registry at `baseUrl`, for example http://127.0.0.1:8081/apis/ccompat/v7. */
  constructor(baseUrl: string, private readonly timeoutMs = 10_000) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** Registers `schema` under `subject` and returns its id. */
  async register(subject: string, schema: string): Promise<number> {
    const url = `${this.base}/subjects/${encodeURIComponent(subject)}/versions`;
    const res = await this.call(url, { method: 'POST', body: JSON.stringify({ schema, schemaType: 'AVRO' }) });
    const text = await res.text();
    if (!res.ok) throw new SchemaRejectedError(subject, res.status, text);
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id !== 'number') throw new SchemaRejectedError(subject, res.status, `answer has no numeric id: ${text}`);
    return id;
  }

  /** Returns the schema text of `id`, or undefined when unknown. */
  async schemaById(id: number): Promise<string | undefined> {
    const res = await this.call(`${this.base}/schemas/ids/${id}`, { method: 'GET' });
    const text = await res.text();
    if (res.status === 404) return undefined;
    if (!res.ok) throw new RegistryUnavailableError(`schema registry answered HTTP ${res.status} for schema id ${id}: ${text}`);
    const schema = (JSON.parse(text) as { schema?: unknown }).schema;
    if (typeof schema !== 'string') throw new RegistryUnavailableError(`schema registry answer for id ${id} has no schema: ${text}`);
    return schema;
  }

  /** Sets the compatibility level of `subject`; a refusal raises {@link SchemaRejectedError}. */
  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const res = await this.call(this.configUrl(subject), { method: 'PUT', body: JSON.stringify({ compatibility: level }) });
    const text = await res.text();
    if (!res.ok) throw new SchemaRejectedError(subject, res.status, `compatibility ${level} refused: ${text}`);
  }

  /** Returns the compatibility level set on `subject`, or undefined when it has none of its own (HTTP 404). */
  async getCompatibility(subject: string): Promise<string | undefined> {
    const res = await this.call(this.configUrl(subject), { method: 'GET' });
    const text = await res.text();
    if (res.status === 404) return undefined;
    if (!res.ok) throw new RegistryUnavailableError(`schema registry answered HTTP ${res.status} for the config of ${subject}: ${text}`);
    // Confluent answers compatibilityLevel; some versions and compatible registries answer compatibility.
    const config = JSON.parse(text) as { compatibilityLevel?: unknown; compatibility?: unknown };
    const level = config.compatibilityLevel ?? config.compatibility;
    return typeof level === 'string' ? level : undefined;
  }

  /** Returns the version numbers registered under `subject`; empty when the subject is unknown. */
  async versions(subject: string): Promise<number[]> {
    const res = await this.call(`${this.base}/subjects/${encodeURIComponent(subject)}/versions`, { method: 'GET' });
    const text = await res.text();
    if (res.status === 404) return [];
    if (!res.ok) throw new RegistryUnavailableError(`schema registry answered HTTP ${res.status} for the versions of ${subject}: ${text}`);
    return JSON.parse(text) as number[];
  }

  /** Deletes `subject` (soft, then permanently when `permanent`); an unknown subject is not an error. */
  async deleteSubject(subject: string, permanent = false): Promise<void> {
    const url = `${this.base}/subjects/${encodeURIComponent(subject)}`;
    for (const target of permanent ? [url, `${url}?permanent=true`] : [url]) {
      const res = await this.call(target, { method: 'DELETE' });
      const text = await res.text();
      if (!res.ok && res.status !== 404) throw new SchemaRejectedError(subject, res.status, `delete refused: ${text}`);
    }
  }

  private configUrl(subject: string): string {
    return `${this.base}/config/${encodeURIComponent(subject)}`;
  }

  private async call(url: string, init: { method: string; body?: string }): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new RegistryUnavailableError(`schema registry at ${url} is unreachable`, { cause });
    }
    if (res.status >= 500) {
      throw new RegistryUnavailableError(`schema registry answered HTTP ${res.status} at ${url}: ${await res.text()}`);
    }
    return res;
  }
}
