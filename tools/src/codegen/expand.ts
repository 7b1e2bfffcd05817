import { type AvroJson, type AvroObject, isAvroObject, type NamedSchema, PRIMITIVES, resolveName, SchemaError } from './avro-model';

/**
 * Returns the self-contained schema of `root`: every named type it references is inlined
 * where it is first used (with an explicit namespace) and referred to by full name after
 * that, as Avro's parsing rules require. The result needs no registry references.
 */
export function expandSchema(root: NamedSchema, all: ReadonlyMap<string, NamedSchema>): AvroObject {
  const defined = new Set<string>();
  return expandNamed(root, all, defined, [root.fullName]) as AvroObject;
}

function expandNamed(named: NamedSchema, all: ReadonlyMap<string, NamedSchema>, defined: Set<string>, path: string[]): AvroJson {
  defined.add(named.fullName);
  const { definition } = named;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (key === 'fields') {
      out.fields = (definition.fields ?? []).map((field) => {
        const copy: Record<string, unknown> = {};
        for (const [fieldKey, fieldValue] of Object.entries(field)) {
          copy[fieldKey] = fieldKey === 'type' ? expandType(field.type, named, all, defined, path) : fieldValue;
        }
        return copy;
      });
    } else {
      out[key] = value;
    }
  }
  return out as unknown as AvroObject;
}

function expandType(type: AvroJson, owner: NamedSchema, all: ReadonlyMap<string, NamedSchema>, defined: Set<string>, path: string[]): AvroJson {
  if (typeof type === 'string') {
    if (PRIMITIVES.has(type)) return type;
    const fullName = resolveName(type, owner.namespace);
    if (defined.has(fullName)) return fullName;
    const target = all.get(fullName);
    if (!target) throw new SchemaError(owner.file, `references ${fullName}, which no schema file defines (via ${path.join(' -> ')})`);
    return expandNamed(target, all, defined, [...path, fullName]);
  }
  if (Array.isArray(type)) return type.map((branch) => expandType(branch, owner, all, defined, path));
  if (!isAvroObject(type)) throw new SchemaError(owner.file, `has a type that is not a name, union or object: ${JSON.stringify(type)}`);
  if (type.type === 'record' || type.type === 'enum' || type.type === 'fixed') {
    throw new SchemaError(owner.file, `defines ${String(type.name)} inline; put every named type in its own file and reference it by full name`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(type)) {
    if (key === 'type' && (value === 'array' || value === 'map')) out[key] = value;
    else if (key === 'items' || key === 'values' || key === 'type') out[key] = expandType(value as AvroJson, owner, all, defined, path);
    else out[key] = value;
  }
  return out as unknown as AvroObject;
}
