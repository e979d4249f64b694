import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from './resources.js';
import { ResourcesError } from './errors.js';
import { reservationRole } from './reservation.js';

const R = (text: string) => Resources.parse(text);
const dyn = (role: string, principal = 'p'): v1.Resource.ReservationInfo => ({ type: 'DYNAMIC', role, principal });

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ResourcesError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('Resources arithmetic', () => {
  it('uses 3-decimal fixed point: 0.1 + 0.2 equals 0.3 exactly', () => {
    const sum = R('cpus:0.1').add(R('cpus:0.2'));
    expect(sum.equals(R('cpus:0.3'))).toBe(true);
    expect(sum.scalar('cpus')).toBe(0.3);
    expect(R('cpus:1').subtract(R('cpus:0.9')).scalar('cpus')).toBe(0.1);
  });

  it.each([
    { a: 'cpus:4;mem:1024', b: 'cpus:1', sum: 'cpus(*):5; mem(*):1024', diff: 'cpus(*):3; mem(*):1024' },
    { a: 'ports:[1-10]', b: 'ports:[4-6]', sum: 'ports(*):[1-10]', diff: 'ports(*):[1-3, 7-10]' },
    { a: 'bugs:{a,b,c}', b: 'bugs:{b}', sum: 'bugs(*):{a, b, c}', diff: 'bugs(*):{a, c}' },
    { a: 'cpus:2', b: 'cpus:2', sum: 'cpus(*):4', diff: '' },
    { a: 'cpus(r):2;cpus:1', b: 'cpus(r):2', sum: 'cpus(*):1; cpus(r):4', diff: 'cpus(*):1' },
  ])('$a ± $b', ({ a, b, sum, diff }) => {
    expect(R(a).add(R(b)).toString()).toBe(sum);
    expect(R(a).subtract(R(b)).toString()).toBe(diff);
    expect(R(a).contains(R(b))).toBe(true);
  });

  it.each([
    ['cpus:1', 'cpus:1.001'],
    ['cpus:1', 'mem:1'],
    ['cpus(r):4', 'cpus:1'],
    ['cpus:4', 'cpus(r):1'],
    ['ports:[1-10]', 'ports:[10-11]'],
    ['bugs:{a}', 'bugs:{b}'],
  ])('%s does not contain %s, and subtracting throws INSUFFICIENT', (a, b) => {
    expect(R(a).contains(R(b))).toBe(false);
    expect(codeOf(() => R(a).subtract(R(b)))).toBe('INSUFFICIENT');
  });

  it('explains what is missing', () => {
    expect(() => R('cpus:1;mem:5').subtract(R('cpus:2;mem:1'))).toThrow(
      'insufficient resources: need cpus(*):2 but have cpus(*):1; mem(*):5',
    );
  });

  it('reports totals, names and merged ports', () => {
    const r = R('cpus:1;cpus(a):2.5;mem:10;ports:[1-5];ports(a):[6-8, 20-20];bugs:{x}');
    expect(r.scalar('cpus')).toBe(3.5);
    expect(r.scalar('gpus')).toBe(0);
    expect([...r.scalars()]).toEqual([
      ['cpus', 3.5],
      ['mem', 10],
    ]);
    expect(r.names()).toEqual(['bugs', 'cpus', 'mem', 'ports']);
    expect(r.ports()).toEqual([
      [1, 8],
      [20, 20],
    ]);
    expect(Resources.empty().isEmpty()).toBe(true);
    expect(R('cpus:0').isEmpty()).toBe(true);
  });
});

describe('Resources filters', () => {
  const all = Resources.fromProto([
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'STATIC', role: 'a' }] },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, reservations: [{ type: 'STATIC', role: 'a' }, dyn('a/b')] },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, reservations: [{ type: 'STATIC', role: 'c' }] },
    { name: 'mem', type: 'SCALAR', scalar: { value: 16 }, revocable: {} },
    {
      name: 'disk',
      type: 'SCALAR',
      scalar: { value: 32 },
      reservations: [dyn('a')],
      disk: { persistence: { id: 'v' }, volume: { mode: 'RW', container_path: 'd' } },
      shared: {},
    },
  ]);

  it.each([
    ['reserved()', all.reserved(), 46],
    ["reserved('a')", all.reserved('a'), 34],
    ["reserved('a/b')", all.reserved('a/b'), 4],
    ['unreserved()', all.unreserved(), 17],
    ['revocable()', all.revocable(), 16],
    ['nonRevocable()', all.nonRevocable(), 47],
    ['persistentVolumes()', all.persistentVolumes(), 32],
    ['shared()', all.shared(), 32],
    ['nonShared()', all.nonShared(), 31],
    ["allocatableTo('a')", all.allocatableTo('a'), 51],
    ["allocatableTo('a/b')", all.allocatableTo('a/b'), 55],
    ["allocatableTo('a/b/c')", all.allocatableTo('a/b/c'), 55],
    ["allocatableTo('ab')", all.allocatableTo('ab'), 17],
    ["allocatableTo('*')", all.allocatableTo('*'), 17],
    ["filter(name === 'mem')", all.filter((r) => r.name === 'mem'), 16],
  ])('%s', (_label, got, total) => {
    expect([...got.scalars().values()].reduce((x, y) => x + y, 0)).toBe(total);
  });

  it('hands out frozen protobuf entries with the current role on top of the stack', () => {
    const entries = [...all.reserved('a/b')];
    expect(entries).toHaveLength(1);
    expect(reservationRole(entries[0]!)).toBe('a/b');
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect(Object.isFrozen(entries[0]!.reservations)).toBe(true);
  });
});

describe('Resources metadata', () => {
  it('allocate/unallocate set and clear allocation_info.role', () => {
    const r = R('cpus:1;mem(a):2');
    const alloc = r.allocate('a/b');
    expect(alloc.toString()).toBe('cpus(*)(allocated: a/b):1; mem(a)(allocated: a/b):2');
    expect(alloc.toProto().every((x) => x.allocation_info?.role === 'a/b')).toBe(true);
    expect(alloc.contains(r)).toBe(false);
    expect(alloc.unallocate().equals(r)).toBe(true);
    expect(codeOf(() => r.allocate('bad role'))).toBe('INVALID_ROLE');
  });

  it('merges entries that become identical after unallocate', () => {
    const merged = R('cpus:1').allocate('a').add(R('cpus:2').allocate('b')).unallocate();
    expect(merged.toString()).toBe('cpus(*):3');
  });

  it('pushes refined reservations only to child roles and pops them back', () => {
    const base = R('cpus:2');
    const a = base.pushReservation(dyn('a'));
    const ab = a.pushReservation(dyn('a/b'));
    expect(ab.toString()).toBe('cpus(reservations: [(DYNAMIC,a,p),(DYNAMIC,a/b,p)]):2');
    expect(ab.popReservation().equals(a)).toBe(true);
    expect(ab.popReservation().popReservation().equals(base)).toBe(true);
    expect(codeOf(() => a.pushReservation(dyn('b')))).toBe('INVALID_OPERATION');
    expect(codeOf(() => a.pushReservation(dyn('a')))).toBe('INVALID_OPERATION');
    expect(codeOf(() => base.popReservation())).toBe('INVALID_OPERATION');
    expect(codeOf(() => base.pushReservation({ type: 'DYNAMIC', role: '*' }))).toBe('INVALID_OPERATION');
  });

  it('converts legacy role/reservation fields and emits the reservations stack', () => {
    const legacy = Resources.fromProto([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'a' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 2 }, role: 'a', reservation: { principal: 'p' } },
    ]);
    expect(legacy.toProto()).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'STATIC', role: 'a' }] },
      { name: 'mem', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'DYNAMIC', role: 'a', principal: 'p' }] },
    ]);
  });

  it('downgrades to the legacy form for frameworks without RESERVATION_REFINEMENT', () => {
    const r = Resources.fromProto([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'STATIC', role: 'a' }] },
      { name: 'disk', type: 'SCALAR', scalar: { value: 3 }, reservations: [dyn('a')] },
    ]);
    const legacy = r.toLegacyProto();
    expect(legacy).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*' },
      { name: 'disk', type: 'SCALAR', scalar: { value: 3 }, role: 'a', reservation: { principal: 'p' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 2 }, role: 'a' },
    ]);
    expect(Resources.fromProto(legacy).equals(r)).toBe(true);
    const refined = r.reserved('a').filter((x) => x.name === 'disk').pushReservation(dyn('a/b'));
    expect(codeOf(() => refined.toLegacyProto())).toBe('INVALID_OPERATION');
  });

  it('converts ranges to bigint bounds and back', () => {
    const r = R('ports:[31000-32000]');
    expect(r.toProto()).toEqual([{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000n, end: 32000n }] } }]);
    expect(Resources.fromProto(r.toProto()).equals(r)).toBe(true);
  });

  it('counts copies of shared volumes without adding their size', () => {
    const vol: v1.Resource = {
      name: 'disk',
      type: 'SCALAR',
      scalar: { value: 10 },
      reservations: [dyn('a')],
      disk: { persistence: { id: 'v' }, volume: { mode: 'RO', container_path: 'd' } },
      shared: {},
    };
    const two = Resources.fromProto([vol, vol]);
    expect(two.scalar('disk')).toBe(10);
    expect(two.toProto()).toHaveLength(2);
    expect(two.subtract(Resources.fromProto([vol])).toProto()).toHaveLength(1);
    expect(two.contains(Resources.fromProto([vol, vol, vol]))).toBe(false);
  });
});

describe('atomic resources', () => {
  const mount = (root: string, value: number): v1.Resource => ({
    name: 'disk',
    type: 'SCALAR',
    scalar: { value },
    disk: { source: { type: 'MOUNT', mount: { root } } },
  });

  it('never splits or merges MOUNT disks: identical copies are counted', () => {
    const two = Resources.fromProto([mount('/mnt/1', 100), mount('/mnt/1', 100), mount('/mnt/2', 50)]);
    expect(two.scalar('disk')).toBe(250);
    expect(two.toProto()).toHaveLength(3);
    expect(two.contains(Resources.fromProto([mount('/mnt/1', 60)]))).toBe(false);
    expect(two.subtract(Resources.fromProto([mount('/mnt/1', 100)])).scalar('disk')).toBe(150);
    expect(two.toString()).toBe('disk(*)[MOUNT:/mnt/1]:100; disk(*)[MOUNT:/mnt/1]:100; disk(*)[MOUNT:/mnt/2]:50');
  });

  it('keeps PATH disks divisible', () => {
    const path: v1.Resource = { name: 'disk', type: 'SCALAR', scalar: { value: 100 }, disk: { source: { type: 'PATH', path: { root: '/p' } } } };
    const part: v1.Resource = { ...path, scalar: { value: 40 } };
    expect(Resources.fromProto([path]).subtract(Resources.fromProto([part])).scalar('disk')).toBe(60);
  });
});

describe('Resources.fromProto validation', () => {
  const ok = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } } as const;
  it.each([
    ['negative scalar', { ...ok, scalar: { value: -1 } }, 'negative'],
    ['NaN scalar', { ...ok, scalar: { value: Number.NaN } }, 'not a finite number'],
    ['missing scalar', { name: 'cpus', type: 'SCALAR' }, 'value is missing'],
    ['type/value mismatch', { ...ok, set: { item: ['x'] } }, 'set value is set'],
    ['TEXT type', { name: 'x', type: 'TEXT' }, 'not supported'],
    ['unknown type', { name: 'x', type: 'BOGUS' }, 'not supported'],
    ['empty name', { ...ok, name: '' }, 'non-empty'],
    ['begin > end', { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 5n, end: 1n }] } }, 'begin > end'],
    ['unsafe bound', { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 1n, end: 2n ** 60n }] } }, 'must be an integer'],
    ['reservation to *', { ...ok, reservations: [{ type: 'DYNAMIC', role: '*' }] }, "other than '*'"],
    ['bad reservation type', { ...ok, reservations: [{ role: 'a' }] }, 'STATIC or DYNAMIC'],
    ['non-child refinement', { ...ok, reservations: [dyn('a'), dyn('b')] }, 'child role'],
    ['STATIC above DYNAMIC', { ...ok, reservations: [dyn('a'), { type: 'STATIC', role: 'a/b' }] }, 'STATIC on top'],
    ['stack plus legacy role', { ...ok, role: 'a', reservations: [dyn('a')] }, 'legacy'],
    ['invalid role', { ...ok, role: 'a b' }, 'whitespace'],
    ['disk info on cpus', { ...ok, disk: { persistence: { id: 'x' } } }, "named 'disk'"],
    ['shared non-volume', { ...ok, shared: {} }, 'only persistent volumes'],
  ] as Array<[string, unknown, string]>)('rejects %s', (_label, resource, why) => {
    let err: unknown;
    try {
      Resources.fromProto([resource as v1.Resource]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourcesError);
    expect((err as ResourcesError).code).toMatch(/INVALID_RESOURCE/);
    expect((err as ResourcesError).message).toContain(why);
  });

  it('drops empty values instead of keeping zero entries', () => {
    const r = Resources.fromProto([
      { ...ok, scalar: { value: 0 } },
      { name: 'p', type: 'RANGES', ranges: {} },
      { name: 's', type: 'SET', set: { item: [] } },
    ]);
    expect(r.isEmpty()).toBe(true);
    expect(r.toProto()).toEqual([]);
  });
});
