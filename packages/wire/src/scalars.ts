// Range and type checks for protobuf scalar values, shared by both codecs. Failures are InvalidField errors;
// the codecs add the field path.
import { invalid } from './field-path.js';
import type { ScalarType } from './schema-plan.js';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT32 = { min: 0, max: 2 ** 32 - 1 };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

export function is64Bit(type: ScalarType): boolean {
  return type === 'int64' || type === 'uint64' || type === 'sint64' || type === 'fixed64' || type === 'sfixed64';
}

export function isUnsigned(type: ScalarType): boolean {
  return type === 'uint64' || type === 'fixed64' || type === 'uint32' || type === 'fixed32';
}

export function is32BitInteger(type: ScalarType): boolean {
  return type === 'int32' || type === 'uint32' || type === 'sint32' || type === 'fixed32' || type === 'sfixed32';
}

/** A 64-bit integer field value as bigint; accepts bigint or a safe integer number, checks the range. */
export function checkInt64(value: unknown, type: ScalarType): bigint {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else throw invalid(`expected a ${type} as bigint, got ${describe(value)}`);
  const range = isUnsigned(type) ? UINT64 : INT64;
  if (big < range.min || big > range.max) throw invalid(`${big} is out of range for ${type}`);
  return big;
}

export function checkInt32(value: unknown, type: ScalarType): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`expected an integer (${type}), got ${describe(value)}`);
  }
  const range = isUnsigned(type) ? UINT32 : INT32;
  if (value < range.min || value > range.max) throw invalid(`${value} is out of range for ${type}`);
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
