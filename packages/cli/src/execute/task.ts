// Pure parts of mesos-execute: the FrameworkInfo it subscribes with, the TaskInfo it launches, and which
// offer can hold the task.
import type { v1 } from '@mesos-ts/proto';
import { Resources, ResourcesError } from '@mesos-ts/resources';
import { usage } from '../errors.js';
import type { MasterStateJson } from '../mesos/state-model.js';
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

/** One agent's total resources as /master/slaves reports them (unreserved, plus what is reserved for `role`). */
export interface AgentCapacity {
  id: string;
  hostname: string;
  total: Resources;
}

/** The agents of a /master/slaves answer, with the resources each could ever offer to `role`. */
export function agentCapacities(slaves: unknown, role: string): AgentCapacity[] {
  const list = (slaves as Pick<MasterStateJson, 'slaves'> | undefined)?.slaves ?? [];
  return list.flatMap((a) => {
    if (a.active === false || a.id === undefined) return [];
    const text = Object.entries(a.unreserved_resources ?? {})
      .filter(([, v]) => v !== 0 && v !== '')
      .map(([k, v]) => `${k}:${String(v)}`)
      .join(';');
    try {
      const unreserved = text === '' ? Resources.empty() : Resources.parse(text);
      const reserved = Resources.fromProto(a.reserved_resources_full?.[role] ?? []);
      return [{ id: a.id, hostname: a.hostname ?? '?', total: unreserved.add(reserved) }];
    } catch {
      return []; // An agent whose resources we cannot read is not evidence either way.
    }
  });
}

/**
 * Why the task can never launch, or undefined while it still may: some agent is registered, and none of them
 * holds `needed` even when idle. (With no agent at all, one may still register.)
 */
export function neverFits(agents: readonly AgentCapacity[], needed: Resources, asWritten = needed.toString()): string | undefined {
  if (agents.length === 0 || agents.some((a) => a.total.contains(needed))) return undefined;
  const listed = agents.map((a) => `${a.id} (${a.hostname}): ${a.total.toString()}`).join('; ');
  return `no agent can ever offer ${asWritten}: ${agents.length === 1 ? 'the registered agent has' : `the ${agents.length} registered agents have`} ${listed}. Lower --resources, or start an agent with more (mesos-agent --resources=…)`;
}
