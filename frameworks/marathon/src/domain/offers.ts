// Offer matching: which app instances to launch on which offers. For each offer, apps short of their
// instance count (and out of backoff) take cpus/mem/disk/gpus and ports from what is left of the offer,
// while their constraints hold against the tasks already placed. Pure: ids come from `uuid`.
import { Resources } from '@mesos-ts/resources';
import { matchResources } from '@mesos-ts/scheduler';
import type { v1 } from '@mesos-ts/proto';
import type { AppDefinition } from './app.js';
import { taskIdFor } from './app-id.js';
import type { Backoff } from './backoff.js';
import { constraintViolation, type OfferFields } from './constraints.js';
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
  now: number;
  uuid: () => string;
}

export interface OfferLaunch {
  offerId: string;
  tasks: v1.TaskInfo[];
  records: TaskRecord[];
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
  const need = new Map(input.apps.map((a) => [a.id, (input.backoff.get(a.id)?.notBefore ?? 0) > input.now ? 0 : deficit(a, input.tasks)]));
  for (const offer of input.offers) {
    let pool = Resources.fromProto(offer.resources ?? []);
    const fields = offerFields(offer);
    const launch: OfferLaunch = { offerId: offer.id.value, tasks: [], records: [] };
    for (const app of input.apps) {
      while ((need.get(app.id) ?? 0) > 0) {
        if (app.acceptedResourceRoles !== undefined && !app.acceptedResourceRoles.includes('*') && !app.acceptedResourceRoles.includes(input.role)) {
          unplaced.set(app.id, `acceptedResourceRoles ${app.acceptedResourceRoles.join(',')} excludes the launcher's role ${input.role}`);
          break;
        }
        const violation = constraintViolation(app.constraints, fields, placed.filter((p) => p.appId === app.id));
        if (violation !== undefined) {
          unplaced.set(app.id, `constraint ${violation} on ${offer.hostname}`);
          break;
        }
        const fixed = app.requirePorts || app.portDefinitions.some((p) => p.port !== 0 && app.requirePorts);
        const match = matchResources(pool, {
          cpus: app.cpus,
          mem: app.mem,
          ...(app.disk > 0 ? { disk: app.disk } : {}),
          ...(app.gpus > 0 ? { gpus: app.gpus } : {}),
          ports: fixed ? app.portDefinitions.map((p) => p.port) : app.portDefinitions.length,
          role: input.role,
        });
        if (!match.ok) {
          unplaced.set(app.id, `${offer.hostname}: ${match.reason}`);
          break;
        }
        pool = pool.subtract(match.resources);
        const taskId = taskIdFor(app.id, input.uuid());
        launch.tasks.push(taskInfo(app, taskId, offer.agent_id.value, offer.hostname, match.resources.toProto(), match.ports));
        launch.records.push({ id: taskId, appId: app.id, version: app.version, agentId: offer.agent_id.value, host: offer.hostname, ports: match.ports, state: 'TASK_STAGING', stagedAt: new Date(input.now).toISOString() });
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
