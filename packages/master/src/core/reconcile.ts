// Reconciliation answers (upstream Master::reconcile), pure. Implicit (no tasks named): the latest state of every
// task the master knows for the framework. Explicit: per named task, its latest state when known, otherwise a
// verdict from what the master knows of the agent. Answers come from the master (SOURCE_MASTER,
// REASON_RECONCILIATION) and carry no uuid, so they are never acknowledged.
import type { v1 } from '@mesos-ts/proto';
import { stateForFramework, type TaskState } from './task-state.js';

export type AgentStanding = 'registered' | 'unreachable' | 'gone' | 'recovered' | 'unknown';

export interface ReconcileView {
  partitionAware: boolean;
  /** Known tasks of the framework (live and unreachable). */
  task(taskId: string): v1.Task | undefined;
  allTasks(): Iterable<v1.Task>;
  agent(agentId: string): AgentStanding;
  /** Agents from the registry have not re-registered yet (after a failover, until the re-register timeout). */
  recoveringAgents: boolean;
}

export function reconcile(view: ReconcileView, query: readonly { task_id: v1.TaskID; agent_id?: v1.AgentID }[], now: number): v1.TaskStatus[] {
  if (query.length === 0) return [...view.allTasks()].map((t) => known(view, t, now));
  const out: v1.TaskStatus[] = [];
  for (const q of query) {
    const task = view.task(q.task_id.value);
    if (task) {
      out.push(known(view, task, now));
      continue;
    }
    const agentId = q.agent_id?.value;
    // Upstream: a task named without its agent may be on an agent that has yet to re-register: say nothing yet.
    if (agentId === undefined && view.recoveringAgents) continue;
    const standing = agentId === undefined ? 'unknown' : view.agent(agentId);
    const verdict: Record<AgentStanding, [TaskState, string] | undefined> = {
      registered: ['TASK_GONE', 'Task is unknown to the agent'],
      unreachable: ['TASK_UNREACHABLE', 'Task is unreachable'],
      gone: ['TASK_GONE_BY_OPERATOR', 'Task is gone'],
      // The agent may still re-register with the task after a master failover: say nothing yet.
      recovered: undefined,
      unknown: ['TASK_UNKNOWN', 'Reconciliation: Task is unknown'],
    };
    const v = verdict[standing];
    if (!v) continue;
    out.push(status(q.task_id, stateForFramework(v[0], view.partitionAware), v[1], q.agent_id, now));
  }
  return out;
}

function known(view: ReconcileView, task: v1.Task, now: number): v1.TaskStatus {
  const latest = task.statuses?.[task.statuses.length - 1];
  const state = stateForFramework(task.state, view.partitionAware);
  const s = status(task.task_id, state, 'Reconciliation: Latest task state', task.agent_id, now);
  if (task.executor_id) s.executor_id = task.executor_id;
  if (latest?.healthy !== undefined) s.healthy = latest.healthy;
  if (latest?.data !== undefined) s.data = latest.data;
  if (latest?.container_status !== undefined) s.container_status = latest.container_status;
  if (task.state === 'TASK_UNREACHABLE' && latest?.unreachable_time) s.unreachable_time = latest.unreachable_time;
  return s;
}

function status(taskId: v1.TaskID, state: TaskState, message: string, agentId: v1.AgentID | undefined, now: number): v1.TaskStatus {
  const s: v1.TaskStatus = { task_id: taskId, state, message, source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', timestamp: now / 1000 };
  if (agentId) s.agent_id = agentId;
  return s;
}
