// Validation and normalization of v1.Resource messages into entries. The legacy (pre
// reservation-refinement) form — `role` plus optional `reservation` — is converted to the
// `reservations` stack; every other path inside this package uses the stack only.
import type { v1 } from '@mesos-ts/proto';
import { ResourcesError } from './errors.js';
import { Entry, makeMeta, type Meta } from './entry.js';
import { toMilli } from './fixed-point.js';
import { canonicalRanges } from './ranges.js';
import { canonicalItems } from './sets.js';
import { isAncestorRole, validateRole } from './roles.js';

/** Largest scalar we carry exactly in milli-units. */
const MAX_SCALAR = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** Validates one resource; returns its entry, or undefined when its value is empty/zero. */
export function entryFromProto(r: v1.Resource): Entry | undefined {
  const label = describe(r);
  const fail = (why: string): never => {
    throw new ResourcesError('INVALID_RESOURCE', `invalid resource ${label}: ${why}`);
  };
  if (typeof r.name !== 'string' || r.name.length === 0) fail("'name' must be a non-empty string");
  const type = r.type as string;
  if (type !== 'SCALAR' && type !== 'RANGES' && type !== 'SET') {
    fail(`type '${type}' is not supported (use SCALAR, RANGES or SET)`);
  }
  const meta = makeMeta({
    name: r.name,
    type: type as 'SCALAR' | 'RANGES' | 'SET',
    reservations: reservationStack(r, fail),
    allocationRole: allocationRole(r, fail),
    disk: r.disk === undefined ? undefined : canonicalDisk(r, fail),  // an empty DiskInfo counts as none
    revocable: r.revocable !== undefined,
    shared: r.shared !== undefined,
    providerId: r.provider_id?.value,
  });
  if (meta.shared && meta.disk?.persistence === undefined) {
    fail('only persistent volumes can be shared (set disk.persistence or drop shared)');
  }
  const entry = valueEntry(r, meta, fail);
  return entry.isEmpty() ? undefined : entry;
}

function valueEntry(r: v1.Resource, meta: Meta, fail: (why: string) => never): Entry {
  const has = { SCALAR: r.scalar !== undefined, RANGES: r.ranges !== undefined, SET: r.set !== undefined };
  for (const [kind, present] of Object.entries(has)) {
    if (kind !== meta.type && present) fail(`type is ${meta.type} but a ${kind.toLowerCase()} value is set`);
  }
  if (!has[meta.type]) fail(`type is ${meta.type} but its ${meta.type.toLowerCase()} value is missing`);
  if (meta.type === 'SCALAR') {
    const v = r.scalar!.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`scalar value ${String(v)} is not a finite number`);
    if (v < 0) fail(`scalar value ${v} is negative (use a value >= 0)`);
    if (v > MAX_SCALAR) fail(`scalar value ${v} exceeds ${MAX_SCALAR}`);
    return Entry.scalar(meta, toMilli(v));
  }
  if (meta.type === 'RANGES') {
    const pairs: Array<[number, number]> = [];
    for (const range of r.ranges!.range ?? []) {
      const b = rangeBound(range.begin, fail);
      const e = rangeBound(range.end, fail);
      if (b > e) fail(`range ${b}-${e} has begin > end (write it as ${e}-${b})`);
      pairs.push([b, e]);
    }
    return Entry.ranges(meta, canonicalRanges(pairs));
  }
  const items = r.set!.item ?? [];
  for (const item of items) if (typeof item !== 'string') fail('set items must be strings');
  return Entry.set(meta, canonicalItems(items));
}

function rangeBound(v: bigint | number, fail: (why: string) => never): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (!Number.isSafeInteger(n) || n < 0) {
    fail(`range bound ${String(v)} must be an integer between 0 and ${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

function reservationStack(r: v1.Resource, fail: (why: string) => never): v1.Resource.ReservationInfo[] {
  let stack: v1.Resource.ReservationInfo[];
  if (r.reservations !== undefined && r.reservations.length > 0) {
    if ((r.role !== undefined && r.role !== '*') || r.reservation !== undefined) {
      fail("'reservations' must not be combined with the legacy 'role'/'reservation' fields");
    }
    stack = r.reservations;
  } else if (r.role !== undefined && r.role !== '*') {
    // Legacy form: a role with a ReservationInfo is dynamic, a bare role is static.
    const info = r.reservation;
    stack = [{ ...info, type: info === undefined ? 'STATIC' : 'DYNAMIC', role: r.role }];
  } else {
    if (r.reservation !== undefined) fail("'reservation' is set but 'role' is '*' (reserve to a named role)");
    return [];
  }
  let seenDynamic = false;
  stack.forEach((info, i) => {
    if (info.type !== 'STATIC' && info.type !== 'DYNAMIC') {
      fail(`reservation #${i} has type '${String(info.type)}' (use STATIC or DYNAMIC)`);
    }
    if (info.type === 'STATIC' && seenDynamic) fail(`reservation #${i} is STATIC on top of a DYNAMIC one`);
    seenDynamic ||= info.type === 'DYNAMIC';
    const role = info.role;
    if (role === undefined || role === '*') fail(`reservation #${i} must name a role other than '*'`);
    rethrowAs(() => validateRole(role!), fail);
    const below = stack[i - 1]?.role;
    if (below !== undefined && !isAncestorRole(below, role!)) {
      fail(`reservation #${i} to '${role}' must refine '${below}' to a child role (e.g. '${below}/x')`);
    }
  });
  return stack;
}

function allocationRole(r: v1.Resource, fail: (why: string) => never): string | undefined {
  const role = r.allocation_info?.role;
  if (role !== undefined) rethrowAs(() => validateRole(role), fail);
  return role;
}

function canonicalDisk(r: v1.Resource, fail: (why: string) => never): v1.Resource.DiskInfo | undefined {
  if (r.name !== 'disk') fail("'disk' info is only valid on a resource named 'disk'");
  const d = r.disk!;
  const out: v1.Resource.DiskInfo = {};
  if (d.persistence !== undefined) {
    if (typeof d.persistence.id !== 'string' || d.persistence.id.length === 0) {
      fail('disk.persistence.id must be a non-empty string');
    }
    out.persistence = { id: d.persistence.id };
    if (d.persistence.principal !== undefined) out.persistence.principal = d.persistence.principal;
  }
  if (d.volume !== undefined) {
    const v = d.volume;
    if (typeof v.container_path !== 'string' || v.container_path.length === 0) {
      fail('disk.volume.container_path must be a non-empty string');
    }
    out.volume = { mode: v.mode, container_path: v.container_path };
    if (v.host_path !== undefined) out.volume.host_path = v.host_path;
  }
  if (d.source !== undefined) {
    const s = d.source;
    const src: v1.Resource.DiskInfo.Source = { type: s.type };
    if (s.path !== undefined) src.path = s.path.root === undefined ? {} : { root: s.path.root };
    if (s.mount !== undefined) src.mount = s.mount.root === undefined ? {} : { root: s.mount.root };
    if (s.vendor !== undefined) src.vendor = s.vendor;
    if (s.id !== undefined) src.id = s.id;
    if (s.metadata !== undefined) {
      const labels = [...(s.metadata.labels ?? [])].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      src.metadata = { labels };
    }
    if (s.profile !== undefined) src.profile = s.profile;
    out.source = src;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function rethrowAs(f: () => void, fail: (why: string) => never): void {
  try {
    f();
  } catch (err) {
    fail((err as Error).message);
  }
}

function describe(r: v1.Resource): string {
  return typeof r.name === 'string' && r.name.length > 0 ? `'${r.name}'` : '(unnamed)';
}
