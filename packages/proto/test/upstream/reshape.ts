// Walks a message-shaped plain object alongside our schema and (optionally) upstream's, producing
// what protobufjs' fromObject accepts and what toObject returns:
// - bigint becomes a decimal string (fromObject/toObject carry 64-bit values as strings);
// - with `theirs`, fields upstream lacks are dropped and enum names upstream lacks become our
//   numbers (that is what an older peer sees on the wire), and `lossless` turns false.
// A key our schema does not define throws: a sample with a typo must not pass silently.
import protobuf from 'protobufjs';

export interface Reshaped {
  value: Record<string, unknown>;
  /** False when something was dropped or renumbered for `theirs`. */
  lossless: boolean;
}

export function reshape(value: unknown, ours: protobuf.Type, theirs?: protobuf.Type): Reshaped {
  const state = { lossless: true };
  return { value: walkMessage(value, ours, theirs, state), lossless: state.lossless };
}

function walkMessage(value: unknown, ours: protobuf.Type, theirs: protobuf.Type | undefined, state: { lossless: boolean }): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${ours.fullName}: expected an object, got ${String(value)}`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const field = ours.fields[key];
    if (!field) throw new Error(`${ours.fullName} has no field '${key}'`);
    const theirField = theirs?.fields[key];
    if (theirs && !theirField) {
      state.lossless = false;
      continue;
    }
    const one = (x: unknown): unknown => walkValue(x, field, theirField, state);
    if (field.map) out[key] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, one(x)]));
    else if (field.repeated) out[key] = (v as unknown[]).map(one);
    else out[key] = one(v);
  }
  return out;
}

function walkValue(v: unknown, field: protobuf.Field, theirField: protobuf.Field | undefined, state: { lossless: boolean }): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) {
    const theirType = theirField?.resolvedType instanceof protobuf.Type ? theirField.resolvedType : undefined;
    return walkMessage(v, type, theirField ? theirType : undefined, state);
  }
  if (type instanceof protobuf.Enum && theirField?.resolvedType instanceof protobuf.Enum && typeof v === 'string') {
    if (theirField.resolvedType.values[v] !== undefined) return v;
    const number = type.values[v];
    if (number === undefined) throw new Error(`${type.fullName} has no value '${v}'`);
    state.lossless = false;
    return number;
  }
  return typeof v === 'bigint' ? v.toString() : v;
}
