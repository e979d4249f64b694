// The cluster as the operator API's SUBSCRIBE stream describes it: the SUBSCRIBED snapshot, then one event at
// a time. Pure: `apply(model, event)` returns the next model, so the page re-renders from plain data.
import { scalar, type ResourceJson } from '../common/format.js';

export interface Id { value: string }
export interface TaskStatusJson { state: string; timestamp?: number; message?: string; healthy?: boolean }
export interface TaskJson {
  task_id: Id; framework_id: Id; agent_id?: Id; executor_id?: Id; name: string; state: string;
  resources?: ResourceJson[]; statuses?: TaskStatusJson[];
}
export interface FrameworkJson {
  framework_info: { id?: Id; name: string; user?: string; roles?: string[]; role?: string; hostname?: string };
  active?: boolean; connected?: boolean; allocated_resources?: ResourceJson[]; offered_resources?: ResourceJson[];
}
export interface AgentJson {
  agent_info: { id?: Id; hostname: string; port?: number; attributes?: Array<{ name: string; text?: { value: string }; scalar?: { value: number } }> };
  active?: boolean; total_resources?: ResourceJson[]; allocated_resources?: ResourceJson[]; offered_resources?: ResourceJson[];
}

export interface ClusterModel {
  tasks: Map<string, TaskJson>; // key: framework/task
  frameworks: Map<string, FrameworkJson>;
  agents: Map<string, AgentJson>;
  /** Bumped on every applied event, so views can memoise on it. */
  revision: number;
}

export const emptyModel = (): ClusterModel => ({ tasks: new Map(), frameworks: new Map(), agents: new Map(), revision: 0 });

export const taskKey = (t: { framework_id: Id; task_id: Id }): string => `${t.framework_id.value}/${t.task_id.value}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Event = { type: string; [k: string]: any };

/** The next model after one operator event; unknown events change nothing (forward compatible). */
export function apply(model: ClusterModel, event: Event): ClusterModel {
  const next = { ...model, revision: model.revision + 1 };
  switch (event.type) {
    case 'SUBSCRIBED': {
      const s = event.subscribed?.get_state ?? {};
      const fresh = emptyModel();
      for (const t of [...(s.get_tasks?.tasks ?? []), ...(s.get_tasks?.completed_tasks ?? [])]) fresh.tasks.set(taskKey(t), t);
      for (const f of s.get_frameworks?.frameworks ?? []) if (f.framework_info?.id) fresh.frameworks.set(f.framework_info.id.value, f);
      for (const a of s.get_agents?.agents ?? []) if (a.agent_info?.id) fresh.agents.set(a.agent_info.id.value, a);
      return { ...fresh, revision: next.revision };
    }
    case 'TASK_ADDED': {
      const t: TaskJson = event.task_added.task;
      next.tasks = new Map(model.tasks).set(taskKey(t), t);
      return next;
    }
    case 'TASK_UPDATED': {
      const u = event.task_updated;
      const key = `${u.framework_id.value}/${u.status.task_id.value}`;
      const old = model.tasks.get(key);
      const task: TaskJson = old
        ? { ...old, state: u.state, statuses: [...(old.statuses ?? []), u.status] }
        : { task_id: u.status.task_id, framework_id: u.framework_id, agent_id: u.status.agent_id, name: u.status.task_id.value, state: u.state, statuses: [u.status] };
      next.tasks = new Map(model.tasks).set(key, task);
      return next;
    }
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const raw = event.framework_added ?? event.framework_updated;
      const f: FrameworkJson = raw.framework ?? raw;
      if (f.framework_info?.id) next.frameworks = new Map(model.frameworks).set(f.framework_info.id.value, f);
      return next;
    }
    case 'FRAMEWORK_REMOVED': {
      const id: string | undefined = event.framework_removed?.framework_info?.id?.value;
      if (id) { next.frameworks = new Map(model.frameworks); next.frameworks.delete(id); }
      return next;
    }
    case 'AGENT_ADDED': {
      const a: AgentJson = event.agent_added.agent;
      if (a.agent_info?.id) next.agents = new Map(model.agents).set(a.agent_info.id.value, a);
      return next;
    }
    case 'AGENT_REMOVED': {
      const id: string | undefined = event.agent_removed?.agent_id?.value;
      if (id) { next.agents = new Map(model.agents); next.agents.delete(id); }
      return next;
    }
    default:
      return model;
  }
}

export const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

/** Task counts by state, for the overview. */
export function countByState(tasks: Iterable<TaskJson>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

/** A resource held by live tasks: the operator stream's agent views are snapshots, its tasks are kept current. */
export function usedByTasks(model: ClusterModel, name: 'cpus' | 'mem' | 'disk'): number {
  let used = 0;
  for (const task of model.tasks.values()) if (!TERMINAL.has(task.state)) used += scalar(task.resources, name);
  return Math.round(used * 1000) / 1000;
}
