// Offer operations on resources, with Mesos' rules (docs/persistent-volume.md, reservation.md):
//   RESERVE    push a DYNAMIC reservation; the source (the same resources with that reservation
//              popped: unreserved, or reserved to the parent role when refining) must be present.
//   UNRESERVE  pop the top DYNAMIC reservation; refused while a persistent volume lives on it.
//   CREATE     carve persistent volumes out of reserved disk; persistence ids unique per role.
//   DESTROY    turn volumes back into plain reserved disk; the volume must be present.
//   LAUNCH / LAUNCH_GROUP leave the totals unchanged (tasks use resources, they don't convert them).
// Applied to an agent's total resources, the per-role id check covers the whole agent.
import type { v1 } from '@mesos-ts/proto';
import { ResourcesError } from './errors.js';
import { isDynamicallyReserved, isPersistentVolume, reservationRole } from './reservation.js';

/**
 * The Resources operations this module needs. Declared structurally (Resources implements it)
 * so that resources.ts can call in here without an import cycle.
 */
export interface OperandResources<R> extends Iterable<v1.Resource> {
  add(other: R): R;
  subtract(other: R): R;
  contains(other: R): boolean;
  equals(other: R): boolean;
  isEmpty(): boolean;
  persistentVolumes(): R;
  shared(): R;
  popReservation(): R;
  toString(): string;
}

type FromProto<R> = (list: readonly v1.Resource[]) => R;

export function applyOperation<R extends OperandResources<R>>(
  res: R,
  op: v1.Offer.Operation,
  fromProto: FromProto<R>,
): R {
  const list = (items: readonly v1.Resource[] | undefined, field: string): R =>
    required(items, String(op.type), field, fromProto);
  switch (op.type) {
    case 'LAUNCH':
    case 'LAUNCH_GROUP':
      return res;
    case 'RESERVE':
      return reserve(res, op, fromProto);
    case 'UNRESERVE':
      return unreserve(res, list(op.unreserve?.resources, 'unreserve.resources'), fromProto);
    case 'CREATE':
      return create(res, list(op.create?.volumes, 'create.volumes'), op.create?.volumes ?? [], fromProto);
    case 'DESTROY':
      return destroy(res, list(op.destroy?.volumes, 'destroy.volumes'), fromProto);
    default:
      throw invalid(
        `operation type '${String(op.type)}' is not supported here (use LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE or DESTROY)`,
      );
  }
}

function reserve<R extends OperandResources<R>>(res: R, op: v1.Offer.Operation, fromProto: FromProto<R>): R {
  const target = required(op.reserve?.resources, 'RESERVE', 'reserve.resources', fromProto);
  for (const r of target) {
    if (!isDynamicallyReserved(r)) {
      throw invalid(`RESERVE of ${r.name} needs a DYNAMIC reservation on top of its reservations`);
    }
    if (isPersistentVolume(r)) {
      throw invalid(`RESERVE of ${r.name} must not carry a persistent volume (CREATE it after reserving)`);
    }
  }
  const source = target.popReservation();
  const given = op.reserve?.source;
  if (given !== undefined && given.length > 0 && !fromProto(given).equals(source)) {
    throw invalid(`reserve.source must equal the reserved resources with the new reservation removed (${source})`);
  }
  if (!res.contains(source)) {
    throw new ResourcesError(
      'INSUFFICIENT',
      `RESERVE needs ${source} to be present but only ${res.toString() || 'nothing'} is available`,
    );
  }
  return res.subtract(source).add(target);
}

function unreserve<R extends OperandResources<R>>(res: R, target: R, fromProto: FromProto<R>): R {
  for (const r of target) {
    if (isPersistentVolume(r)) {
      throw new ResourcesError(
        'VOLUME_EXISTS',
        `cannot UNRESERVE persistent volume ${r.disk?.persistence?.id}: DESTROY the volume first, then unreserve its disk`,
      );
    }
    if (!isDynamicallyReserved(r)) {
      throw invalid(`UNRESERVE of ${r.name} needs a DYNAMIC reservation on top (static reservations come from --resources)`);
    }
  }
  if (!res.contains(target)) {
    if (withoutVolumes(res, fromProto).contains(target)) {
      throw new ResourcesError(
        'VOLUME_EXISTS',
        `cannot UNRESERVE ${target}: persistent volumes still live on that reservation; DESTROY them first`,
      );
    }
    throw new ResourcesError(
      'INSUFFICIENT',
      `UNRESERVE needs ${target} to be present but only ${res.toString() || 'nothing'} is available`,
    );
  }
  return res.subtract(target).add(target.popReservation());
}

/** `list` is the raw operation input: identical volumes would be merged in `volumes`. */
function create<R extends OperandResources<R>>(
  res: R,
  volumes: R,
  list: readonly v1.Resource[],
  fromProto: FromProto<R>,
): R {
  const seen = new Set<string>();
  for (const v of res.persistentVolumes()) seen.add(idKey(v));
  for (const v of list) {
    if (!isPersistentVolume(v) || v.disk?.volume === undefined) {
      throw invalid(`CREATE needs disk.persistence.id and disk.volume (container_path, mode) on every volume`);
    }
    if (reservationRole(v) === '*') {
      throw invalid(
        `persistent volume ${v.disk.persistence!.id} cannot be created on unreserved disk; RESERVE the disk to a role first`,
      );
    }
    const key = idKey(v);
    if (seen.has(key)) {
      throw new ResourcesError(
        'DUPLICATE_PERSISTENCE_ID',
        `persistence id '${v.disk.persistence!.id}' is already used by role '${reservationRole(v)}' on this agent; choose another id`,
      );
    }
    seen.add(key);
  }
  const source = withoutVolumes(volumes, fromProto);
  if (!res.contains(source)) {
    throw new ResourcesError(
      'INSUFFICIENT',
      `CREATE needs reserved ${source} to be present but only ${res.toString() || 'nothing'} is available`,
    );
  }
  return res.subtract(source).add(volumes);
}

function destroy<R extends OperandResources<R>>(res: R, volumes: R, fromProto: FromProto<R>): R {
  for (const v of volumes) {
    if (!isPersistentVolume(v)) throw invalid(`DESTROY needs disk.persistence.id on every volume (${v.name} has none)`);
  }
  if (!res.contains(volumes)) {
    throw new ResourcesError(
      'UNKNOWN_VOLUME',
      `cannot DESTROY ${volumes}: no such volume among ${res.persistentVolumes().toString() || 'no volumes'}`,
    );
  }
  const left = res.subtract(volumes);
  const leftIds = new Set([...left.persistentVolumes()].map(idKey));
  for (const v of volumes.shared()) {
    if (leftIds.has(idKey(v))) {
      throw new ResourcesError(
        'VOLUME_IN_USE',
        `shared volume ${v.disk?.persistence?.id} is still in use; retry after its users finish`,
      );
    }
  }
  return left.add(withoutVolumes(volumes, fromProto));
}

/** The disk a volume was carved from: persistence, volume and shared markers removed. */
function withoutVolumes<R extends OperandResources<R>>(res: R, fromProto: FromProto<R>): R {
  const list: v1.Resource[] = [];
  // A shared volume yields the same frozen object per copy, but its disk was carved once.
  const sharedSeen = new Set<v1.Resource>();
  for (const r of res) {
    if (r.shared !== undefined) {
      if (sharedSeen.has(r)) continue;
      sharedSeen.add(r);
    }
    if (!isPersistentVolume(r)) {
      list.push(r);
      continue;
    }
    const { persistence: _p, volume: _v, ...disk } = r.disk!;
    const { shared: _s, disk: _d, ...rest } = r;
    list.push(Object.keys(disk).length > 0 ? { ...rest, disk } : rest);
  }
  return fromProto(list);
}

function idKey(v: v1.Resource): string {
  return `${reservationRole(v)}\u0000${v.disk?.persistence?.id}`;
}

function required<R extends OperandResources<R>>(
  list: readonly v1.Resource[] | undefined,
  type: string,
  field: string,
  fromProto: FromProto<R>,
): R {
  if (list === undefined || list.length === 0) throw invalid(`${type} needs a non-empty '${field}'`);
  const res = fromProto(list);
  if (res.isEmpty()) throw invalid(`${type} '${field}' are all empty (zero scalars or empty ranges/sets)`);
  return res;
}

function invalid(message: string): ResourcesError {
  return new ResourcesError('INVALID_OPERATION', message);
}
