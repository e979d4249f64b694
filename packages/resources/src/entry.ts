// One normalized resource entry: immutable metadata (name, type, reservation stack, disk,
// revocable, shared, allocation, provider) plus a value in canonical form. Entries with the
// same metadata key are merged by `Resources`, so the key is computed once, at construction,
// and hot paths (add/subtract/contains) only compare strings and integers. Metas are interned by
// key (see makeMeta), so entries of the same kind usually share one Meta and one key string.
import type { v1 } from '@mesos-ts/proto';
import { rangesContain, rangesEqual, subtractRanges, unionRanges, type RangeList } from './ranges.js';
import { itemsContain, itemsEqual, subtractItems, unionItems, type ItemList } from './sets.js';
import { fromMilli } from './fixed-point.js';

export type ValueKind = 'SCALAR' | 'RANGES' | 'SET';

/** Canonical metadata shared by every entry built from the same kind of resource. */
export interface Meta {
  readonly name: string;
  readonly type: ValueKind;
  /** Reservation stack, bottom first; empty = unreserved. Each item is canonical (sorted labels). */
  readonly reservations: readonly v1.Resource.ReservationInfo[];
  /** Role of the top reservation, '*' when unreserved. */
  readonly role: string;
  readonly allocationRole: string | undefined;
  readonly disk: v1.Resource.DiskInfo | undefined;
  readonly revocable: boolean;
  readonly shared: boolean;
  readonly providerId: string | undefined;
  /**
   * Indivisible: persistent volumes, shared resources and MOUNT/BLOCK/RAW disks are never split
   * or merged (as in Mesos); equal copies are counted instead, and the key includes the value.
   */
  readonly atomic: boolean;
  /** Canonical identity of all the above; sorts by name first. */
  readonly key: string;
  /**
   * Memo of the allocate()/unallocate() step: allocation role (undefined = none) → this metadata with
   * that allocation role. A mutable cache inside the frozen meta; sound because metas are immutable
   * and the target meta depends only on this meta and the role.
   */
  readonly byAllocation: Map<string | undefined, Meta>;
}

export interface MetaFields {
  name: string;
  type: ValueKind;
  reservations: readonly v1.Resource.ReservationInfo[];
  allocationRole?: string | undefined;
  disk?: v1.Resource.DiskInfo | undefined;
  revocable?: boolean;
  shared?: boolean;
  providerId?: string | undefined;
}

const TYPE_CHAR: Record<ValueKind, string> = { SCALAR: 's', RANGES: 'r', SET: 'e' };

// Interning: the key encodes every field of a Meta, so two metas with equal keys are
// interchangeable (Resources already merges entries by key). Sharing one Meta per key keeps a
// cluster's thousands of agents from each holding their own copies (and their own allocation
// memos). Identity is only an optimisation, never relied on for correctness, so the table is
// simply emptied when it reaches its bound (e.g. many distinct persistent volume ids).
export const INTERN_LIMIT = 20_000;
const interned = new Map<string, Meta>();

/** Number of interned metas (for tests of the bound). */
export function internedMetaCount(): number {
  return interned.size;
}

/** Builds canonical metadata, or returns the interned equal one. Callers pass already-validated fields. */
export function makeMeta(f: MetaFields): Meta {
  const reservations = f.reservations.map(canonicalReservation);
  const extra: unknown[] = [];
  if (reservations.length > 0) extra.push(['R', reservations]);
  if (f.allocationRole !== undefined) extra.push(['A', f.allocationRole]);
  if (f.disk !== undefined) extra.push(['D', f.disk]);
  if (f.revocable) extra.push(['V']);
  if (f.shared) extra.push(['S']);
  if (f.providerId !== undefined) extra.push(['P', f.providerId]);
  // '\u0001' sorts below every printable character, so keys order by name first ('cpus' < 'cpus2').
  const key =
    f.name + '\u0001' + TYPE_CHAR[f.type] + (extra.length > 0 ? '\u0001' + JSON.stringify(extra) : '');
  const existing = interned.get(key);
  if (existing !== undefined) return existing;
  if (interned.size >= INTERN_LIMIT) interned.clear();
  const meta: Meta = Object.freeze({
    name: f.name,
    type: f.type,
    reservations: Object.freeze(reservations),
    role: reservations.length > 0 ? reservations[reservations.length - 1]!.role ?? '*' : '*',
    allocationRole: f.allocationRole,
    disk: f.disk,
    revocable: f.revocable ?? false,
    shared: f.shared ?? false,
    providerId: f.providerId,
    atomic: (f.shared ?? false) || isAtomicDisk(f.disk),
    key,
    byAllocation: new Map<string | undefined, Meta>(),
  });
  interned.set(key, meta);
  return meta;
}

function isAtomicDisk(disk: v1.Resource.DiskInfo | undefined): boolean {
  const source = disk?.source?.type;
  return disk?.persistence !== undefined || source === 'MOUNT' || source === 'BLOCK' || source === 'RAW';
}

/** Fixed field order and sorted labels, so equal reservations serialize identically. */
function canonicalReservation(r: v1.Resource.ReservationInfo): v1.Resource.ReservationInfo {
  const out: v1.Resource.ReservationInfo = {};
  if (r.type !== undefined) out.type = r.type;
  if (r.role !== undefined) out.role = r.role;
  if (r.principal !== undefined) out.principal = r.principal;
  const labels = r.labels?.labels;
  if (labels !== undefined && labels.length > 0) {
    const sorted = labels
      .map((l) => (l.value === undefined ? { key: l.key } : { key: l.key, value: l.value }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : (x.value ?? '') < (y.value ?? '') ? -1 : 1));
    out.labels = { labels: sorted };
  }
  return Object.freeze(out);
}

/**
 * A metadata + value pair. Exactly one of milli/ranges/items is meaningful, per meta.type.
 * Atomic resources do not add up: copies are counted in `count` and their key includes the
 * value. A shared resource's copies are the same resource used several times, so its size
 * counts once in totals; other atomic copies are distinct resources and each counts.
 */
export class Entry {
  private cachedProto: v1.Resource | undefined;

  constructor(
    readonly meta: Meta,
    readonly key: string,
    /** Scalar value in milli-units (SCALAR only). */
    readonly milli: number,
    readonly ranges: RangeList,
    readonly items: ItemList,
    /** Number of copies of an atomic resource; 1 otherwise. */
    readonly count: number,
  ) {}

  // Only atomic entries pay for a value in their key; the others reuse meta.key (hot path).
  static scalar(meta: Meta, milli: number): Entry {
    const key = meta.atomic ? atomicKey(meta, String(milli)) : meta.key;
    return new Entry(meta, key, milli, EMPTY, EMPTY_ITEMS, 1);
  }
  static ranges(meta: Meta, ranges: RangeList): Entry {
    const key = meta.atomic ? atomicKey(meta, ranges.join(',')) : meta.key;
    return new Entry(meta, key, 0, ranges, EMPTY_ITEMS, 1);
  }
  static set(meta: Meta, items: ItemList): Entry {
    const key = meta.atomic ? atomicKey(meta, items.join('\u0002')) : meta.key;
    return new Entry(meta, key, 0, EMPTY, items, 1);
  }

  isEmpty(): boolean {
    switch (this.meta.type) {
      case 'SCALAR':
        return this.milli === 0;
      case 'RANGES':
        return this.ranges.length === 0;
      case 'SET':
        return this.items.length === 0;
    }
  }

  /** Same entry with another metadata (value and count kept). */
  withMeta(meta: Meta): Entry {
    const e =
      meta.type === 'SCALAR'
        ? Entry.scalar(meta, this.milli)
        : meta.type === 'RANGES'
          ? Entry.ranges(meta, this.ranges)
          : Entry.set(meta, this.items);
    return this.count === 1 ? e : new Entry(meta, e.key, e.milli, e.ranges, e.items, this.count);
  }

  /** The v1.Resource form (one copy), deep-frozen and cached: callers must not mutate it. */
  toProto(): v1.Resource {
    this.cachedProto ??= deepFreeze(buildProto(this));
    return this.cachedProto;
  }
}

const EMPTY: RangeList = Object.freeze([]);
const EMPTY_ITEMS: ItemList = Object.freeze([]);

function atomicKey(meta: Meta, value: string): string {
  return meta.key + '\u0001=' + value;
}

/** a + b for entries with equal keys. */
export function addEntries(a: Entry, b: Entry): Entry {
  if (a.meta.atomic) return new Entry(a.meta, a.key, a.milli, a.ranges, a.items, a.count + b.count);
  switch (a.meta.type) {
    case 'SCALAR':
      return Entry.scalar(a.meta, a.milli + b.milli);
    case 'RANGES':
      return Entry.ranges(a.meta, unionRanges(a.ranges, b.ranges));
    case 'SET':
      return Entry.set(a.meta, unionItems(a.items, b.items));
  }
}

/** a ⊇ b for entries with equal keys. */
export function entryContains(a: Entry, b: Entry): boolean {
  if (a.meta.atomic) return a.count >= b.count;
  switch (a.meta.type) {
    case 'SCALAR':
      return a.milli >= b.milli;
    case 'RANGES':
      return rangesContain(a.ranges, b.ranges);
    case 'SET':
      return itemsContain(a.items, b.items);
  }
}

/** a - b for entries with equal keys, given a ⊇ b; undefined when nothing is left. */
export function subtractEntries(a: Entry, b: Entry): Entry | undefined {
  let e: Entry;
  if (a.meta.atomic) {
    if (a.count === b.count) return undefined;
    return new Entry(a.meta, a.key, a.milli, a.ranges, a.items, a.count - b.count);
  }
  switch (a.meta.type) {
    case 'SCALAR':
      e = Entry.scalar(a.meta, a.milli - b.milli);
      break;
    case 'RANGES':
      e = Entry.ranges(a.meta, subtractRanges(a.ranges, b.ranges));
      break;
    case 'SET':
      e = Entry.set(a.meta, subtractItems(a.items, b.items));
      break;
  }
  return e.isEmpty() ? undefined : e;
}

/** Scalar contribution to totals, in milli-units (see Entry on shared copies). */
export function scalarMilli(e: Entry): number {
  return e.meta.shared || e.count === 1 ? e.milli : e.milli * e.count;
}

export function entriesEqual(a: Entry, b: Entry): boolean {
  return (
    a.key === b.key &&
    a.count === b.count &&
    a.milli === b.milli &&
    rangesEqual(a.ranges, b.ranges) &&
    itemsEqual(a.items, b.items)
  );
}

function buildProto(e: Entry): v1.Resource {
  const m = e.meta;
  const r: v1.Resource = { name: m.name, type: m.type };
  if (m.providerId !== undefined) r.provider_id = { value: m.providerId };
  if (m.type === 'SCALAR') r.scalar = { value: fromMilli(e.milli) };
  else if (m.type === 'RANGES') {
    const range: v1.Value.Range[] = [];
    for (let i = 0; i < e.ranges.length; i += 2) {
      range.push({ begin: BigInt(e.ranges[i]!), end: BigInt(e.ranges[i + 1]!) });
    }
    r.ranges = { range };
  } else r.set = { item: [...e.items] };
  if (m.allocationRole !== undefined) r.allocation_info = { role: m.allocationRole };
  if (m.reservations.length > 0) r.reservations = m.reservations.map((x) => structuredClone(x));
  if (m.disk !== undefined) r.disk = structuredClone(m.disk);
  if (m.revocable) r.revocable = {};
  if (m.shared) r.shared = {};
  return r;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
