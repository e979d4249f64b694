// Algebra laws of Resources and the inverse pairs of offer operations, checked with fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from './resources.js';

const STACKS: v1.Resource.ReservationInfo[][] = [
  [],
  [{ type: 'STATIC', role: 'a' }],
  [{ type: 'DYNAMIC', role: 'a', principal: 'p' }],
  [{ type: 'STATIC', role: 'a' }, { type: 'DYNAMIC', role: 'a/b' }],
  [{ type: 'STATIC', role: 'b' }],
];

const stack = fc.constantFrom(...STACKS);
const withStack = (r: v1.Resource, s: v1.Resource.ReservationInfo[]): v1.Resource => (s.length > 0 ? { ...r, reservations: s } : r);

/** Scalars on a 1/1000 grid plus some off-grid values to exercise rounding. */
const scalarValue = fc.oneof(
  fc.integer({ min: 0, max: 50_000 }).map((m) => m / 1000),
  fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }),
);

const scalar: fc.Arbitrary<v1.Resource> = fc
  .tuple(fc.constantFrom('cpus', 'mem', 'disk'), scalarValue, stack, fc.boolean())
  .map(([name, value, s, revocable]) =>
    withStack({ name, type: 'SCALAR', scalar: { value }, ...(revocable && name !== 'disk' ? { revocable: {} } : {}) }, s),
  );

/**
 * Range and set addition is union (as in Mesos), so `a + b - b = a` holds only when a and b
 * share no port or item; `half` picks one of two disjoint universes for those values.
 */
const ports = (half: number): fc.Arbitrary<v1.Resource> =>
  fc
    .tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 10 })), { maxLength: 4 }), stack)
    .map(([pairs, s]) =>
      withStack(
        {
          name: 'ports',
          type: 'RANGES',
          ranges: { range: pairs.map(([b, n]) => ({ begin: BigInt(half * 100 + b), end: BigInt(half * 100 + b + n) })) },
        },
        s,
      ),
    );

const bugs = (half: number): fc.Arbitrary<v1.Resource> =>
  fc
    .tuple(fc.subarray(half === 0 ? ['a', 'b', 'c', 'd'] : ['e', 'f', 'g', 'h']), stack)
    .map(([item, s]) => withStack({ name: 'bugs', type: 'SET', set: { item } }, s));

const resourcesIn = (half: number): fc.Arbitrary<Resources> =>
  fc.array(fc.oneof(scalar, scalar, ports(half), bugs(half)), { maxLength: 8 }).map((l) => Resources.fromProto(l));
/** Any resources; `other` never overlaps `resources` in ports or set items. */
const resources = resourcesIn(0);
const other = resourcesIn(1);
const unreserved = resources.map((r) => r.unreserved().nonRevocable());

/** Sum of scalars by name, ignoring every kind of metadata. */
const totals = (r: Resources): Record<string, number> => Object.fromEntries(r.scalars());

const RUNS = { numRuns: 200 };

describe('Resources algebra (property)', () => {
  it('a + b - b = a (disjoint ranges/sets), and a + b contains both', () => {
    fc.assert(
      fc.property(resources, other, (a, b) => {
        const sum = a.add(b);
        expect(sum.subtract(b).equals(a)).toBe(true);
        expect(sum.contains(a) && sum.contains(b)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a contains a, a - a is empty, and empty is the identity', () => {
    fc.assert(
      fc.property(resources, (a) => {
        expect(a.contains(a)).toBe(true);
        expect(a.subtract(a).isEmpty()).toBe(true);
        expect(a.add(Resources.empty()).equals(a)).toBe(true);
        expect(a.contains(Resources.empty())).toBe(true);
      }),
      RUNS,
    );
  });

  it('add is commutative and associative (with overlapping ranges/sets too)', () => {
    fc.assert(
      fc.property(resources, resources, other, (a, b, c) => {
        expect(a.add(b).equals(b.add(a))).toBe(true);
        expect(a.add(b).add(c).equals(a.add(b.add(c)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('subtraction of contained resources never goes negative and is undone by add', () => {
    fc.assert(
      fc.property(resources, resources, (x, b) => {
        const a = x.add(b); // contains b, with overlapping ranges/sets allowed
        const diff = a.subtract(b);
        expect(diff.add(b).equals(a)).toBe(true);
        for (const v of diff.scalars().values()) expect(v).toBeGreaterThan(0);
        for (const [name, v] of a.scalars()) {
          expect(diff.scalar(name)).toBeCloseTo(v - b.scalar(name), 9);
        }
      }),
      RUNS,
    );
  });

  it('contains agrees with subtract: one throws exactly when the other is false', () => {
    fc.assert(
      fc.property(resources, resources, fc.boolean(), (x, b, grow) => {
        const a = grow ? x.add(b) : x;
        let threw = false;
        try {
          a.subtract(b);
        } catch {
          threw = true;
        }
        expect(threw).toBe(!a.contains(b));
      }),
      RUNS,
    );
  });

  it('scalars are fixed-point: totals are exact sums of values rounded to 3 decimals', () => {
    fc.assert(
      fc.property(fc.array(scalarValue, { maxLength: 10 }), (values) => {
        const r = values.reduce(
          (acc, value) => acc.add(Resources.fromProto([{ name: 'cpus', type: 'SCALAR', scalar: { value } }])),
          Resources.empty(),
        );
        const milli = values.reduce((acc, v) => acc + Math.round(v * 1000), 0);
        expect(r.scalar('cpus')).toBe(milli / 1000);
      }),
      RUNS,
    );
    expect(Resources.parse('cpus:0.1').add(Resources.parse('cpus:0.2')).equals(Resources.parse('cpus:0.3'))).toBe(true);
  });

  it('round-trips through toProto/fromProto, and entries are canonical (no zero values)', () => {
    fc.assert(
      fc.property(resources, (a) => {
        const proto = a.toProto();
        expect(Resources.fromProto(proto).equals(a)).toBe(true);
        for (const r of proto) {
          if (r.type === 'SCALAR') expect(r.scalar!.value).toBeGreaterThan(0);
          if (r.type === 'RANGES') expect(r.ranges!.range!.length).toBeGreaterThan(0);
          if (r.type === 'SET') expect(r.set!.item!.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('unreserved resources round-trip through their text form', () => {
    fc.assert(
      fc.property(unreserved, (a) => {
        expect(Resources.parse(a.toString()).equals(a)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('offer operations (property)', () => {
  const dyn = (role: string): v1.Resource.ReservationInfo => ({ type: 'DYNAMIC', role, principal: 'p' });
  const role = fc.constantFrom('a', 'b', 'eng/kafka');

  it('RESERVE then UNRESERVE is the identity and conserves totals', () => {
    fc.assert(
      fc.property(unreserved, unreserved, role, (part, rest, r) => {
        fc.pre(!part.isEmpty());
        const agent = part.add(rest);
        const target = part.pushReservation(dyn(r)).toProto();
        const reserved = agent.apply({ type: 'RESERVE', reserve: { resources: target } });
        expect(totals(reserved)).toEqual(totals(agent));
        expect(reserved.reserved(r).equals(Resources.fromProto(target))).toBe(true);
        const back = reserved.apply({ type: 'UNRESERVE', unreserve: { resources: target } });
        expect(back.equals(agent)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refining a reservation to a child role and unreserving it again is the identity', () => {
    fc.assert(
      fc.property(unreserved, (part) => {
        fc.pre(!part.isEmpty());
        const agent = part.pushReservation(dyn('a'));
        const target = agent.pushReservation(dyn('a/x')).toProto();
        const refined = agent.apply({ type: 'RESERVE', reserve: { resources: target } });
        expect(refined.allocatableTo('a/x').equals(refined)).toBe(true);
        expect(refined.allocatableTo('a').isEmpty()).toBe(true);
        expect(refined.apply({ type: 'UNRESERVE', unreserve: { resources: target } }).equals(agent)).toBe(true);
      }),
      RUNS,
    );
  });

  it('CREATE then DESTROY is the identity and conserves totals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        unreserved,
        (size, spare, shared, rest) => {
          const reservedDisk: v1.Resource = { name: 'disk', type: 'SCALAR', scalar: { value: size + spare }, reservations: [dyn('a')] };
          const agent = Resources.fromProto([reservedDisk]).add(rest);
          const volume: v1.Resource = {
            name: 'disk',
            type: 'SCALAR',
            scalar: { value: size },
            reservations: [dyn('a')],
            disk: { persistence: { id: 'v' }, volume: { mode: 'RW', container_path: 'data' } },
            ...(shared ? { shared: {} } : {}),
          };
          const created = agent.apply({ type: 'CREATE', create: { volumes: [volume] } });
          expect(totals(created)).toEqual(totals(agent));
          expect(created.persistentVolumes().scalar('disk')).toBe(size);
          const destroyed = created.apply({ type: 'DESTROY', destroy: { volumes: [volume] } });
          expect(destroyed.equals(agent)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
