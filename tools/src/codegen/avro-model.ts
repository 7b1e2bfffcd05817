/**
 * The subset of Avro schema JSON the codegen reads, and helpers shared by its passes.
 */

/** Any Avro schema as parsed JSON: a type name, a union (array) or a complex type object. */
export type AvroJson = string | AvroJson[] | AvroObject;

/** A complex Avro type: record, enum, array, map, fixed or an annotated primitive. */
export interface AvroObject {
  readonly type: AvroJson;
  readonly name?: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields?: readonly AvroField[];
  readonly symbols?: readonly string[];
  readonly items?: AvroJson;
  readonly values?: AvroJson;
  readonly logicalType?: string;
  readonly [extra: string]: unknown;
}

/** One field of an Avro record. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroJson;
  readonly doc?: string;
  readonly default?: unknown;
}

/** A named type (record or enum) read from one schema file. */
export interface NamedSchema {
  /** Full name, namespace.name. */
  readonly fullName: string;
  /** Short name (the TypeScript type name). */
  readonly name: string;
  readonly namespace: string;
  readonly kind: 'record' | 'enum';
  /** Path of the source file relative to the repository root. */
  readonly file: string;
  /** The definition as written in the file (references not yet inlined). */
  readonly definition: AvroObject;
}

export const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Returns the full name of a referenced or defined type name, given the enclosing namespace. */
export function resolveName(name: string, namespace: string | undefined): string {
  if (name.includes('.') || !namespace) return name;
  return `${namespace}.${name}`;
}

/** Returns true when `value` is a JSON object (not an array, not null). */
export function isAvroObject(value: AvroJson): value is AvroObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns `BookSnapshot` as `book-snapshot`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** Returns `BookSnapshot` as `BOOK_SNAPSHOT`. */
export function constantCase(name: string): string {
  return kebabCase(name).replace(/-/g, '_').toUpperCase();
}

/** An error in one schema file; the message names the file. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'SchemaError';
  }
}
