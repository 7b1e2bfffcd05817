import { join } from 'node:path';
import { type AvroObject, type NamedSchema } from './avro-model';
import { emitNamedType, BANNER, moduleName } from './emit-ts';
import { expandSchema } from './expand';
import { compare, loadSchemas } from './load-schemas';
import { validateWithAvsc } from './validate';

/** Where the generated contracts go, relative to the repository root. */
export const GENERATED_DIR = 'libs/contracts/src/generated';

/** The generated output: file name (inside GENERATED_DIR) to content, sorted by name. */
export type GeneratedFiles = ReadonlyMap<string, string>;

/**
 * Reads and validates schemas/ under `repoRoot` and returns every generated file. Pure in
 * its output: the same schemas always give byte-identical files.
 */
export function generate(repoRoot: string): GeneratedFiles {
  const named = loadSchemas(repoRoot, join(repoRoot, 'schemas'));
  const all = new Map(named.map((n) => [n.fullName, n] as const));
  const expanded = new Map<string, AvroObject>();
  for (const n of named) {
    const schema = expandSchema(n, all);
    validateWithAvsc(n.file, schema);
    expanded.set(n.fullName, schema);
  }
  const files = new Map<string, string>();
  for (const n of named) files.set(`${moduleName(n)}.ts`, emitNamedType(n, all));
  files.set('schema-registry.generated.ts', emitRegistry(named, expanded));
  files.set('index.ts', emitIndex(named));
  return new Map([...files.entries()].sort(([a], [b]) => compare(a, b)));
}

function emitRegistry(named: readonly NamedSchema[], expanded: ReadonlyMap<string, AvroObject>): string {
  const entries = named.map((n) => `  '${n.fullName}': ${indent(JSON.stringify(expanded.get(n.fullName), null, 2))},`);
  return [
    BANNER,
    '',
    '/** A self-contained Avro schema as JSON (every referenced named type inlined). */',
    'export type AvroSchemaJson = { readonly [key: string]: unknown };',
    '',
    '/** Returns the expanded, self-contained Avro schema of every named type, keyed by full name. */',
    'export const AVRO_SCHEMAS: Readonly<Record<string, AvroSchemaJson>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

function emitIndex(named: readonly NamedSchema[]): string {
  const byModule = [...named].sort((a, b) => compare(moduleName(a), moduleName(b)));
  const records = named.filter((n) => n.kind === 'record');
  return [
    BANNER,
    '',
    ...byModule.map((n) => `export * from './${moduleName(n)}';`),
    `export * from './schema-registry.generated';`,
    '',
    ...byModule.filter((n) => n.kind === 'record').map((n) => `import type { ${n.name} } from './${moduleName(n)}';`),
    '',
    '/** Maps the Avro full name of every record to its TypeScript type. */',
    'export interface ContractTypes {',
    ...records.map((n) => `  '${n.fullName}': ${n.name};`),
    '}',
    '',
    '/** The Avro full name of a generated record. */',
    'export type ContractName = keyof ContractTypes;',
    '',
    '/** Returns the full name of every generated record, sorted. */',
    'export const CONTRACT_NAMES: readonly ContractName[] = [',
    ...records.map((n) => `  '${n.fullName}',`),
    '];',
    '',
  ].join('\n');
}

function indent(json: string): string {
  return json.replace(/\n/g, '\n  ');
}
