// The app as Marathon's GET answers show it: the definition plus counts, tasks, deployments and the last failure.
import type { AppDefinition } from '../domain/app.js';
import type { Deployment } from '../domain/deployment.js';
import type { TaskFailure, TaskRecord } from '../domain/task.js';

export function taskJson(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    appId: t.appId,
    host: t.host,
    slaveId: t.agentId,
    ports: t.ports,
    state: t.state,
    stagedAt: t.stagedAt,
    startedAt: t.startedAt ?? null,
    version: t.version,
    ...(t.residentId === undefined ? {} : { localVolumes: [{ containerPath: t.residentId.split('#')[1], persistenceId: t.residentId }] }),
    ...(t.healthy === undefined ? {} : { healthCheckResults: [{ alive: t.healthy, taskId: t.id, consecutiveFailures: t.healthy ? 0 : 1 }] }),
  };
}

export function appJson(app: AppDefinition, tasks: readonly TaskRecord[], deployments: readonly Deployment[], failure: TaskFailure | undefined, embed: ReadonlySet<string>): Record<string, unknown> {
  const live = tasks.filter((t) => t.killing !== true);
  const out: Record<string, unknown> = {
    ...app,
    ports: app.portDefinitions.map((p) => p.port),
    uris: app.fetch.map((f) => f.uri),
    container: app.container ?? null,
    tasksStaged: live.filter((t) => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING').length,
    tasksRunning: live.filter((t) => t.state === 'TASK_RUNNING').length,
    tasksHealthy: live.filter((t) => t.healthy === true).length,
    tasksUnhealthy: live.filter((t) => t.healthy === false).length,
    deployments: deployments.map((d) => ({ id: d.id })),
    versionInfo: { lastScalingAt: app.version, lastConfigChangeAt: app.version },
  };
  if (embed.has('tasks')) out.tasks = tasks.map(taskJson);
  if (embed.has('lastTaskFailure') && failure !== undefined) out.lastTaskFailure = failure;
  return out;
}
