// A small pure record of the framework's tasks and whether their state is known since the last (re)subscribe,
// which drives explicit reconciliation: after every subscription each non-terminal task is "unconfirmed"
// until a status update (from the agent, or the master answering a reconcile) arrives for it.
import type { scheduler, v1 } from '@mesos-ts/proto';
import { isTerminalState } from './task-state.js';

export interface TrackedTask {
  taskId: string;
  agentId: string | undefined;
  state: v1.TaskState;
  /** When the state was last set (ms, the caller's clock). */
  updatedAt: number;
  /** True once a status for this task arrived after the latest subscription. */
  confirmed: boolean;
  /** The last status, if any arrived (the launch itself has none). */
  lastStatus: v1.TaskStatus | undefined;
}

export class TaskTracker {
  private readonly byId = new Map<string, TrackedTask>();

  /** A task was just launched (or is known from persisted state): STAGING until told otherwise. */
  launched(taskId: string, agentId: string | undefined, now: number): void {
    this.byId.set(taskId, { taskId, agentId, state: 'TASK_STAGING', updatedAt: now, confirmed: true, lastStatus: undefined });
  }

  /** Records a status; returns the tracked task. Unknown task ids are tracked too (the master knows better). */
  update(status: v1.TaskStatus, now: number): TrackedTask {
    const id = status.task_id.value;
    const before = this.byId.get(id);
    const task: TrackedTask = {
      taskId: id,
      agentId: status.agent_id?.value ?? before?.agentId,
      state: status.state,
      updatedAt: now,
      confirmed: true,
      lastStatus: status,
    };
    this.byId.set(id, task);
    return task;
  }

  /** A new subscription began: every non-terminal task's state must be confirmed again. */
  subscribed(): void {
    for (const task of this.byId.values()) if (!isTerminalState(task.state)) task.confirmed = false;
  }

  /** Non-terminal tasks whose state is not known since the last subscription, as a RECONCILE call lists them. */
  unconfirmed(): scheduler.Call.Reconcile.Task[] {
    const out: scheduler.Call.Reconcile.Task[] = [];
    for (const t of this.byId.values()) {
      if (t.confirmed || isTerminalState(t.state)) continue;
      out.push(t.agentId === undefined ? { task_id: { value: t.taskId } } : { task_id: { value: t.taskId }, agent_id: { value: t.agentId } });
    }
    return out;
  }

  get(taskId: string): TrackedTask | undefined {
    return this.byId.get(taskId);
  }

  all(): TrackedTask[] {
    return [...this.byId.values()];
  }

  active(): TrackedTask[] {
    return this.all().filter((t) => !isTerminalState(t.state));
  }

  forget(taskId: string): void {
    this.byId.delete(taskId);
  }
}
