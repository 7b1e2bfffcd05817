import { Type } from 'avsc';
import { type AvroObject, SchemaError } from './avro-model';

/** Parses an expanded schema with avsc; throws a SchemaError naming `file` if avsc refuses it. */
export function validateWithAvsc(file: string, schema: AvroObject): void {
  try {
    Type.forSchema(schema as unknown as Parameters<typeof Type.forSchema>[0]);
  } catch (error) {
    throw new SchemaError(file, `is not a valid Avro schema once expanded: ${(error as Error).message}`);
  }
}
