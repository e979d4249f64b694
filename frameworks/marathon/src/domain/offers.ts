// Offer matching: which app instances to launch on which offers. For each offer, apps short of their
// instance count (and out of backoff) take cpus/mem/disk/gpus and ports from what is left of the offer,
// while their constraints hold against the tasks already placed. Resident apps (a persistent volume) launch on
// their own reservation, or reserve a new one while they have fewer than `instances` (resident.ts).
// Pure: ids come from `uuid`.
import { PERSISTENCE_LABEL } from '@mesos-ts/framework-kit';
import { Resources } from '@mesos-ts/resources';
import { matchResources } from '@mesos-ts/scheduler';
import type { v1 } from '@mesos-ts/proto';
import type { AppDefinition } from './app.js';
import { taskIdFor } from './app-id.js';
import type { Backoff } from './backoff.js';
import { constraintViolation, type OfferFields } from './constraints.js';
import { idleResidents, isResident, offerHasVolume, placeResident, residentIdFor, persistentVolumeOf, type Resident } from './resident.js';
import { isLive, type TaskRecord } from './task.js';
import { taskInfo } from './task-info.js';

export interface OfferPlanInput {
  apps: readonly AppDefinition[];
  tasks: readonly TaskRecord[];
  /** Field values (hostname, attributes) of the agent each existing task runs on, by agent id. */
  agentFields: ReadonlyMap<string, OfferFields>;
  backoff: ReadonlyMap<string, Backoff>;
  offers: readonly v1.Offer[];
  role: string;
  /** Principal of the launcher's reservations. */
  principal: string;
  residents: readonly Resident[];
  now: number;
  uuid: () => string;
}

export interface OfferLaunch {
  offerId: string;
  /** RESERVE/CREATE for new residents, applied before the LAUNCH in the same ACCEPT. */
  operations: v1.Offer.Operation[];
  tasks: v1.TaskInfo[];
  records: TaskRecord[];
  /** Reservations this launch creates (to be stored before the ACCEPT is sent). */
  residents: Resident[];
}

export interface OfferPlan {
  launches: OfferLaunch[];
  declines: string[];
  /** Why apps still short of instances fit no offer (for lastTaskFailure-like diagnostics and logs). */
  unplaced: Map<string, string>;
}

export function offerFields(offer: Pick<v1.Offer, 'hostname' | 'attributes'>): OfferFields {
  const fields: OfferFields = { hostname: offer.hostname };
  for (const a of offer.attributes ?? []) {
    fields[a.name] = a.text?.value ?? (a.scalar !== undefined ? String(a.scalar.value) : (a.set?.item ?? []).join(','));
  }
  return fields;
}

/** How many more tasks each app needs. */
export function deficit(app: AppDefinition, tasks: readonly TaskRecord[]): number {
  return Math.max(0, app.instances - tasks.filter((t) => t.appId === app.id && t.version === app.version && isLive(t)).length);
}

export function planOffers(input: OfferPlanInput): OfferPlan {
  const launches: OfferLaunch[] = [];
  const declines: string[] = [];
  const unplaced = new Map<string, string>();
  const placed = input.tasks.filter(isLive).map((t) => ({ appId: t.appId, fields: input.agentFields.get(t.agentId) ?? { hostname: t.host } }));
  // Values seen in this round's offers (not every agent ever seen: a gone agent would hold an empty group forever).
  const known = input.offers.map(offerFields);
  const claimed = new Set<string>();
  const residents = [...input.residents];
  // Reservations of resident instances are theirs alone: other apps take unreserved resources only.
  const unlabelled = (r: v1.Resource): boolean => r.disk?.persistence === undefined && !(r.reservations ?? []).some((x) => (x.labels?.labels ?? []).some((l) => l.key === PERSISTENCE_LABEL));
  const need = new Map(input.apps.map((a) => [a.id, (input.backoff.get(a.id)?.notBefore ?? 0) > input.now ? 0 : deficit(a, input.tasks)]));
  for (const offer of input.offers) {
    let pool = Resources.fromProto(offer.resources ?? []);
    const fields = offerFields(offer);
    const launch: OfferLaunch = { offerId: offer.id.value, operations: [], tasks: [], records: [], residents: [] };
    for (const app of input.apps) {
      while ((need.get(app.id) ?? 0) > 0) {
        if (app.acceptedResourceRoles !== undefined && !app.acceptedResourceRoles.includes('*') && !app.acceptedResourceRoles.includes(input.role)) {
          unplaced.set(app.id, `acceptedResourceRoles ${app.acceptedResourceRoles.join(',')} excludes the launcher's role ${input.role}`);
          break;
        }
        const violation = constraintViolation(app.constraints, fields, placed.filter((p) => p.appId === app.id), known);
        if (violation !== undefined) {
          unplaced.set(app.id, `constraint ${violation} on ${offer.hostname}`);
          break;
        }
        const fixed = app.requirePorts || app.portDefinitions.some((p) => p.port !== 0 && app.requirePorts);
        const ports = fixed ? app.portDefinitions.map((p) => p.port) : app.portDefinitions.length;
        let match: { ok: true; resources: Resources; ports: number[] } | { ok: false; reason: string };
        let residentId: string | undefined;
        let reserving = false;
        if (isResident(app)) {
          const spot = residentSpot(app, offer, pool, ports, input, residents, claimed, launch);
          if (!spot.ok) {
            unplaced.set(app.id, spot.reason);
            break;
          }
          residentId = spot.residentId;
          reserving = spot.reserving;
          pool = spot.pool;
          match = spot;
        } else {
          match = matchResources(pool.filter(unlabelled), { cpus: app.cpus, mem: app.mem, ...(app.disk > 0 ? { disk: app.disk } : {}), ...(app.gpus > 0 ? { gpus: app.gpus } : {}), ports, role: input.role });
        }
        if (!match.ok) {
          unplaced.set(app.id, `${offer.hostname}: ${match.reason}`);
          break;
        }
        pool = pool.subtract(match.resources);
        const taskId = taskIdFor(app.id, input.uuid());
        launch.tasks.push(taskInfo(app, taskId, offer.agent_id.value, offer.hostname, match.resources.toProto(), match.ports));
        launch.records.push({ id: taskId, appId: app.id, version: app.version, agentId: offer.agent_id.value, host: offer.hostname, ports: match.ports, state: 'TASK_STAGING', stagedAt: new Date(input.now).toISOString(), ...(residentId === undefined ? {} : { residentId }), ...(reserving ? { reserving } : {}) });
        placed.push({ appId: app.id, fields });
        need.set(app.id, (need.get(app.id) ?? 0) - 1);
        unplaced.delete(app.id);
      }
    }
    if (launch.tasks.length > 0) launches.push(launch);
    else declines.push(offer.id.value);
  }
  return { launches, declines, unplaced };
}

type ResidentSpot = { ok: true; resources: Resources; ports: number[]; pool: Resources; residentId: string; reserving: boolean } | { ok: false; reason: string };

/**
 * Where one more instance of a resident app goes on this offer: an idle reservation of the app on this agent
 * whose volume the offer carries, else a new reservation while the app has fewer than `instances` of them.
 * An instance whose reservation is on another agent waits for that agent (it never moves: its data is there).
 */
function residentSpot(app: AppDefinition, offer: v1.Offer, pool: Resources, ports: number | number[], input: OfferPlanInput, residents: Resident[], claimed: Set<string>, launch: OfferLaunch): ResidentSpot {
  const offered = { resources: pool.toProto() };
  const idle = idleResidents(residents, app, offer.agent_id.value, input.tasks, claimed).find((r) => offerHasVolume(offered, r));
  const own = residents.filter((r) => r.appId === app.id).length;
  if (idle === undefined && own >= app.instances) return { ok: false, reason: `every instance has its reservation elsewhere; waiting for offers from those agents` };
  const residentId = idle?.id ?? residentIdFor(app.id, persistentVolumeOf(app)!.containerPath, input.uuid());
  const placed = placeResident(offered, app, residentId, input.role, input.principal, ports);
  if (placed.kind === 'unfit') return { ok: false, reason: `${offer.hostname}: ${placed.reason}` };
  claimed.add(residentId);
  if (idle === undefined) {
    const resident: Resident = { id: residentId, appId: app.id, agentId: offer.agent_id.value, host: offer.hostname, containerPath: persistentVolumeOf(app)!.containerPath };
    residents.push(resident);
    launch.residents.push(resident);
    launch.operations.push(...placed.operations);
  }
  return { ok: true, resources: placed.resources, ports: placed.ports, pool: placed.operations.reduce((r, op) => r.apply(op), pool), residentId, reserving: idle === undefined };
}
