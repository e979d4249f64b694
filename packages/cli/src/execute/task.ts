// Pure parts of mesos-execute: the FrameworkInfo it subscribes with, the TaskInfo it launches, and which
// offer can hold the task.
import type { v1 } from '@mesos-ts/proto';
import { Resources, ResourcesError } from '@mesos-ts/resources';
import { usage } from '../errors.js';
import type { ExecuteOptions } from './flags.js';

export function frameworkInfo(o: ExecuteOptions, user: string, hostname: string): v1.FrameworkInfo {
  return {
    user,
    name: o.frameworkName,
    hostname,
    roles: [o.role],
    capabilities: [{ type: 'MULTI_ROLE' }],
    checkpoint: o.checkpoint,
    // Throwaway framework: when we go, the master may remove it at once.
    failover_timeout: 0,
    ...(o.principal ? { principal: o.principal } : {}),
  };
}

export function taskResources(o: Pick<ExecuteOptions, 'resources'>): Resources {
  try {
    const res = Resources.parse(o.resources);
    if (res.isEmpty()) throw usage("--resources is empty; give e.g. --resources='cpus:1;mem:128'");
    return res;
  } catch (e) {
    if (e instanceof ResourcesError) throw usage(`--resources: ${e.message}`);
    throw e;
  }
}

/** True when the offer (allocated to `role`) holds the task's resources. */
export function offerFits(offer: v1.Offer, needed: Resources): boolean {
  return Resources.fromProto(offer.resources ?? []).unallocate().contains(needed);
}

export function commandInfo(o: ExecuteOptions): v1.CommandInfo {
  const variables = Object.entries(o.env).map(([name, value]) => ({ name, type: 'VALUE' as const, value }));
  const uris = o.uris.map((value) => ({ value, extract: true }));
  const base: v1.CommandInfo = {
    ...(uris.length > 0 ? { uris } : {}),
    ...(variables.length > 0 ? { environment: { variables } } : {}),
  };
  if (o.shell) return { ...base, shell: true, value: o.command };
  const argv = o.command.trim().split(/\s+/);
  return { ...base, shell: false, value: argv[0] as string, arguments: argv };
}

export function taskInfo(o: ExecuteOptions, offer: v1.Offer, needed: Resources): v1.TaskInfo {
  return {
    name: o.name,
    task_id: { value: o.name },
    agent_id: offer.agent_id,
    resources: needed.allocate(o.role).toProto(),
    command: commandInfo(o),
  };
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
export const isTerminal = (state: string): boolean => TERMINAL.has(state);

/** Lines printed for a status update, upstream style. */
export function describeUpdate(status: v1.TaskStatus): string {
  const lines = [`Received status update ${status.state} for task '${status.task_id.value}'`];
  if (status.message) lines.push(`  message: '${status.message}'`);
  if (status.source) lines.push(`  source: ${status.source}`);
  if (status.reason) lines.push(`  reason: ${status.reason}`);
  return `${lines.join('\n')}\n`;
}
