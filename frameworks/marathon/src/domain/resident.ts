// Resident apps: instances tied to a local persistent volume (`container.volumes[].persistent`, `residency`).
// Each instance owns a *reservation* on one agent: the first launch RESERVEs its resources for the launcher's
// role (labelled with the instance's persistence id), CREATEs the volume and LAUNCHes in one ACCEPT
// (framework-kit's volume recipe); when its task ends, the instance waits for an offer from that same agent
// carrying its volume and relaunches there with its data (Marathon's taskLostBehavior WAIT_FOREVER).
// Scaling down keeps the reservation (a later scale-up reuses it, as Marathon does); deleting the app, or
// killing a task with `wipe=true`, releases it: DESTROY the volume, then UNRESERVE. Pure.
import type { v1 } from '@mesos-ts/proto';
import { ownedBy, placeVolumeTask, releaseVolumeTask, type VolumePlacement } from '@mesos-ts/framework-kit';
import { isPersistent, type AppDefinition, type PersistentVolume } from './app.js';
import type { TaskRecord } from './task.js';

/** One instance's reservation and volume on its agent. */
export interface Resident {
  /** The volume's persistence id and the reservation label: `<app path with _ for />#data#<uuid>`. */
  id: string;
  appId: string;
  agentId: string;
  host: string;
  containerPath: string;
}

export function persistentVolumeOf(app: AppDefinition): PersistentVolume | undefined {
  return app.container?.volumes.find(isPersistent);
}

export const isResident = (app: AppDefinition): boolean => persistentVolumeOf(app) !== undefined;

export function residentIdFor(appId: string, containerPath: string, uuid: string): string {
  return `${appId.slice(1).replaceAll('/', '_')}#${containerPath}#${uuid}`;
}

/** Residents of an app on this agent whose instance has no task alive (they can relaunch now). */
export function idleResidents(residents: readonly Resident[], app: AppDefinition, agentId: string, tasks: readonly TaskRecord[], claimed: ReadonlySet<string>): Resident[] {
  // A task still known (even one being killed) holds its volume until its terminal update removes it.
  const busy = new Set(tasks.map((t) => t.residentId).filter((id) => id !== undefined));
  return residents.filter((r) => r.appId === app.id && r.agentId === agentId && !busy.has(r.id) && !claimed.has(r.id));
}

/** Places one instance of a resident app on an offer: on its existing volume, or on a new reservation. */
export function placeResident(offer: Pick<v1.Offer, 'resources'>, app: AppDefinition, persistenceId: string, role: string, principal: string, ports: number | number[]): VolumePlacement {
  const volume = persistentVolumeOf(app)!;
  return placeVolumeTask(offer, {
    persistenceId,
    role,
    principal,
    containerPath: volume.containerPath,
    volumeMb: volume.persistent.size,
    request: { cpus: app.cpus, mem: app.mem, ...(app.gpus > 0 ? { gpus: app.gpus } : {}), ports },
  });
}

/** True when the offer carries this resident's volume (so a relaunch there finds its data). */
export function offerHasVolume(offer: Pick<v1.Offer, 'resources'>, resident: Resident): boolean {
  return (offer.resources ?? []).some((r) => r.disk?.persistence?.id === resident.id);
}

export interface ReleasePlan {
  /** Per offer: the DESTROY/UNRESERVE operations that give released residents' resources back. */
  accepts: Array<{ offerId: string; operations: v1.Offer.Operation[] }>;
  /** Residents whose resources were all found and released. */
  released: string[];
}

/** For residents being released (app deleted, wipe): the operations on offers that carry their resources. */
export function planReleases(offers: readonly v1.Offer[], releasing: readonly Resident[], role: string): ReleasePlan {
  const accepts: ReleasePlan['accepts'] = [];
  const released: string[] = [];
  for (const offer of offers) {
    const operations: v1.Offer.Operation[] = [];
    let resources = offer.resources ?? [];
    for (const r of releasing.filter((x) => x.agentId === offer.agent_id.value)) {
      if (!resources.some((res) => ownedBy(res, r.id) || res.disk?.persistence?.id === r.id)) continue;
      operations.push(...releaseVolumeTask({ resources }, { persistenceId: r.id, role }));
      resources = resources.filter((res) => !ownedBy(res, r.id) && res.disk?.persistence?.id !== r.id);
      released.push(r.id);
    }
    if (operations.length > 0) accepts.push({ offerId: offer.id.value, operations });
  }
  return { accepts, released };
}

/**
 * True when the task that was to create its instance's reservation ended before it could run (an invalid or
 * refused ACCEPT): the reservation and volume may not exist, so the instance must not wait for them forever.
 */
export function reservationFailed(task: Pick<TaskRecord, 'reserving' | 'startedAt'>, status: Pick<v1.TaskStatus, 'state' | 'reason'>): boolean {
  if (task.reserving !== true || task.startedAt !== undefined) return false;
  return status.state === 'TASK_ERROR' || status.state === 'TASK_DROPPED' || status.reason === 'REASON_INVALID_OFFERS';
}
