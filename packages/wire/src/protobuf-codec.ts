// Protobuf codec: our TypeScript shape <-> protobuf bytes, through protobufjs. Only the edges are converted:
// enum names <-> numbers, bigint <-> 64-bit halves, and protobufjs' defaults are dropped so decoded messages contain
// exactly the fields that were on the wire (absent stays absent, empty repeated fields are omitted).
import type { MessageName, MessageTypes } from '@mesos-ts/proto';
import { WireError } from './errors.js';
import { enumChoices, planFor, type FieldPlan, type MessagePlan, type ValueKind } from './schema-plan.js';
import { invalid, toWireError, within } from './field-path.js';
import { checkInt32, checkInt64, describe, is32BitInteger, is64Bit, isUnsigned } from './scalars.js';

type Plain = Record<string, unknown>;
/** A 64-bit integer as protobufjs carries it (a `long` Long when configured): two 32-bit halves. */
interface LongBits {
  low: number;
  high: number;
}
const hasOwn = Object.prototype.hasOwnProperty;

export function encodeProtobuf<N extends MessageName>(name: N, message: MessageTypes[N]): Uint8Array {
  const plan = planFor(name);
  let plain: Plain;
  try {
    plain = toProtobufjs(plan, message);
  } catch (e) {
    throw toWireError(e, name);
  }
  return plan.type.encode(plain).finish();
}

export function decodeProtobuf<N extends MessageName>(name: N, bytes: Uint8Array): MessageTypes[N] {
  const plan = planFor(name);
  let decoded: Plain;
  try {
    decoded = plan.type.decode(bytes) as unknown as Plain;
  } catch (e) {
    throw new WireError('INVALID_PROTOBUF', `body is not a valid ${name} protobuf message: ${(e as Error).message}`, { cause: e });
  }
  return fromProtobufjs(plan, decoded) as unknown as MessageTypes[N];
}

// ---- encode: TS shape -> protobufjs plain object --------------------------------------------------------

function toProtobufjs(plan: MessagePlan, message: unknown): Plain {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw invalid(`expected a ${plan.name} object, got ${describe(message)}`);
  }
  const source = message as Plain;
  const out: Plain = {};
  for (const field of plan.fields) {
    const value = source[field.name];
    if (value === undefined || value === null) {
      if (field.required) throw within(invalid('is required'), field.name);
      continue;
    }
    try {
      out[field.name] = encodeField(field, value);
    } catch (e) {
      throw within(e, field.name);
    }
  }
  return out;
}

function encodeField(field: FieldPlan, value: unknown): unknown {
  if (field.repeated) {
    if (!Array.isArray(value)) throw invalid(`expected an array, got ${describe(value)}`);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        out[i] = encodeValue(field.value, value[i]);
      } catch (e) {
        throw within(e, i);
      }
    }
    return out;
  }
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`expected an object (map), got ${describe(value)}`);
    const out: Plain = {};
    for (const [key, item] of Object.entries(value as Plain)) {
      try {
        out[key] = encodeValue(field.value, item);
      } catch (e) {
        throw within(e, key);
      }
    }
    return out;
  }
  return encodeValue(field.value, value);
}

function encodeValue(kind: ValueKind, value: unknown): unknown {
  switch (kind.kind) {
    case 'message':
      return toProtobufjs(kind.plan, value);
    case 'enum': {
      const number = typeof value === 'string' ? kind.valueOf.get(value) : undefined;
      if (number === undefined) throw invalid(`${describe(value)} is not a ${kind.enumName} value; expected one of ${enumChoices(kind)}`);
      return number;
    }
    case 'scalar': {
      const type = kind.type;
      if (is64Bit(type)) {
        const big = checkInt64(value, type);
        // protobufjs' writer accepts any {low, high} pair of 32-bit halves (its LongBits.from).
        return { low: Number(big & 0xffffffffn) | 0, high: Number((big >> 32n) & 0xffffffffn) | 0 } satisfies LongBits;
      }
      if (is32BitInteger(type)) return checkInt32(value, type);
      if (type === 'double' || type === 'float') {
        if (typeof value !== 'number') throw invalid(`expected a number, got ${describe(value)}`);
      } else if (type === 'bytes') {
        if (!(value instanceof Uint8Array)) throw invalid(`expected bytes (Uint8Array), got ${describe(value)}`);
      } else if (type === 'bool') {
        if (typeof value !== 'boolean') throw invalid(`expected a boolean, got ${describe(value)}`);
      } else if (typeof value !== 'string') {
        throw invalid(`expected a string, got ${describe(value)}`);
      }
      return value;
    }
  }
}

// ---- decode: protobufjs message -> TS shape ---------------------------------------------------------------

function fromProtobufjs(plan: MessagePlan, decoded: Plain): Plain {
  const out: Plain = {};
  for (const field of plan.fields) {
    // protobufjs keeps defaults on the prototype and sets own properties only for fields on the wire
    // (plus empty arrays/objects for repeated and map fields, which we drop).
    if (!hasOwn.call(decoded, field.name)) continue;
    const value = decoded[field.name];
    if (field.repeated) {
      const items: unknown[] = [];
      for (const item of value as unknown[]) {
        const converted = decodeValue(field.value, item);
        if (converted !== undefined) items.push(converted);
      }
      if (items.length > 0) out[field.name] = items;
    } else if (field.map) {
      const entries = Object.entries(value as Plain);
      if (entries.length === 0) continue;
      const map: Plain = {};
      for (const [key, item] of entries) {
        const converted = decodeValue(field.value, item);
        if (converted !== undefined) map[key] = converted;
      }
      out[field.name] = map;
    } else {
      const converted = decodeValue(field.value, value);
      if (converted !== undefined) out[field.name] = converted;
      // Only reachable for a required enum whose number we do not know; C++ protobuf rejects that too.
      else if (field.required) throw new WireError('INVALID_PROTOBUF', `${plan.name}.${field.name} has an unknown enum value ${String(value)}`);
    }
  }
  return out;
}

/** Returns undefined for enum numbers we do not know: proto2 treats those as unknown fields (absent). */
function decodeValue(kind: ValueKind, value: unknown): unknown {
  switch (kind.kind) {
    case 'message':
      return fromProtobufjs(kind.plan, value as Plain);
    case 'enum':
      return kind.nameOf.get(value as number);
    case 'scalar':
      if (is64Bit(kind.type)) return longToBigInt(value as LongBits | number, isUnsigned(kind.type));
      // Copy: protobufjs returns views into the input buffer, which callers may reuse.
      if (kind.type === 'bytes') return new Uint8Array(value as Uint8Array);
      return value;
  }
}

function longToBigInt(value: LongBits | number, unsigned: boolean): bigint {
  if (typeof value === 'number') return BigInt(value);
  if (value.high === 0 && value.low >= 0) return BigInt(value.low);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}
