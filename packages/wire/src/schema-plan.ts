// Per-message "plans": a flat, cached digest of protobufjs reflection that both codecs walk. Building a plan
// touches reflection once per type; after that encoding and decoding only read plain arrays and maps.
import { messageType, type MessageName } from '@mesos-ts/proto';

// protobufjs reflection types, taken from @mesos-ts/proto's API (wire does not depend on protobufjs itself).
type ReflectedType = ReturnType<typeof messageType>;
type ReflectedField = ReflectedType['fieldsArray'][number];
type ReflectedEnum = { fullName: string; values: Record<string, number> };

export type ScalarType =
  | 'double' | 'float'
  | 'int32' | 'uint32' | 'sint32' | 'fixed32' | 'sfixed32'
  | 'int64' | 'uint64' | 'sint64' | 'fixed64' | 'sfixed64'
  | 'bool' | 'string' | 'bytes';

const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32',
  'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool', 'string', 'bytes',
]);

/** How a field's value is represented in our TypeScript shape. */
export type ValueKind =
  | { kind: 'scalar'; type: ScalarType }
  | { kind: 'enum'; enumName: string; nameOf: ReadonlyMap<number, string>; valueOf: ReadonlyMap<string, number> }
  | { kind: 'message'; plan: MessagePlan };

export interface FieldPlan {
  /** snake_case name as in the .proto file; also the JSON key and the TS property. */
  readonly name: string;
  readonly id: number;
  readonly required: boolean;
  readonly repeated: boolean;
  /** Map fields (string keys only; Mesos defines no other). `value` describes the map's values. */
  readonly map: boolean;
  readonly value: ValueKind;
  /** `"name":` pre-escaped for the JSON encoder. */
  readonly jsonKey: string;
}

export interface MessagePlan {
  /** Fully qualified name without the leading dot, e.g. `mesos.v1.Resource`. */
  readonly name: string;
  readonly type: ReflectedType;
  /** Sorted by field number: the order protobuf and Mesos' JSON writer emit fields in. */
  readonly fields: FieldPlan[];
  readonly byName: ReadonlyMap<string, FieldPlan>;
}

const cache = new Map<ReflectedType, MessagePlan>();

/** Plans by message name: every encode/decode starts here, and messageType() walks protobufjs' namespaces. */
const planByName = new Map<MessageName, MessagePlan>();

export function planFor(name: MessageName): MessagePlan {
  let plan = planByName.get(name);
  if (plan === undefined) {
    plan = planOf(messageType(name));
    planByName.set(name, plan);
  }
  return plan;
}

function planOf(type: ReflectedType): MessagePlan {
  const cached = cache.get(type);
  if (cached) return cached;
  const fields: FieldPlan[] = [];
  const byName = new Map<string, FieldPlan>();
  const plan: MessagePlan = { name: type.fullName.replace(/^\./, ''), type, fields, byName };
  // Registered before the fields are walked so recursive messages (ContainerID.parent) terminate.
  cache.set(type, plan);
  type.resolveAll();
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const fieldPlan = planField(plan.name, field);
    fields.push(fieldPlan);
    byName.set(fieldPlan.name, fieldPlan);
  }
  return plan;
}

function planField(owner: string, field: ReflectedField): FieldPlan {
  if (field.map && (field as ReflectedField & { keyType?: string }).keyType !== 'string') {
    throw new Error(`${owner}.${field.name}: only string-keyed maps are supported`);
  }
  return {
    name: field.name,
    id: field.id,
    required: field.required,
    repeated: field.repeated,
    map: field.map,
    value: valueKind(owner, field),
    jsonKey: `${JSON.stringify(field.name)}:`,
  };
}

function valueKind(owner: string, field: ReflectedField): ValueKind {
  if (SCALAR_TYPES.has(field.type)) return { kind: 'scalar', type: field.type as ScalarType };
  const resolved = field.resolvedType;
  // A message type has fields; an enum has values.
  if (resolved && 'fieldsArray' in resolved) return { kind: 'message', plan: planOf(resolved as ReflectedType) };
  if (resolved && 'values' in resolved) {
    const nameOf = new Map<number, string>();
    const valueOf = new Map<string, number>();
    const reflected = resolved as unknown as ReflectedEnum;
    for (const [name, value] of Object.entries(reflected.values)) {
      valueOf.set(name, value);
      // With aliases the first declared name wins, as in protoc.
      if (!nameOf.has(value)) nameOf.set(value, name);
    }
    return { kind: 'enum', enumName: reflected.fullName.replace(/^\./, ''), nameOf, valueOf };
  }
  throw new Error(`${owner}.${field.name}: unresolved field type ${field.type}`);
}

/** Names of an enum's values for error messages. */
export function enumChoices(value: Extract<ValueKind, { kind: 'enum' }>): string {
  return [...value.valueOf.keys()].join(', ');
}
