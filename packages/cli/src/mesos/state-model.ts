// The parts of the master's and agents' v0 `/state` JSON the `mesos` command reads, and pure lookups over
// them (which tasks exist, where a task runs, where its sandbox is). The JSON is untrusted input: every
// field is optional here and missing ones render as '-'.
import type { v1 } from '@mesos-ts/proto';
import { CliError } from '../errors.js';

export type FlatResources = Readonly<Record<string, number | string | undefined>>;

export interface TaskJson {
  id: string;
  name?: string;
  framework_id: string;
  executor_id?: string;
  slave_id: string;
  state: string;
  resources?: FlatResources;
  statuses?: ReadonlyArray<{ state: string; timestamp?: number }>;
}

export interface FrameworkJson {
  id: string;
  name?: string;
  role?: string;
  roles?: readonly string[];
  principal?: string;
  active?: boolean;
  connected?: boolean;
  used_resources?: FlatResources;
  tasks?: readonly TaskJson[];
  completed_tasks?: readonly TaskJson[];
  unreachable_tasks?: readonly TaskJson[];
}

export interface AgentJson {
  id: string;
  pid?: string;
  hostname?: string;
  port?: number;
  active?: boolean;
  resources?: FlatResources;
  used_resources?: FlatResources;
  unreserved_resources?: FlatResources;
  reserved_resources?: Readonly<Record<string, FlatResources>>;
  /** Per role, the reserved resources as Resource protobuf JSON (with their reservations). */
  reserved_resources_full?: Readonly<Record<string, v1.Resource[]>>;
  attributes?: Readonly<Record<string, string | number>>;
}

export interface MasterStateJson {
  id?: string;
  hostname?: string;
  leader?: string;
  leader_info?: { hostname?: string; port?: number; address?: { ip?: string; port?: number } };
  slaves?: readonly AgentJson[];
  frameworks?: readonly FrameworkJson[];
  completed_frameworks?: readonly FrameworkJson[];
}

export interface TaskRef {
  task: TaskJson;
  framework: FrameworkJson;
  agent: AgentJson | undefined;
  active: boolean;
}

/** Every task the master knows: live ones, then completed ones (of live and completed frameworks). */
export function allTasks(state: MasterStateJson): TaskRef[] {
  const agents = new Map((state.slaves ?? []).map((a) => [a.id, a]));
  const out: TaskRef[] = [];
  const frameworks = [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])];
  for (const framework of frameworks) {
    for (const task of [...(framework.tasks ?? []), ...(framework.unreachable_tasks ?? [])]) out.push({ task, framework, agent: agents.get(task.slave_id), active: true });
  }
  for (const framework of frameworks) {
    for (const task of framework.completed_tasks ?? []) out.push({ task, framework, agent: agents.get(task.slave_id), active: false });
  }
  return out;
}

/**
 * The task named by `query`: an exact task id, else the unique task whose id starts with it. A live task wins
 * over completed ones with the same id (ids are reused across runs).
 */
export function findTask(state: MasterStateJson, query: string): TaskRef {
  const tasks = allTasks(state);
  const exact = tasks.filter((t) => t.task.id === query);
  if (exact.length > 0) return exact[0] as TaskRef;
  const prefix = tasks.filter((t) => t.task.id.startsWith(query));
  const ids = [...new Set(prefix.map((t) => t.task.id))];
  if (ids.length === 1) return prefix[0] as TaskRef;
  if (ids.length > 1) throw new CliError('NOT_FOUND', `'${query}' matches several tasks (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); give more of the id`);
  throw new CliError('NOT_FOUND', `no task '${query}' on this cluster; 'mesos ps --all' lists the tasks`);
}

/** `host:port` of an agent's HTTP server, from its pid (`slave(1)@host:port`) or hostname and port. */
export function agentAddress(agent: AgentJson): string {
  const m = /@(.+:\d+)$/.exec(agent.pid ?? '');
  if (m) return m[1] as string;
  return `${agent.hostname ?? '127.0.0.1'}:${agent.port ?? 5051}`;
}

/** The agent named by `query`: its id, its hostname, its `host:port`, or its `hostname` attribute. */
export function findAgent(state: MasterStateJson, query: string): AgentJson {
  const agents = state.slaves ?? [];
  const hits = agents.filter((a) => a.id === query || agentAddress(a) === query || a.hostname === query || String(a.attributes?.['hostname'] ?? '') === query);
  if (hits.length === 1) return hits[0] as AgentJson;
  if (hits.length > 1) throw new CliError('NOT_FOUND', `'${query}' names several agents (${hits.map((a) => a.id).join(', ')}); pass the agent id`);
  const known = agents.map((a) => `${a.id} (${agentAddress(a)})`).join(', ');
  throw new CliError('NOT_FOUND', `no agent '${query}'; known agents: ${known || 'none'}`);
}

/** Seconds the task has run: from its first status to its terminal status, or to `nowSecs` while live. */
export function taskSeconds(task: TaskJson, nowSecs: number, active: boolean): number {
  const stamps = (task.statuses ?? []).map((s) => s.timestamp ?? NaN).filter((t) => Number.isFinite(t));
  if (stamps.length === 0) return NaN;
  const start = Math.min(...stamps);
  return (active ? nowSecs : Math.max(...stamps)) - start;
}

// ---- agent /state -------------------------------------------------------------------------------------

interface AgentExecutorJson {
  id?: string;
  directory?: string;
  tasks?: ReadonlyArray<{ id: string }>;
  queued_tasks?: ReadonlyArray<{ id: string }>;
  completed_tasks?: ReadonlyArray<{ id: string }>;
}

interface AgentFrameworkJson {
  id?: string;
  executors?: readonly AgentExecutorJson[];
  completed_executors?: readonly AgentExecutorJson[];
}

export interface AgentStateJson {
  frameworks?: readonly AgentFrameworkJson[];
  completed_frameworks?: readonly AgentFrameworkJson[];
}

/** The sandbox directory of the executor that ran `taskId` of `frameworkId`; the newest run wins. */
export function sandboxOf(state: AgentStateJson, frameworkId: string, taskId: string): string | undefined {
  const frameworks = [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])].filter((f) => f.id === frameworkId);
  for (const fw of frameworks) {
    for (const ex of [...(fw.executors ?? []), ...[...(fw.completed_executors ?? [])].reverse()]) {
      const ids = [...(ex.tasks ?? []), ...(ex.queued_tasks ?? []), ...(ex.completed_tasks ?? [])].map((t) => t.id);
      if (ids.includes(taskId) && ex.directory) return ex.directory;
    }
  }
  return undefined;
}
