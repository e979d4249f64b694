import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from './resources.js';
import { ResourcesError } from './errors.js';

const dyn = (role: string): v1.Resource.ReservationInfo => ({ type: 'DYNAMIC', role, principal: 'ops' });
const disk = (value: number, reservations: v1.Resource.ReservationInfo[] = []): v1.Resource => ({
  name: 'disk',
  type: 'SCALAR',
  scalar: { value },
  ...(reservations.length > 0 ? { reservations } : {}),
});
const volume = (id: string, value: number, role = 'kafka', extra: Partial<v1.Resource> = {}): v1.Resource => ({
  ...disk(value, [dyn(role)]),
  disk: { persistence: { id }, volume: { mode: 'RW', container_path: 'data' } },
  ...extra,
});
const reserveOp = (...resources: v1.Resource[]): v1.Offer.Operation => ({ type: 'RESERVE', reserve: { resources } });
const unreserveOp = (...resources: v1.Resource[]): v1.Offer.Operation => ({ type: 'UNRESERVE', unreserve: { resources } });
const createOp = (...volumes: v1.Resource[]): v1.Offer.Operation => ({ type: 'CREATE', create: { volumes } });
const destroyOp = (...volumes: v1.Resource[]): v1.Offer.Operation => ({ type: 'DESTROY', destroy: { volumes } });

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ResourcesError) return e.code;
    throw e;
  }
  return 'no error';
}

const agent = Resources.parse('cpus:4;mem:1024;disk:100');
const reserved = agent.apply(reserveOp(disk(60, [dyn('kafka')])));
const withVolume = reserved.apply(createOp(volume('v1', 40)));

describe('apply', () => {
  it('RESERVE moves unreserved resources into a dynamic reservation', () => {
    expect(reserved.toString()).toBe('cpus(*):4; disk(*):40; disk(reservations: [(DYNAMIC,kafka,ops)]):60; mem(*):1024');
  });

  it('RESERVE refines a reservation to a child role', () => {
    const refined = reserved.apply(reserveOp(disk(10, [dyn('kafka'), dyn('kafka/prod')])));
    expect(refined.reserved('kafka/prod').scalar('disk')).toBe(10);
    expect(refined.reserved('kafka').scalar('disk')).toBe(50);
  });

  it('RESERVE honours an explicit source and rejects a wrong one', () => {
    const op: v1.Offer.Operation = { type: 'RESERVE', reserve: { resources: [disk(5, [dyn('a')])], source: [disk(5)] } };
    expect(agent.apply(op).reserved('a').scalar('disk')).toBe(5);
    const wrong: v1.Offer.Operation = { type: 'RESERVE', reserve: { resources: [disk(5, [dyn('a')])], source: [disk(6)] } };
    expect(codeOf(() => agent.apply(wrong))).toBe('INVALID_OPERATION');
  });

  it('UNRESERVE returns reserved resources to the pool', () => {
    expect(reserved.apply(unreserveOp(disk(60, [dyn('kafka')]))).equals(agent)).toBe(true);
  });

  it('CREATE carves a volume out of reserved disk and DESTROY puts it back', () => {
    expect(withVolume.toString()).toBe(
      'cpus(*):4; disk(*):40; disk(reservations: [(DYNAMIC,kafka,ops)])[v1:data]:40; disk(reservations: [(DYNAMIC,kafka,ops)]):20; mem(*):1024',
    );
    expect(withVolume.persistentVolumes().scalar('disk')).toBe(40);
    expect(withVolume.apply(destroyOp(volume('v1', 40))).equals(reserved)).toBe(true);
  });

  it('LAUNCH and LAUNCH_GROUP leave the totals alone', () => {
    expect(withVolume.apply({ type: 'LAUNCH' })).toBe(withVolume);
    expect(withVolume.apply({ type: 'LAUNCH_GROUP' })).toBe(withVolume);
  });

  it.each([
    ['RESERVE of unreserved resources', () => agent.apply(reserveOp(disk(1))), 'INVALID_OPERATION'],
    ['RESERVE with a STATIC reservation', () => agent.apply(reserveOp({ ...disk(1), role: 'a' })), 'INVALID_OPERATION'],
    ['RESERVE without the source present', () => agent.apply(reserveOp(disk(101, [dyn('kafka')]))), 'INSUFFICIENT'],
    ['RESERVE refining to a non-child', () => reserved.apply(reserveOp(disk(1, [dyn('kafka'), dyn('other')]))), 'INVALID_RESOURCE'],
    ['RESERVE refining what is not reserved', () => agent.apply(reserveOp(disk(1, [dyn('kafka'), dyn('kafka/x')]))), 'INSUFFICIENT'],
    ['RESERVE of a volume', () => agent.apply(reserveOp(volume('v', 1))), 'INVALID_OPERATION'],
    ['RESERVE with nothing', () => agent.apply({ type: 'RESERVE', reserve: { resources: [] } }), 'INVALID_OPERATION'],
    ['UNRESERVE of unreserved resources', () => agent.apply(unreserveOp(disk(1))), 'INVALID_OPERATION'],
    ['UNRESERVE of more than is reserved', () => reserved.apply(unreserveOp(disk(61, [dyn('kafka')]))), 'INSUFFICIENT'],
    ['UNRESERVE while a volume uses the disk', () => withVolume.apply(unreserveOp(disk(60, [dyn('kafka')]))), 'VOLUME_EXISTS'],
    ['UNRESERVE of the volume itself', () => withVolume.apply(unreserveOp(volume('v1', 40))), 'VOLUME_EXISTS'],
    ['CREATE on unreserved disk', () => agent.apply(createOp({ ...volume('v', 1), reservations: undefined })), 'INVALID_OPERATION'],
    ['CREATE without persistence', () => reserved.apply(createOp(disk(1, [dyn('kafka')]))), 'INVALID_OPERATION'],
    ['CREATE with a used persistence id', () => withVolume.apply(createOp(volume('v1', 10))), 'DUPLICATE_PERSISTENCE_ID'],
    ['CREATE with the same id twice', () => reserved.apply(createOp(volume('x', 1), volume('x', 2))), 'DUPLICATE_PERSISTENCE_ID'],
    ['CREATE bigger than the reservation', () => reserved.apply(createOp(volume('v2', 61))), 'INSUFFICIENT'],
    ['CREATE on another role', () => reserved.apply(createOp(volume('v2', 1, 'other'))), 'INSUFFICIENT'],
    ['DESTROY of a missing volume', () => withVolume.apply(destroyOp(volume('nope', 40))), 'UNKNOWN_VOLUME'],
    ['DESTROY with a wrong size', () => withVolume.apply(destroyOp(volume('v1', 39))), 'UNKNOWN_VOLUME'],
    ['DESTROY of plain disk', () => withVolume.apply(destroyOp(disk(1, [dyn('kafka')]))), 'INVALID_OPERATION'],
    ['an unsupported type', () => agent.apply({ type: 'GROW_VOLUME' }), 'INVALID_OPERATION'],
  ] as Array<[string, () => unknown, string]>)('refuses %s', (_label, run, code) => {
    expect(codeOf(run)).toBe(code);
  });

  it('allows the same persistence id under another role', () => {
    const twoRoles = withVolume.apply(reserveOp(disk(10, [dyn('other')])));
    expect(twoRoles.apply(createOp(volume('v1', 10, 'other'))).persistentVolumes().scalar('disk')).toBe(50);
  });

  it('refuses to DESTROY a shared volume that is still held twice', () => {
    const shared = volume('s', 10, 'kafka', { shared: {} });
    const once = reserved.apply(createOp(shared));
    expect(once.shared().scalar('disk')).toBe(10);
    const held = once.add(Resources.fromProto([shared]));
    expect(codeOf(() => held.apply(destroyOp(shared)))).toBe('VOLUME_IN_USE');
    expect(once.apply(destroyOp(shared)).equals(reserved)).toBe(true);
  });

  it('says what to do in its messages', () => {
    expect(() => withVolume.apply(unreserveOp(disk(60, [dyn('kafka')])))).toThrow(/DESTROY them first/);
    expect(() => agent.apply(createOp({ ...volume('v', 1), reservations: undefined }))).toThrow(/RESERVE the disk/);
  });
});
