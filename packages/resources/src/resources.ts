// The immutable Resources value type. Invariant: `entries` is sorted by metadata key, keys are
// unique (entries with identical metadata are merged), and no entry is empty (zero scalars,
// empty ranges/sets are dropped). add/subtract/contains are linear merge-joins over the keys.
import type { v1 } from '@mesos-ts/proto';
import {
  Entry,
  addEntries,
  entriesEqual,
  entryContains,
  makeMeta,
  scalarMilli,
  subtractEntries,
  type Meta,
  type MetaFields,
} from './entry.js';
import { ResourcesError } from './errors.js';
import { fromMilli } from './fixed-point.js';
import { formatEntries } from './format.js';
import { entryFromProto } from './from-proto.js';
import { applyOperation } from './operations.js';
import { downgradeResource } from './legacy.js';
import { parseResourcesText, type ParseOptions } from './parse.js';
import { rangePairs, unionRanges, type RangeList } from './ranges.js';
import { isAncestorRole, validateRole } from './roles.js';

export class Resources implements Iterable<v1.Resource> {
  private static readonly EMPTY = new Resources([]);

  /**
   * Set only on results of allocate(): the receiver it was made from, when that receiver had no
   * allocation role on any entry. Then it equals this.unallocate() exactly (allocate only rewrites
   * allocation roles, and metas/values are immutable), so unallocate() returns it without work.
   */
  private unallocatedForm: Resources | undefined;

  /**
   * What any entry is (RESERVED | REVOCABLE | SHARED bits), computed on first use; -1 = not yet. The
   * allocator asks allocatableTo/nonRevocable/nonShared/reserved/revocable of every agent's pool in every
   * run, and pools almost never hold reserved, revocable or shared entries: the answer is then `this` or
   * empty at once.
   */
  private kindBits = -1;

  private constructor(private readonly entries: readonly Entry[]) {}

  static empty(): Resources {
    return Resources.EMPTY;
  }

  /** Parses `--resources` text or its JSON array form; throws ResourcesError PARSE/INVALID_RESOURCE. */
  static parse(text: string, opts?: ParseOptions): Resources {
    return Resources.fromProto(parseResourcesText(text, opts));
  }

  /** Validates and normalizes protobuf resources (legacy role/reservation fields are converted). */
  static fromProto(list: readonly v1.Resource[]): Resources {
    const entries: Entry[] = [];
    for (const r of list) {
      const e = entryFromProto(r);
      if (e !== undefined) entries.push(e);
    }
    return Resources.fromEntries(entries);
  }

  private static fromEntries(entries: Entry[]): Resources {
    if (entries.length === 0) return Resources.EMPTY;
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const out: Entry[] = [];
    for (const e of entries) {
      const last = out[out.length - 1];
      if (last !== undefined && last.key === e.key) out[out.length - 1] = addEntries(last, e);
      else out.push(e);
    }
    return new Resources(out);
  }

  /** One v1.Resource per entry (atomic resources repeated per copy); objects are frozen. */
  toProto(): v1.Resource[] {
    const out: v1.Resource[] = [];
    for (const e of this.entries) for (let i = 0; i < e.count; i++) out.push(e.toProto());
    return out;
  }

  /** Pre reservation-refinement form (role/reservation fields); throws on refined reservations. */
  toLegacyProto(): v1.Resource[] {
    return this.toProto().map(downgradeResource);
  }

  *[Symbol.iterator](): Iterator<v1.Resource> {
    yield* this.toProto();
  }

  toString(): string {
    return formatEntries(this.entries);
  }

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  add(other: Resources): Resources {
    const a = this.entries;
    const b = other.entries;
    if (b.length === 0) return this;
    if (a.length === 0) return other;
    const out: Entry[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      // Equal keys are usually the same interned string: test identity before ordering.
      if (x.key === y.key) {
        out.push(addEntries(x, y));
        i++;
        j++;
      } else if (x.key < y.key) {
        out.push(x);
        i++;
      } else {
        out.push(y);
        j++;
      }
    }
    while (i < a.length) out.push(a[i++]!);
    while (j < b.length) out.push(b[j++]!);
    return new Resources(out);
  }

  /** this - other; throws INSUFFICIENT unless this.contains(other). */
  subtract(other: Resources): Resources {
    const a = this.entries;
    const b = other.entries;
    if (b.length === 0) return this;
    if (other === this) return Resources.EMPTY; // e.g. an agent's whole free pool offered at once
    const out: Entry[] = [];
    let i = 0;
    for (const y of b) {
      while (i < a.length && a[i]!.key !== y.key && a[i]!.key < y.key) out.push(a[i++]!);
      const x = a[i];
      if (x === undefined || x.key !== y.key || !entryContains(x, y)) throw this.insufficient(other);
      const rest = subtractEntries(x, y);
      if (rest !== undefined) out.push(rest);
      i++;
    }
    while (i < a.length) out.push(a[i++]!);
    return out.length === 0 ? Resources.EMPTY : new Resources(out);
  }

  contains(other: Resources): boolean {
    if (other === this) return true;
    const a = this.entries;
    let i = 0;
    for (const y of other.entries) {
      while (i < a.length && a[i]!.key !== y.key && a[i]!.key < y.key) i++;
      const x = a[i];
      if (x === undefined || x.key !== y.key || !entryContains(x, y)) return false;
      i++;
    }
    return true;
  }

  equals(other: Resources): boolean {
    if (this === other) return true;
    if (this.entries.length !== other.entries.length) return false;
    for (let i = 0; i < this.entries.length; i++) {
      if (!entriesEqual(this.entries[i]!, other.entries[i]!)) return false;
    }
    return true;
  }

  filter(pred: (r: v1.Resource) => boolean): Resources {
    return this.keep((e) => pred(e.toProto()));
  }

  /** Reserved resources; only those whose current role is exactly `role` when given. */
  reserved(role?: string): Resources {
    if (!this.has(RESERVED)) return Resources.EMPTY;
    return this.keep((e) => e.meta.role !== '*' && (role === undefined || e.meta.role === role));
  }
  unreserved(): Resources {
    if (!this.has(RESERVED)) return this;
    return this.keep((e) => e.meta.role === '*');
  }
  revocable(): Resources {
    if (!this.has(REVOCABLE)) return Resources.EMPTY;
    return this.keep((e) => e.meta.revocable);
  }
  nonRevocable(): Resources {
    if (!this.has(REVOCABLE)) return this;
    return this.keep((e) => !e.meta.revocable);
  }
  persistentVolumes(): Resources {
    return this.keep((e) => e.meta.disk?.persistence !== undefined);
  }
  shared(): Resources {
    if (!this.has(SHARED)) return Resources.EMPTY;
    return this.keep((e) => e.meta.shared);
  }
  nonShared(): Resources {
    if (!this.has(SHARED)) return this;
    return this.keep((e) => !e.meta.shared);
  }

  /** Unreserved resources plus those reserved to `role` or to one of its ancestors. */
  allocatableTo(role: string): Resources {
    if (!this.has(RESERVED)) return this;
    return this.keep((e) => e.meta.role === '*' || e.meta.role === role || isAncestorRole(e.meta.role, role));
  }

  /** Total of a scalar across all entries (a shared volume counts once however often held), 0 if absent. */
  scalar(name: string): number {
    let milli = 0;
    for (const e of this.entries) if (e.meta.name === name && e.meta.type === 'SCALAR') milli += scalarMilli(e);
    return fromMilli(milli);
  }

  /**
   * Each scalar entry's name and quantity in integer milli-units (a shared volume once), without totalling:
   * for hot loops that sum into their own structure (the allocator's vectors).
   */
  forEachScalarMilli(visit: (name: string, milli: number) => void): void {
    for (const e of this.entries) if (e.meta.type === 'SCALAR') visit(e.meta.name, scalarMilli(e));
  }

  /** Totals per scalar name, fixed-point. */
  scalars(): ReadonlyMap<string, number> {
    // Sums in milli-units, then converts in place (re-setting existing keys keeps the order).
    const out = new Map<string, number>();
    this.forEachScalarMilli((name, milli) => out.set(name, (out.get(name) ?? 0) + milli));
    for (const [name, milli] of out) out.set(name, fromMilli(milli));
    return out;
  }

  /** Distinct resource names, sorted. */
  names(): string[] {
    const out: string[] = [];
    for (const e of this.entries) if (out[out.length - 1] !== e.meta.name) out.push(e.meta.name);
    return out;
  }

  /** Merged 'ports' ranges across all entries, as inclusive [begin, end] pairs. */
  ports(): Array<[number, number]> {
    let merged: RangeList = [];
    for (const e of this.entries) {
      if (e.meta.name === 'ports' && e.meta.type === 'RANGES') merged = unionRanges(merged, e.ranges);
    }
    return rangePairs(merged);
  }

  /** Applies RESERVE/UNRESERVE/CREATE/DESTROY (LAUNCH/LAUNCH_GROUP leave totals alone). */
  apply(op: v1.Offer.Operation): Resources {
    return applyOperation<Resources>(this, op, Resources.fromProto);
  }

  /** Marks every entry as allocated to `role` (Resource.allocation_info.role). */
  allocate(role: string): Resources {
    if (!validRoles.has(role)) {
      validateRole(role);
      if (validRoles.size >= VALID_ROLES_LIMIT) validRoles.clear();
      validRoles.add(role);
    }
    const out = this.mapMeta((m) => withAllocation(m, role));
    if (out !== this && this.entries.every((e) => e.meta.allocationRole === undefined)) out.unallocatedForm = this;
    return out;
  }
  unallocate(): Resources {
    return this.unallocatedForm ?? this.mapMeta((m) => withAllocation(m, undefined));
  }

  /**
   * Pushes a reservation on every entry. Unreserved resources may be reserved to any role;
   * reserved ones only refined to a child of their current role. Throws INVALID_OPERATION.
   */
  pushReservation(info: v1.Resource.ReservationInfo): Resources {
    const role = info.role ?? '*';
    if (role === '*') throw new ResourcesError('INVALID_OPERATION', "a reservation must name a role other than '*'");
    validateRole(role);
    if (info.type !== 'STATIC' && info.type !== 'DYNAMIC') {
      throw new ResourcesError('INVALID_OPERATION', `reservation type '${String(info.type)}' must be STATIC or DYNAMIC`);
    }
    return this.mapMeta((m) => {
      if (m.role !== '*' && !isAncestorRole(m.role, role)) {
        throw new ResourcesError(
          'INVALID_OPERATION',
          `cannot reserve ${m.name} reserved to '${m.role}' for '${role}': a refined reservation must be to a child role (e.g. '${m.role}/x')`,
        );
      }
      return makeMeta({ ...fieldsOf(m), reservations: [...m.reservations, info] });
    });
  }

  /** Pops the top reservation of every entry; throws INVALID_OPERATION on unreserved entries. */
  popReservation(): Resources {
    return this.mapMeta((m) => {
      if (m.reservations.length === 0) {
        throw new ResourcesError('INVALID_OPERATION', `cannot pop a reservation of unreserved ${m.name}`);
      }
      return makeMeta({ ...fieldsOf(m), reservations: m.reservations.slice(0, -1) });
    });
  }

  /** True when some entry has `bit` (RESERVED, REVOCABLE or SHARED). */
  private has(bit: number): boolean {
    if (this.kindBits < 0) {
      let bits = 0;
      for (const e of this.entries) bits |= (e.meta.role !== '*' ? RESERVED : 0) | (e.meta.revocable ? REVOCABLE : 0) | (e.meta.shared ? SHARED : 0);
      this.kindBits = bits;
    }
    return (this.kindBits & bit) !== 0;
  }

  private keep(pred: (e: Entry) => boolean): Resources {
    const entries = this.entries;
    // Common case: everything is kept; answer `this` without building an array.
    let i = 0;
    while (i < entries.length && pred(entries[i]!)) i++;
    if (i === entries.length) return this;
    const out = entries.slice(0, i);
    for (i++; i < entries.length; i++) if (pred(entries[i]!)) out.push(entries[i]!);
    return out.length === 0 ? Resources.EMPTY : new Resources(out);
  }

  /** Same values under new metadata; `this` when no meta changes. */
  private mapMeta(f: (m: Meta) => Meta): Resources {
    const out: Entry[] = [];
    let changed = false;
    let ordered = true; // keys still strictly ascending, so no sort or merge is needed
    for (const e of this.entries) {
      const meta = f(e.meta);
      const next = meta === e.meta ? e : e.withMeta(meta);
      changed ||= next !== e;
      const last = out[out.length - 1];
      if (last !== undefined && !(last.key < next.key)) ordered = false;
      out.push(next);
    }
    if (!changed) return this;
    return ordered ? new Resources(out) : Resources.fromEntries(out);
  }

  private insufficient(other: Resources): ResourcesError {
    const missing: Entry[] = [];
    for (const y of other.entries) {
      const x = this.entries.find((e) => e.key === y.key);
      if (x === undefined) missing.push(y);
      else if (!entryContains(x, y)) missing.push(y);
    }
    return new ResourcesError(
      'INSUFFICIENT',
      `insufficient resources: need ${formatEntries(missing)} but have ${this.toString() || 'nothing'}`,
    );
  }
}

// Bits of Resources.kindBits.
const RESERVED = 1;
const REVOCABLE = 2;
const SHARED = 4;

function fieldsOf(m: Meta): MetaFields {
  return {
    name: m.name,
    type: m.type,
    reservations: m.reservations,
    allocationRole: m.allocationRole,
    disk: m.disk,
    revocable: m.revocable,
    shared: m.shared,
    providerId: m.providerId,
  };
}

// allocate()/unallocate() run on every offer; the (meta, role) → meta step is memoized on the
// meta (Meta.byAllocation), so the metadata key is built once per distinct metadata and role.
function withAllocation(m: Meta, role: string | undefined): Meta {
  if (m.allocationRole === role) return m;
  let out = m.byAllocation.get(role);
  if (out === undefined) m.byAllocation.set(role, (out = makeMeta({ ...fieldsOf(m), allocationRole: role })));
  return out;
}

// Roles allocate() has already validated: validation splits and scans the role on every call
// otherwise. Only valid roles enter; bounded like the meta intern table.
const VALID_ROLES_LIMIT = 10_000;
const validRoles = new Set<string>();
