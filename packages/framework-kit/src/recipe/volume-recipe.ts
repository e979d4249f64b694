// The reservation + persistent-volume recipe for stateful tasks (a Kafka broker, a Cassandra node), pure:
//   first launch  RESERVE the task's resources dynamically for (role, principal), labelled with the member's
//                 persistence id, CREATE a volume with that id on the reserved disk, then LAUNCH on them —
//                 all in one ACCEPT (operations apply in order);
//   restart       an offer carrying the volume (Mesos re-offers it to the role) is matched by id, and the
//                 labelled reservation is reused: the task returns to its data, no operations needed;
//   removal       DESTROY the volume, then UNRESERVE everything labelled for the member.
// Every plan is checked by applying it to the offer's Resources (which enforces Mesos' rules) before it is
// returned, so an impossible plan is a thrown bug here, not a rejected ACCEPT.
import type { v1 } from '@mesos-ts/proto';
import { Resources, isPersistentVolume, reservationRole } from '@mesos-ts/resources';
import { matchResources, type ResourceRequest } from '@mesos-ts/scheduler';

/** Reservation label key that ties reserved resources to the member owning them. */
export const PERSISTENCE_LABEL = 'mesos-ts.persistence-id';

export interface VolumeTaskSpec {
  /** Stable id of the stateful member, e.g. `kafka-broker-0`: the volume's persistence id and the reservation label. */
  persistenceId: string;
  role: string;
  principal: string;
  /** Where the volume is mounted, relative to the sandbox (e.g. `data`). */
  containerPath: string;
  /** Volume size, MB. */
  volumeMb: number;
  /** What the task needs besides its volume. */
  request: Omit<ResourceRequest, 'role' | 'volume' | 'disk'>;
}

export type VolumePlacement =
  | {
      kind: 'launch';
      /** RESERVE + CREATE on first launch, [] when reusing; put the LAUNCH after them in the same ACCEPT. */
      operations: v1.Offer.Operation[];
      /** The resources for the TaskInfo (the volume included). */
      resources: Resources;
      ports: number[];
      /** True when an existing volume is reused (the data is there). */
      reused: boolean;
    }
  | { kind: 'unfit'; reason: string };

export function placeVolumeTask(offer: Pick<v1.Offer, 'resources'>, spec: VolumeTaskSpec): VolumePlacement {
  const pool = usablePool(Resources.fromProto(offer.resources ?? []), spec);
  const taskRequest: ResourceRequest = { ...spec.request, role: spec.role, disk: spec.volumeMb, volume: { persistenceId: spec.persistenceId } };
  const hasVolume = pool.toProto().some((r) => r.disk?.persistence?.id === spec.persistenceId);
  if (hasVolume) {
    const match = matchResources(pool, taskRequest);
    if (!match.ok) return { kind: 'unfit', reason: match.reason };
    return { kind: 'launch', operations: [], resources: match.resources, ports: match.ports, reused: true };
  }
  // First launch: pick what the task and its volume need, reserve the unreserved part of it.
  const needed = matchResources(pool, { ...spec.request, role: spec.role, disk: spec.volumeMb });
  if (!needed.ok) return { kind: 'unfit', reason: needed.reason };
  const toReserve = needed.resources.unreserved();
  const reserved = toReserve.pushReservation(reservationInfo(spec));
  const operations: v1.Offer.Operation[] = [];
  if (!toReserve.isEmpty()) operations.push({ type: 'RESERVE', reserve: { source: toReserve.toProto(), resources: reserved.toProto() } });
  const disks = needed.resources.reserved().add(reserved).filter((r) => r.name === 'disk').toProto();
  const ownDisk = disks[0];
  if (ownDisk === undefined) throw new Error(`volume recipe: no reserved disk for ${spec.persistenceId} after reserving ${reserved.toString()}`);
  if (disks.length > 1) {
    return { kind: 'unfit', reason: `the ${spec.volumeMb} MB volume would span differently reserved disks (${needed.resources.filter((r) => r.name === 'disk').toString()})` };
  }
  const volume: v1.Resource = {
    ...ownDisk,
    scalar: { value: spec.volumeMb },
    disk: { ...ownDisk.disk, persistence: { id: spec.persistenceId, principal: spec.principal }, volume: { container_path: spec.containerPath, mode: 'RW' } },
  };
  operations.push({ type: 'CREATE', create: { volumes: [volume] } });
  const after = applyAll(pool, operations);
  const match = matchResources(after, taskRequest);
  if (!match.ok) throw new Error(`volume recipe: the task does not fit what it just reserved: ${match.reason}`);
  return { kind: 'launch', operations, resources: match.resources, ports: match.ports, reused: false };
}

/** Operations that give a removed member's volume and reservations back (DESTROY deletes the data). */
export function releaseVolumeTask(offer: Pick<v1.Offer, 'resources'>, spec: Pick<VolumeTaskSpec, 'persistenceId' | 'role'>): v1.Offer.Operation[] {
  const all = Resources.fromProto(offer.resources ?? []);
  const operations: v1.Offer.Operation[] = [];
  const volumes = all.filter((r) => r.disk?.persistence?.id === spec.persistenceId && reservationRole(r) === spec.role);
  if (!volumes.isEmpty()) operations.push({ type: 'DESTROY', destroy: { volumes: volumes.toProto() } });
  const afterDestroy = applyAll(all, operations);
  const labelled = afterDestroy.filter((r) => ownedBy(r, spec.persistenceId) && !isPersistentVolume(r));
  if (!labelled.isEmpty()) operations.push({ type: 'UNRESERVE', unreserve: { resources: labelled.toProto() } });
  applyAll(all, operations);
  return operations;
}

/** True when a resource's top reservation is labelled for `persistenceId`. */
export function ownedBy(r: v1.Resource, persistenceId: string): boolean {
  const top = r.reservations?.[r.reservations.length - 1];
  return (top?.labels?.labels ?? []).some((l) => l.key === PERSISTENCE_LABEL && l.value === persistenceId);
}

function reservationInfo(spec: VolumeTaskSpec): v1.Resource.ReservationInfo {
  return { type: 'DYNAMIC', role: spec.role, principal: spec.principal, labels: { labels: [{ key: PERSISTENCE_LABEL, value: spec.persistenceId }] } };
}

/** Unreserved resources, and reservations/volumes of the role that are unlabelled or labelled for this member. */
function usablePool(all: Resources, spec: VolumeTaskSpec): Resources {
  return all.allocatableTo(spec.role).filter((r) => {
    if (r.disk?.persistence !== undefined) return r.disk.persistence.id === spec.persistenceId;
    const top = r.reservations?.[r.reservations.length - 1];
    const label = (top?.labels?.labels ?? []).find((l) => l.key === PERSISTENCE_LABEL);
    return label === undefined || label.value === spec.persistenceId;
  });
}

function applyAll(resources: Resources, operations: readonly v1.Offer.Operation[]): Resources {
  return operations.reduce((r, op) => r.apply(op), resources);
}
