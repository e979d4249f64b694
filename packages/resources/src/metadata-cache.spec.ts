// The caches and shortcuts behind the hot paths (interned metas, the per-meta allocation memo, allocate()'s
// remembered unallocated form, the validated-role set, filters that answer their receiver, identity checks)
// must never change a result: every cached answer is checked against one rebuilt from protobuf, which skips
// the memo and the remembered forms.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { v1 } from '@mesos-ts/proto';
import { INTERN_LIMIT, internedMetaCount, makeMeta } from './entry.js';
import { ResourcesError } from './errors.js';
import { Resources } from './resources.js';

const ROLES = ['a', 'a/b', 'web', 'eng/x/y'];
const role = fc.constantFrom(...ROLES);
const maybeRole = fc.option(role, { nil: undefined });

const STACKS: v1.Resource.ReservationInfo[][] = [
  [],
  [{ type: 'STATIC', role: 'a' }],
  [{ type: 'DYNAMIC', role: 'a', principal: 'p', labels: { labels: [{ key: 'k', value: 'v' }] } }],
  [{ type: 'STATIC', role: 'a' }, { type: 'DYNAMIC', role: 'a/b' }],
];

/** One protobuf resource of any kind the caches treat differently: divisible, atomic (MOUNT, shared volume). */
const proto: fc.Arbitrary<v1.Resource> = fc
  .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 4000 }), fc.constantFrom(...STACKS), maybeRole, fc.boolean())
  .map(([kind, n, reservations, allocated, revocable]) => {
    const base: v1.Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: n / 1000 } };
    if (kind === 1) Object.assign(base, { name: 'mem', scalar: { value: n } });
    if (kind === 2) Object.assign(base, { name: 'ports', type: 'RANGES', scalar: undefined, ranges: { range: [{ begin: BigInt(n), end: BigInt(n + (n % 7)) }] } });
    if (kind === 3) Object.assign(base, { name: 'bugs', type: 'SET', scalar: undefined, set: { item: [`i${n % 5}`, `j${n % 3}`] } });
    if (kind === 4) Object.assign(base, { name: 'disk', scalar: { value: 64 }, disk: { source: { type: 'MOUNT', mount: { root: `/m${n % 2}` } } } });
    if (kind === 5) {
      Object.assign(base, {
        name: 'disk',
        scalar: { value: 32 },
        disk: { persistence: { id: `v${n % 2}` }, volume: { mode: 'RW', container_path: 'data' } },
        shared: {},
      });
    }
    if (reservations.length > 0) base.reservations = reservations;
    if (allocated !== undefined) base.allocation_info = { role: allocated };
    if (revocable && kind <= 1) base.revocable = {};
    if (base.scalar === undefined) delete base.scalar;
    return base;
  });

const protos = fc.array(proto, { maxLength: 8 });

/** Rebuilt from protobuf with allocation_info set to `to` (undefined: removed), without allocate()/unallocate(). */
function rebuilt(r: Resources, to: string | undefined): Resources {
  return Resources.fromProto(
    r.toProto().map((p) => {
      const { allocation_info: _dropped, ...rest } = p;
      return to === undefined ? rest : { ...rest, allocation_info: { role: to } };
    }),
  );
}

const same = (x: Resources, y: Resources): void => {
  expect(x.equals(y)).toBe(true);
  expect(x.toString()).toBe(y.toString());
};

const RUNS = { numRuns: 200 };

describe('metadata caches (property)', () => {
  it('allocate and unallocate agree with resources rebuilt from protobuf, in any sequence', () => {
    fc.assert(
      fc.property(protos, fc.array(maybeRole, { minLength: 1, maxLength: 5 }), (list, steps) => {
        let r = Resources.fromProto(list);
        for (const to of steps) {
          const next = to === undefined ? r.unallocate() : r.allocate(to);
          same(next, rebuilt(r, to));
          r = next;
        }
      }),
      RUNS,
    );
  });

  it('round trip: allocate then unallocate gives back resources equal to the unallocated form', () => {
    fc.assert(
      fc.property(protos, role, (list, to) => {
        const r = Resources.fromProto(list);
        same(r.allocate(to).unallocate(), rebuilt(r, undefined));
        const plain = r.unallocate();
        same(plain.allocate(to).unallocate(), plain);
      }),
      RUNS,
    );
  });

  it('add, subtract and contains on allocated forms match the same work done before allocating', () => {
    fc.assert(
      fc.property(protos, protos, role, (xs, ys, to) => {
        const a = Resources.fromProto(xs).unallocate();
        const b = Resources.fromProto(ys).unallocate();
        const sum = a.add(b);
        same(a.allocate(to).add(b.allocate(to)), sum.allocate(to));
        same(sum.allocate(to).subtract(b.allocate(to)), sum.subtract(b).allocate(to));
        expect(sum.allocate(to).contains(b.allocate(to))).toBe(true);
        expect(sum.allocate(to).contains(b)).toBe(b.isEmpty());
      }),
      RUNS,
    );
  });

  it('identity shortcuts (a - a, a contains a, a equals a) agree with an equal copy', () => {
    fc.assert(
      fc.property(protos, (list) => {
        const a = Resources.fromProto(list);
        const copy = Resources.fromProto(a.toProto());
        expect(a.contains(copy) && copy.contains(a)).toBe(true);
        expect(a.equals(copy)).toBe(true);
        expect(a.subtract(copy).isEmpty()).toBe(true);
        same(a.subtract(a), a.subtract(copy));
      }),
      RUNS,
    );
  });

  it('filters answer the same values as filtering the protobuf form', () => {
    const cases: [(r: Resources) => Resources, (p: v1.Resource) => boolean][] = [
      [(r) => r.unreserved(), (p) => (p.reservations ?? []).length === 0],
      [(r) => r.reserved(), (p) => (p.reservations ?? []).length > 0],
      [(r) => r.nonRevocable(), (p) => p.revocable === undefined],
      [(r) => r.nonShared(), (p) => p.shared === undefined],
      [(r) => r.allocatableTo('a/b'), (p) => ['a', 'a/b', undefined].includes(p.reservations?.at(-1)?.role)],
    ];
    fc.assert(
      fc.property(protos, (list) => {
        const r = Resources.fromProto(list);
        for (const [apply, keep] of cases) same(apply(r), Resources.fromProto(r.toProto().filter(keep)));
      }),
      RUNS,
    );
  });
});

describe('metadata caches', () => {
  it('interns metas: equal fields give the same object; the allocation memo gives the key a fresh build would', () => {
    const fields = { name: 'cpus', type: 'SCALAR' as const, reservations: [{ type: 'STATIC' as const, role: 'a' }] };
    const m = makeMeta(fields);
    expect(makeMeta({ ...fields, reservations: [{ role: 'a', type: 'STATIC' }] })).toBe(m);
    expect(makeMeta({ ...fields, revocable: true })).not.toBe(m);
    const allocated = Resources.fromProto([{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: fields.reservations }]).allocate('web');
    expect(m.byAllocation.get('web')?.key).toBe(makeMeta({ ...fields, allocationRole: 'web' }).key);
    expect(allocated.toProto()[0]?.allocation_info).toEqual({ role: 'web' });
  });

  it('keeps the intern table bounded', () => {
    for (let i = 0; i <= INTERN_LIMIT; i++) makeMeta({ name: `bounded-${i}`, type: 'SCALAR', reservations: [] });
    expect(internedMetaCount()).toBeLessThanOrEqual(INTERN_LIMIT);
    // Metas made before the table was emptied still work with new ones of the same key.
    const a = Resources.parse('bounded-0:1');
    expect(a.add(Resources.parse('bounded-0:2')).toString()).toBe('bounded-0(*):3');
  });

  it('rejects an invalid role on every call, however often valid ones were seen', () => {
    const r = Resources.parse('cpus:1');
    for (const to of ['a', 'a', 'a/b']) r.allocate(to);
    for (const target of [r, Resources.empty()]) {
      for (let i = 0; i < 2; i++) {
        expect(() => target.allocate('bad role')).toThrow(ResourcesError);
        expect(() => target.allocate('a//b')).toThrow(ResourcesError);
      }
    }
  });
});
