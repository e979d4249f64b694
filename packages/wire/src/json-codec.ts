// Mesos' JSON mapping of protobuf messages (what stout's JSON::protobuf writes and protobuf::parse reads):
// snake_case field names, enums by value name, bytes as base64 strings, 64-bit integers as plain JSON numbers
// with all their digits. Decoding ignores unknown fields, treats `null` as "not set" (so `null` lists are
// empty) and accepts numbers written as JSON strings. An unknown enum name is an error only in a required
// field; elsewhere it is discarded as if absent, which is stout's rule and proto2's rule for unknown enum
// numbers (it lets old masters read newer capability lists).
//
// Encoding emits only the fields that are set (empty lists count as unset). Mesos also writes unset fields
// that have an explicit proto default (e.g. `"role":"*"`); decoders treat that the same as absence.
import { LosslessNumber, parse as parseLossless } from 'lossless-json';
import type { MessageName, MessageTypes } from '@mesos-ts/proto';
import { WireError } from './errors.js';
import { enumChoices, planFor, type FieldPlan, type MessagePlan, type ValueKind } from './schema-plan.js';
import { invalid, toWireError, within } from './field-path.js';
import { checkInt32, checkInt64, describe, is32BitInteger, is64Bit } from './scalars.js';

type Plain = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;
const utf8 = new TextDecoder('utf-8', { fatal: true });

// ---- encode ------------------------------------------------------------------------------------------------

export function encodeJson<N extends MessageName>(name: N, message: MessageTypes[N]): string {
  try {
    return writeMessage(planFor(name), message);
  } catch (e) {
    throw toWireError(e, name);
  }
}

function writeMessage(plan: MessagePlan, message: unknown): string {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw invalid(`expected a ${plan.name} object, got ${describe(message)}`);
  }
  const source = message as Plain;
  let out = '{';
  for (const field of plan.fields) {
    const value = source[field.name];
    if (value === undefined || value === null) {
      if (field.required) throw within(invalid('is required'), field.name);
      continue;
    }
    // Like Mesos (protobuf reflection lists only non-empty repeated fields), empty lists and maps are omitted.
    if (field.repeated && Array.isArray(value) && value.length === 0) continue;
    if (field.map && typeof value === 'object' && Object.keys(value).length === 0) continue;
    if (out.length > 1) out += ',';
    try {
      out += field.jsonKey + writeField(field, value);
    } catch (e) {
      throw within(e, field.name);
    }
  }
  return out + '}';
}

function writeField(field: FieldPlan, value: unknown): string {
  if (field.repeated) {
    if (!Array.isArray(value)) throw invalid(`expected an array, got ${describe(value)}`);
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      try {
        out += writeValue(field.value, value[i]);
      } catch (e) {
        throw within(e, i);
      }
    }
    return out + ']';
  }
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`expected an object (map), got ${describe(value)}`);
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value as Plain)) {
      try {
        parts.push(`${JSON.stringify(key)}:${writeValue(field.value, item)}`);
      } catch (e) {
        throw within(e, key);
      }
    }
    return `{${parts.join(',')}}`;
  }
  return writeValue(field.value, value);
}

function writeValue(kind: ValueKind, value: unknown): string {
  switch (kind.kind) {
    case 'message':
      return writeMessage(kind.plan, value);
    case 'enum':
      if (typeof value !== 'string' || !kind.valueOf.has(value)) {
        throw invalid(`${describe(value)} is not a ${kind.enumName} value; expected one of ${enumChoices(kind)}`);
      }
      return `"${value}"`; // enum value names are identifiers: nothing to escape
    case 'scalar': {
      const type = kind.type;
      if (is64Bit(type)) return checkInt64(value, type).toString();
      if (is32BitInteger(type)) return String(checkInt32(value, type));
      switch (type) {
        case 'double':
        case 'float':
          if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`expected a finite number, got ${describe(value)}`);
          return String(value);
        case 'bool':
          if (typeof value !== 'boolean') throw invalid(`expected a boolean, got ${describe(value)}`);
          return value ? 'true' : 'false';
        case 'string':
          if (typeof value !== 'string') throw invalid(`expected a string, got ${describe(value)}`);
          return JSON.stringify(value);
        default: // bytes
          if (!(value instanceof Uint8Array)) throw invalid(`expected bytes (Uint8Array), got ${describe(value)}`);
          return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
      }
    }
  }
}

// ---- decode ------------------------------------------------------------------------------------------------

// A run of 16+ digits may be an integer beyond 2^53 (9007199254740992 has 16 digits); only then do we pay
// for the lossless parser. Shorter runs are exact in a double.
const UNSAFE_DIGITS = /\d{16}/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const NUMBER_PARTS = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Thrown (never escapes decodeJson) when a fast-path number may have lost integer precision. */
const NEEDS_LOSSLESS = Symbol('needs lossless parse');

export function decodeJson<N extends MessageName>(name: N, body: string | Uint8Array): MessageTypes[N] {
  const plan = planFor(name);
  let text: string;
  try {
    text = typeof body === 'string' ? body : utf8.decode(body);
  } catch (e) {
    throw new WireError('INVALID_JSON', `${name} body is not valid UTF-8`, { cause: e });
  }
  try {
    return readMessage(plan, parse(name, text, UNSAFE_DIGITS.test(text))) as unknown as MessageTypes[N];
  } catch (e) {
    if (e !== NEEDS_LOSSLESS) throw toWireError(e, name);
  }
  // An integer beyond 2^53 written with an exponent (1.5e17) slipped past the fast path: parse again, exactly.
  try {
    return readMessage(plan, parse(name, text, true)) as unknown as MessageTypes[N];
  } catch (e) {
    throw toWireError(e, name);
  }
}

function parse(name: string, text: string, lossless: boolean): unknown {
  try {
    return lossless ? parseLossless(text) : JSON.parse(text);
  } catch (e) {
    throw new WireError('INVALID_JSON', `${name} body is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function readMessage(plan: MessagePlan, json: unknown): Plain {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || json instanceof LosslessNumber) {
    throw invalid(`expected a JSON object for ${plan.name}, got ${describeJson(json)}`);
  }
  const source = json as Plain;
  const out: Plain = {};
  for (const field of plan.fields) {
    const value = hasOwn.call(source, field.name) ? source[field.name] : undefined;
    if (value === undefined || value === null) {
      if (field.required) throw within(invalid('is required'), field.name);
      continue;
    }
    try {
      const decoded = readField(field, value);
      if (decoded !== undefined) out[field.name] = decoded;
    } catch (e) {
      throw within(e, field.name);
    }
  }
  return out;
}

/** Returns undefined when the field decodes to "not set" (an empty list, a discarded enum name). */
function readField(field: FieldPlan, value: unknown): unknown {
  if (field.repeated) {
    if (!Array.isArray(value)) throw invalid(`expected a JSON array, got ${describeJson(value)}`);
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      try {
        const item = readValue(field.value, value[i], false);
        if (item !== undefined) items.push(item);
      } catch (e) {
        throw within(e, i);
      }
    }
    return items.length > 0 ? items : undefined;
  }
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof LosslessNumber) {
      throw invalid(`expected a JSON object (map), got ${describeJson(value)}`);
    }
    const out: Plain = {};
    for (const [key, item] of Object.entries(value as Plain)) {
      try {
        const decoded = readValue(field.value, item, false);
        if (decoded !== undefined) out[key] = decoded;
      } catch (e) {
        throw within(e, key);
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return readValue(field.value, value, field.required);
}

/** Returns undefined for a discarded unknown enum name. */
function readValue(kind: ValueKind, value: unknown, required: boolean): unknown {
  switch (kind.kind) {
    case 'message':
      return readMessage(kind.plan, value);
    case 'enum': {
      if (typeof value === 'string' && kind.valueOf.has(value)) return value;
      if (!required && typeof value === 'string') return undefined;
      throw invalid(`${describeJson(value)} is not a ${kind.enumName} value; expected one of ${enumChoices(kind)}`);
    }
    case 'scalar': {
      const type = kind.type;
      if (is64Bit(type)) return checkInt64(jsonInteger(value, type), type);
      if (is32BitInteger(type)) return checkInt32(jsonNumber(value, type), type);
      switch (type) {
        case 'double':
        case 'float':
          return jsonNumber(value, type);
        case 'bool':
          if (typeof value !== 'boolean') throw invalid(`expected true or false, got ${describeJson(value)}`);
          return value;
        case 'string':
          if (typeof value !== 'string') throw invalid(`expected a JSON string, got ${describeJson(value)}`);
          return value;
        default: // bytes
          if (typeof value !== 'string' || !BASE64.test(value)) throw invalid(`expected a base64 string, got ${describeJson(value)}`);
          return new Uint8Array(Buffer.from(value, 'base64'));
      }
    }
  }
}

/** A 64-bit integer from a JSON number (plain or lossless) or a numeric JSON string, without precision loss. */
function jsonInteger(value: unknown, type: string): bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value);
    // Came from JSON.parse, so the double may have rounded the written digits.
    if (Number.isInteger(value)) throw NEEDS_LOSSLESS;
  } else {
    const text = value instanceof LosslessNumber ? value.value : typeof value === 'string' ? value : undefined;
    const exact = text === undefined ? undefined : exactInteger(text);
    if (exact !== undefined) return exact;
  }
  throw invalid(`expected an integer (${type}), got ${describeJson(value)}`);
}

/** The integer a JSON number text denotes (`42`, `-7`, `1.5e3`, `2E+20`), or undefined if it is not one. */
function exactInteger(text: string): bigint | undefined {
  if (INTEGER.test(text)) return BigInt(text);
  const match = NUMBER_PARTS.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const shift = Number(exponent) - fraction.length;
  if (Math.abs(shift) > 40) return undefined; // far outside 64 bits either way
  const digits = BigInt(`${sign}${whole}${fraction}`);
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const scale = 10n ** BigInt(-shift);
  return digits % scale === 0n ? digits / scale : undefined;
}

function jsonNumber(value: unknown, type: string): number {
  if (typeof value === 'number') return value;
  if (value instanceof LosslessNumber) return Number(value.value);
  if (typeof value === 'string' && JSON_NUMBER.test(value)) return Number(value);
  throw invalid(`expected a number (${type}), got ${describeJson(value)}`);
}

function describeJson(value: unknown): string {
  return value instanceof LosslessNumber ? `number ${value.value}` : describe(value);
}
