// Compares our schema with upstream's: tags, types, labels and defaults of same-named fields,
// and enum numbering. Pure: takes two reflection roots, returns findings as strings.
import protobuf from 'protobufjs';
import { counterpart, upstreamName } from './load-upstream.js';

export interface SchemaDiff {
  /** Disagreements that would break the wire (or the JSON mapping). */
  mismatches: string[];
  /** Upstream fields we do not define, by our message name. */
  missing: Map<string, string[]>;
  /** How many of our messages and enums had an upstream counterpart. */
  compared: number;
}

export function allTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.flatMap((c) => (c instanceof protobuf.Type ? [c, ...allTypes(c)] : c instanceof protobuf.Namespace ? allTypes(c) : []));
}

export function allEnums(ns: protobuf.NamespaceBase): protobuf.Enum[] {
  return ns.nestedArray.flatMap((c) => (c instanceof protobuf.Enum ? [c] : c instanceof protobuf.Namespace ? allEnums(c) : []));
}

const label = (f: protobuf.Field): string => (f.map ? 'map' : f.required ? 'required' : f.repeated ? 'repeated' : 'optional');

/** Scalar type name, or the (upstream-spelled) full name of the referenced message/enum. */
function typeName(f: protobuf.Field, translate: boolean): string {
  const full = f.resolvedType?.fullName.slice(1);
  const name = full === undefined ? f.type : translate ? upstreamName(full) : full;
  return f instanceof protobuf.MapField ? `map<${f.keyType},${name}>` : name;
}

export function diffSchemas(ours: protobuf.Root, theirs: protobuf.Root): SchemaDiff {
  const mismatches: string[] = [];
  const missing = new Map<string, string[]>();
  let compared = 0;
  for (const type of allTypes(ours.lookup('mesos.v1') as protobuf.Namespace)) {
    const up = counterpart(theirs, type);
    if (!up) continue;
    compared++;
    const where = type.fullName.slice(1);
    for (const field of type.fieldsArray) {
      const byName = up.fields[field.name];
      const byId = up.fieldsById[field.id];
      if (byId && byId.name !== field.name) mismatches.push(`${where}: tag ${field.id} is '${field.name}' here, '${byId.name}' upstream`);
      if (!byName) continue;
      const facts: Array<[string, unknown, unknown]> = [
        ['tag', field.id, byName.id],
        ['type', typeName(field, true), typeName(byName, false)],
        ['label', label(field), label(byName)],
        ['default', field.options?.['default'], byName.options?.['default']],
      ];
      for (const [what, mine, theirsValue] of facts) {
        if (mine !== theirsValue) mismatches.push(`${where}.${field.name}: ${what} ${String(mine)} here, ${String(theirsValue)} upstream`);
      }
    }
    const lacking = up.fieldsArray.filter((f) => !type.fields[f.name]).map((f) => `${f.name}=${f.id}`);
    if (lacking.length > 0) missing.set(where, lacking);
  }
  for (const en of allEnums(ours.lookup('mesos.v1') as protobuf.Namespace)) {
    const up = counterpart(theirs, en);
    if (!up) continue;
    compared++;
    const where = en.fullName.slice(1);
    for (const [name, number] of Object.entries(en.values)) {
      const theirNumber = up.values[name];
      if (theirNumber !== undefined && theirNumber !== number) mismatches.push(`${where}.${name}: ${number} here, ${theirNumber} upstream`);
      const theirName = up.valuesById[number];
      if (theirName !== undefined && theirName !== name) mismatches.push(`${where}: ${number} is ${name} here, ${theirName} upstream`);
    }
  }
  return { mismatches, missing, compared };
}
