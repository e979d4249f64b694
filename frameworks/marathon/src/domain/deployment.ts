// Deployments: the changes a POST/PUT/DELETE asks for, and what the launcher must kill to converge. An app's
// deployment is done when it has exactly `instances` live tasks, all of its current version and running.
// Rolling replacement follows upgradeStrategy: new-version tasks launch first (over capacity), and old ones
// are killed as new ones run, never leaving fewer than minimumHealthCapacity × instances running. Pure.
import type { AppDefinition } from './app.js';
import { isLive, type TaskRecord } from './task.js';

export interface Deployment {
  id: string;
  version: string;
  affectedApps: string[];
  /** What the deployment does, for GET /v2/deployments: ScaleApplication, RestartApplication, StopApplication, StartApplication. */
  actions: Array<{ action: string; app: string }>;
  /** The definition before the change (for rollback); undefined for a new app. */
  previous?: AppDefinition | undefined;
}

/** Done when the app converged (or, for a deletion, when it has no task left). */
export function deploymentDone(app: AppDefinition | undefined, appId: string, tasks: readonly TaskRecord[]): boolean {
  const mine = tasks.filter((t) => t.appId === appId);
  if (app === undefined) return mine.length === 0;
  const live = mine.filter(isLive);
  return live.length === app.instances && live.every((t) => t.version === app.version && t.state === 'TASK_RUNNING') && mine.every((t) => t.killing !== true || t.version === app.version);
}

/** Tasks to kill now: old versions as replacements run, and extra instances (by killSelection). */
export function tasksToKill(app: AppDefinition, tasks: readonly TaskRecord[]): TaskRecord[] {
  const live = tasks.filter((t) => t.appId === app.id && isLive(t));
  const current = live.filter((t) => t.version === app.version);
  const old = live.filter((t) => t.version !== app.version).sort((a, b) => a.stagedAt.localeCompare(b.stagedAt));
  const kills: TaskRecord[] = [];
  if (current.length > app.instances) {
    const order = [...current].sort((a, b) => a.stagedAt.localeCompare(b.stagedAt));
    if (app.killSelection === 'YOUNGEST_FIRST') order.reverse();
    kills.push(...order.slice(0, current.length - app.instances));
  }
  const runningNew = Math.min(app.instances, current.filter((t) => t.state === 'TASK_RUNNING').length);
  const healthFloor = Math.ceil(app.upgradeStrategy.minimumHealthCapacity * app.instances);
  // Old tasks that may stay: enough to keep the floor with the new ones running, never above instances.
  const keepOld = Math.max(0, Math.min(app.instances - runningNew, healthFloor - runningNew));
  // No room over capacity (a resident app: one reservation per instance): when every new task runs and more
  // must start, free one more slot even below the health floor, or the deployment could never progress.
  const stuck = app.upgradeStrategy.maximumOverCapacity === 0 && current.length < app.instances && current.length === runningNew;
  const room = stuck ? app.instances - current.length - 1 : keepOld;
  kills.push(...old.slice(0, Math.max(0, old.length - Math.min(keepOld, room))));
  return kills;
}
