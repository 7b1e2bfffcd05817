import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type AvroField, type AvroJson, type AvroObject, isAvroObject, kebabCase, type NamedSchema, SchemaError } from './avro-model';

/** The kinds of schema folder and the namespace each one must use. */
export const SCHEMA_KINDS = ['common', 'data', 'events', 'commands'] as const;

/**
 * Reads every `*.avsc` under `schemasDir` (sorted by path), checks the house rules that Avro
 * itself does not (one named record or enum per file, file named after it in kebab-case,
 * namespace `fleet.<folder>`, a doc on every type and field, no `float`, the envelope first)
 * and returns the named types sorted by full name.
 */
export function loadSchemas(repoRoot: string, schemasDir: string): NamedSchema[] {
  const files = listAvsc(schemasDir);
  const byName = new Map<string, NamedSchema>();
  const byShortName = new Map<string, string>();
  for (const path of files) {
    const file = relative(repoRoot, path).split(sep).join('/');
    let definition: AvroJson;
    try {
      definition = JSON.parse(readFileSync(path, 'utf8')) as AvroJson;
    } catch (error) {
      throw new SchemaError(file, `is not valid JSON (${(error as Error).message})`);
    }
    const named = checkFile(file, relative(schemasDir, path).split(sep), definition);
    const clash = byName.get(named.fullName) ?? (byShortName.has(named.name) ? { file: byShortName.get(named.name) } : undefined);
    if (clash) throw new SchemaError(file, `defines ${named.name}, already defined by ${clash.file}; type names must be unique across namespaces`);
    byName.set(named.fullName, named);
    byShortName.set(named.name, file);
  }
  return [...byName.values()].sort((a, b) => compare(a.fullName, b.fullName));
}

/** Returns the `*.avsc` files under `dir`, recursively, sorted by path. */
function listAvsc(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listAvsc(path));
    else if (entry.name.endsWith('.avsc')) out.push(path);
  }
  return out.sort(compare);
}

function checkFile(file: string, parts: string[], definition: AvroJson): NamedSchema {
  if (parts.length !== 2 || !(SCHEMA_KINDS as readonly string[]).includes(parts[0])) {
    throw new SchemaError(file, `must sit directly in one of schemas/{${SCHEMA_KINDS.join(',')}}/`);
  }
  if (!isAvroObject(definition) || (definition.type !== 'record' && definition.type !== 'enum')) {
    throw new SchemaError(file, 'must hold exactly one named record or enum');
  }
  const { name, namespace } = definition;
  if (typeof name !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new SchemaError(file, `needs a PascalCase name, received ${JSON.stringify(name)}`);
  const expectedNamespace = `fleet.${parts[0]}`;
  if (namespace !== expectedNamespace) throw new SchemaError(file, `needs namespace ${expectedNamespace}, received ${JSON.stringify(namespace)}`);
  const expectedFile = `${kebabCase(name)}.avsc`;
  if (parts[1] !== expectedFile) throw new SchemaError(file, `defines ${name}, so the file must be named ${expectedFile}`);
  if (!definition.doc) throw new SchemaError(file, `${name} needs a doc`);
  if (definition.type === 'record') checkFields(file, name, definition.fields);
  else checkSymbols(file, name, definition.symbols);
  checkNoFloat(file, definition);
  return { fullName: `${namespace}.${name}`, name, namespace, kind: definition.type, file, definition };
}

function checkFields(file: string, name: string, fields: readonly AvroField[] | undefined): void {
  if (!Array.isArray(fields) || fields.length === 0) throw new SchemaError(file, `${name} needs at least one field`);
  fields.forEach((field, index) => {
    if (!field.doc) throw new SchemaError(file, `field ${name}.${field.name} needs a doc`);
    if (!/^[a-z][A-Za-z0-9]*$/.test(field.name)) throw new SchemaError(file, `field ${name}.${field.name} must be camelCase`);
    if (field.name === 'envelope' && (index !== 0 || field.type !== 'fleet.common.Envelope')) {
      throw new SchemaError(file, `field ${name}.envelope must be the first field and of type fleet.common.Envelope`);
    }
  });
}

function checkSymbols(file: string, name: string, symbols: readonly string[] | undefined): void {
  if (!Array.isArray(symbols) || symbols.length === 0) throw new SchemaError(file, `enum ${name} needs symbols`);
  for (const symbol of symbols) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(symbol)) throw new SchemaError(file, `enum ${name} symbol ${symbol} must be UPPER_SNAKE_CASE`);
  }
}

/** Money and venue numbers are never floats; `double` is allowed for model outputs only. */
function checkNoFloat(file: string, schema: AvroJson): void {
  if (schema === 'float') throw new SchemaError(file, 'uses float; use a decimal-string for exact numbers or double for model outputs');
  if (Array.isArray(schema)) schema.forEach((branch) => checkNoFloat(file, branch));
  else if (isAvroObject(schema)) {
    const object: AvroObject = schema;
    if (object.logicalType === 'decimal-string' && object.type !== 'string') throw new SchemaError(file, 'decimal-string must annotate a string');
    if (typeof object.type !== 'string' || !['record', 'enum'].includes(object.type)) checkNoFloat(file, object.type);
    for (const field of object.fields ?? []) checkNoFloat(file, field.type);
    if (object.items !== undefined) checkNoFloat(file, object.items);
    if (object.values !== undefined) checkNoFloat(file, object.values);
  }
}

/** Ordinal string comparison (locale-independent, so output is the same everywhere). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
