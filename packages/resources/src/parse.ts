// `--resources` parsing, in either of Mesos' two forms:
//   text:  'cpus:24;mem:24576;ports:[21000-24000];bugs:{a,b,c};cpus(hdfs):2'
//          (name[(role)]:value, ';'-separated; no role → the default role; '(*)' → unreserved)
//   JSON:  '[{"name":"cpus","type":"SCALAR","scalar":{"value":24}}, …]' (Mesos' JSON mapping)
// A role in the text form is a STATIC reservation. Duplicate names add up (Resources merges them).
import type { v1 } from '@mesos-ts/proto';
import { ResourcesError } from './errors.js';
import { validateRole } from './roles.js';
import { parseValueText } from './value-text.js';

export interface ParseOptions {
  /** Role for entries written without '(role)'; '*' (the default) means unreserved. */
  defaultRole?: string;
}

/** Parses either form into v1.Resource messages (not yet validated as resources). */
export function parseResourcesText(text: string, opts: ParseOptions = {}): v1.Resource[] {
  const defaultRole = opts.defaultRole ?? '*';
  validateRole(defaultRole);
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return parseJson(trimmed, defaultRole);
  const out: v1.Resource[] = [];
  for (const token of trimmed.split(';')) {
    const t = token.trim();
    if (t.length > 0) out.push(parseToken(t, defaultRole));
  }
  return out;
}

function parseToken(token: string, defaultRole: string): v1.Resource {
  const fail = (why: string, example: string): never => {
    throw new ResourcesError('PARSE', `invalid resource '${token}': ${why} (expected e.g. ${example})`);
  };
  const colon = token.indexOf(':');
  if (colon < 0) fail("missing ':' between name and value", 'cpus:4');
  let name = token.slice(0, colon).trim();
  const valueText = token.slice(colon + 1);
  let role = defaultRole;
  const open = name.indexOf('(');
  if (open >= 0) {
    if (!name.endsWith(')')) fail(`role in '${name}' is missing its closing ')'`, 'cpus(hdfs):2');
    role = name.slice(open + 1, -1).trim();
    name = name.slice(0, open).trim();
    try {
      validateRole(role);
    } catch (err) {
      fail((err as Error).message, 'cpus(hdfs):2');
    }
  }
  if (name.length === 0 || /[\s()[\]{}]/.test(name)) fail(`resource name '${name}' is empty or malformed`, 'cpus:4');
  const value = parseValueText(valueText);
  const r: v1.Resource = { name, type: 'SCALAR' };
  switch (value.kind) {
    case 'SCALAR':
      if (value.value < 0) fail(`scalar value '${valueText.trim()}' is negative`, `${name}:4`);
      r.scalar = { value: value.value };
      break;
    case 'RANGES':
      r.type = 'RANGES';
      r.ranges = { range: value.pairs.map(([b, e]) => ({ begin: BigInt(b), end: BigInt(e) })) };
      break;
    case 'SET':
      r.type = 'SET';
      r.set = { item: value.items };
      break;
    case 'TEXT':
      fail(`scalar value '${value.text}' is not a number`, `${name}:4, ${name}:[31000-32000] or ${name}:{a,b}`);
      break;
    case 'ERROR':
      fail(value.why, `${name}:[31000-32000]`);
  }
  if (role !== '*') r.reservations = [{ type: 'STATIC', role }];
  return r;
}

function parseJson(text: string, defaultRole: string): v1.Resource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ResourcesError(
      'PARSE',
      `invalid JSON resources: ${(err as Error).message} (expected e.g. [{"name":"cpus","type":"SCALAR","scalar":{"value":4}}])`,
    );
  }
  if (!Array.isArray(parsed)) throw new ResourcesError('PARSE', 'JSON resources must be an array of Resource objects');
  return parsed.map((item, i) => resourceFromJson(item, i, defaultRole));
}

/** Mesos' JSON mapping → v1.Resource. Unknown fields are ignored; ranges become bigint. */
function resourceFromJson(item: unknown, index: number, defaultRole: string): v1.Resource {
  const fail = (why: string): never => {
    throw new ResourcesError('PARSE', `invalid JSON resource #${index}: ${why}`);
  };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) fail('expected an object');
  const o = item as Record<string, unknown>;
  if (typeof o.name !== 'string') fail("'name' must be a string");
  if (typeof o.type !== 'string') fail("'type' must be one of \"SCALAR\", \"RANGES\", \"SET\"");
  // Mesos' JSON accepts null for absent fields.
  const r = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as unknown as v1.Resource;
  if (r.ranges !== undefined) {
    const ranges = o.ranges as { range?: unknown };
    const list = ranges.range ?? [];
    if (!Array.isArray(list)) fail("'ranges.range' must be an array");
    r.ranges = {
      range: (list as Array<{ begin?: unknown; end?: unknown }>).map((x) => ({
        begin: jsonInteger(x?.begin, fail),
        end: jsonInteger(x?.end, fail),
      })),
    };
  }
  if (r.set !== undefined) r.set = { item: ((o.set as { item?: string[] }).item ?? []) };
  if (Array.isArray(o.reservations) && o.reservations.length === 0) delete r.reservations;
  if (r.role === undefined && r.reservations === undefined && defaultRole !== '*') {
    r.reservations = [{ type: 'STATIC', role: defaultRole }];
  }
  return r;
}

function jsonInteger(v: unknown, fail: (why: string) => never): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return fail(`range bound ${JSON.stringify(v)} must be a non-negative integer`);
}
