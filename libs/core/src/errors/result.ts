import { type FleetError } from './fleet-error';

/** The outcome of an operation that can fail without throwing: a value or an error. */
export type Result<T, E = FleetError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Returns a successful result holding `value`. */
export function resultOk<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Returns a failed result holding `error`. */
export function resultErr<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
