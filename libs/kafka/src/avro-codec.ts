import * as avro from 'avsc';
import { type TopicSpec } from '@fleet/contracts';
import { DecodeError, EncodeError } from './errors';
import { type SchemaRegistryPort } from './schema-registry';
import { frame, unframe } from './wire-format';

/** An Avro schema as JSON (the parsed content of an .avsc file). */
export type AvroSchemaJson = avro.Schema | { readonly [key: string]: unknown };

/** Returns a decoded value that fails a domain check with a reason, or undefined when it passes. */
export type ValueValidator<T> = (value: T) => string | undefined;

/** A decoded message value with the id of the schema it was written with. */
export interface Decoded<T> {
  /** The value, shaped by the reader schema. */
  readonly value: T;
  /** The registry id of the writer schema. */
  readonly schemaId: number;
}

/** Returns the registry subject of a topic's values (TopicNameStrategy). */
export function valueSubject(spec: Pick<TopicSpec, 'name'>): string {
  return `${spec.name}-value`;
}

/**
 * Avro through the schema registry, in the Confluent wire format. Ids, writer types and
 * resolvers are cached, so the registry is asked once per schema per process.
 */
export class AvroCodec {
  private readonly idsBySubjectSchema = new Map<string, Promise<number>>();
  private readonly writerTypes = new Map<number, Promise<avro.Type | undefined>>();
  private readonly typesBySchema = new Map<string, avro.Type>();
  private readonly resolvers = new WeakMap<avro.Type, Map<number, avro.Resolver | null>>();

  /** Returns a codec over `registry`; `logicalTypes` maps logical type names to avsc implementations. */
  constructor(
    private readonly registry: SchemaRegistryPort,
    private readonly forSchemaOptions: Partial<avro.ForSchemaOptions> = {},
  ) {}

  /** Returns the avsc type of `schema`, built once per distinct schema. */
  typeOf(schema: AvroSchemaJson): avro.Type {
    const key = JSON.stringify(schema);
    let type = this.typesBySchema.get(key);
    if (!type) {
      type = avro.Type.forSchema(schema as avro.Schema, { ...this.forSchemaOptions, registry: {} });
      this.typesBySchema.set(key, type);
    }
    return type;
  }

  /** Registers `schema` as a value schema of `spec`'s topic and returns its id (cached). */
  registerValueSchema(spec: Pick<TopicSpec, 'name'>, schema: AvroSchemaJson): Promise<number> {
    const subject = valueSubject(spec);
    // The schema is registered exactly as given (the generated, self-contained JSON), so every
    // path that registers it - the codec, the provisioning step - sends the same text and gets
    // the same id; avsc only checks that it parses.
    this.typeOf(schema);
    const text = JSON.stringify(schema);
    const key = `${subject}\u0000${text}`;
    let id = this.idsBySubjectSchema.get(key);
    if (!id) {
      id = this.registry.register(subject, text);
      this.idsBySubjectSchema.set(key, id);
      id.catch(() => this.idsBySubjectSchema.delete(key));
    }
    return id;
  }

  /** Returns `value` encoded with `schema` in the wire format; throws {@link EncodeError} when it does not fit. */
  async encode<T>(spec: TopicSpec<T>, schema: AvroSchemaJson, value: T): Promise<Buffer> {
    const type = this.typeOf(schema);
    const id = await this.registerValueSchema(spec, schema);
    return frame(id, this.encodeBody(valueSubject(spec), type, value));
  }

  /**
   * Returns the value of a wire-format message read with `readerSchema`. Bad framing, an id the
   * registry does not know, a writer schema the reader cannot resolve, a corrupt body or a
   * failed `validate` raise {@link DecodeError}; an unreachable registry raises a retriable error.
   */
  async decode<T>(message: Buffer | null | undefined, readerSchema: AvroSchemaJson, validate?: ValueValidator<T>): Promise<Decoded<T>> {
    const { schemaId, payload } = unframe(message);
    const writer = await this.writerType(schemaId);
    if (!writer) throw new DecodeError('unknown-schema-id', `schema id ${schemaId} is not in the registry`);
    const reader = this.typeOf(readerSchema);
    const resolver = this.resolverFor(reader, writer, schemaId);
    let value: T;
    try {
      value = (resolver ? reader.fromBuffer(payload, resolver) : reader.fromBuffer(payload)) as T;
    } catch (cause) {
      throw new DecodeError('invalid-payload', `body of a message with schema id ${schemaId} is not valid Avro: ${String(cause)}`, { cause });
    }
    const problem = validate?.(value);
    if (problem !== undefined) throw new DecodeError('validation-failed', `value with schema id ${schemaId} failed validation: ${problem}`);
    return { value, schemaId };
  }

  private encodeBody(subject: string, type: avro.Type, value: unknown): Buffer {
    const paths: string[] = [];
    if (!type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) })) {
      throw new EncodeError(subject, paths);
    }
    return type.toBuffer(value);
  }

  private writerType(id: number): Promise<avro.Type | undefined> {
    let t = this.writerTypes.get(id);
    if (!t) {
      t = this.registry.schemaById(id).then((text) => (text === undefined ? undefined : avro.Type.forSchema(JSON.parse(text) as avro.Schema, { ...this.forSchemaOptions, registry: {} })));
      this.writerTypes.set(id, t);
      // Unknown ids and failures are not cached: a schema may be registered later, the registry may come back.
      t.then(
        (x) => x === undefined && this.writerTypes.delete(id),
        () => this.writerTypes.delete(id),
      );
    }
    return t;
  }

  private resolverFor(reader: avro.Type, writer: avro.Type, writerId: number): avro.Resolver | null {
    let byId = this.resolvers.get(reader);
    if (!byId) {
      byId = new Map();
      this.resolvers.set(reader, byId);
    }
    if (byId.has(writerId)) return byId.get(writerId) ?? null;
    let resolver: avro.Resolver | null;
    if (reader.fingerprint().equals(writer.fingerprint())) {
      resolver = null;
    } else {
      try {
        resolver = reader.createResolver(writer);
      } catch (cause) {
        throw new DecodeError('incompatible-schema', `writer schema ${writerId} cannot be read with the reader schema ${String(reader.name ?? reader.typeName)}`, { cause });
      }
    }
    byId.set(writerId, resolver);
    return resolver;
  }
}
