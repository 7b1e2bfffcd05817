/**
 * Scalar types the generated contracts use for Avro logical types.
 */

declare const decimalStringBrand: unique symbol;

/**
 * An exact decimal number carried as its decimal string (Avro `string` with logicalType
 * `decimal-string`), for example "65000.5". Money and venue prices and sizes are never floats.
 */
export type DecimalString = string & { readonly [decimalStringBrand]: 'DecimalString' };

/** Integer microseconds since the Unix epoch (Avro `long` with logicalType `timestamp-micros`). */
export type TimestampMicros = number;

const DECIMAL_PATTERN = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Returns true when `value` is a plain decimal string: optional minus, no exponent, no leading zeros. */
export function isDecimalString(value: string): value is DecimalString {
  return DECIMAL_PATTERN.test(value);
}

/** Returns `value` as a DecimalString; throws a RangeError naming the received value if it is not one. */
export function decimalString(value: string): DecimalString {
  if (!isDecimalString(value)) {
    throw new RangeError(`Expected a plain decimal string such as "65000.5", received ${JSON.stringify(value)}`);
  }
  return value;
}
