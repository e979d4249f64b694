// What happens when the agent cannot accept a RUN_TASK / RUN_TASK_GROUP (a checkpoint write fails, a volume
// cannot be linked…): every task of it still gets a terminal update with the reason, never silence, and a
// framework with a launch in progress is kept (its records are not removed under the launch).
import { randomUUID } from 'node:crypto';
import type { v1 } from '@mesos-ts/proto';
import type { AgentContext } from './agent-context.js';
import type { Termination } from './containerizer.js';
import { hasCapability, isTerminal, type ExecutorRec, type FrameworkRec } from './model.js';

/** Count of launches being accepted, per framework id. */
export class PendingLaunches {
  private readonly counts = new Map<string, number>();

  begin(fwId: string): void {
    this.counts.set(fwId, (this.counts.get(fwId) ?? 0) + 1);
  }

  end(fwId: string): void {
    const left = (this.counts.get(fwId) ?? 1) - 1;
    if (left > 0) this.counts.set(fwId, left);
    else this.counts.delete(fwId);
  }

  has(fwId: string): boolean {
    return this.counts.has(fwId);
  }
}

/** The terminal update of a task the agent could not accept: DROPPED for partition-aware frameworks, else FAILED. */
export function launchFailedStatus(fw: v1.FrameworkInfo, task: v1.TaskInfo, why: string, agentId: string, nowSecs: number): v1.TaskStatus {
  return {
    task_id: task.task_id,
    state: hasCapability(fw, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_FAILED',
    source: 'SOURCE_AGENT',
    reason: 'REASON_CONTAINER_LAUNCH_FAILED',
    message: `Failed to launch the task on the agent: ${why}`,
    agent_id: { value: agentId },
    ...(task.executor ? { executor_id: task.executor.executor_id } : {}),
    timestamp: nowSecs,
    uuid: Uint8Array.from(Buffer.from(randomUUID().replace(/-/g, ''), 'hex')),
  };
}

/**
 * Ends every task of a launch that failed with `why`: through its executor when it reached one, else straight
 * through the status update manager (there is nothing to log it under). Executors made for the launch but
 * never started are settled with `exited` (they would otherwise wait in 'launching' forever).
 */
export async function failLaunch(
  agent: AgentContext,
  fw: FrameworkRec,
  tasks: readonly v1.TaskInfo[],
  created: readonly ExecutorRec[],
  why: string,
  exited: (ex: ExecutorRec, t: Termination) => Promise<void>,
): Promise<void> {
  agent.log.error({ framework_id: fw.id, tasks: tasks.map((t) => t.task_id.value), err: why }, 'failed to accept a launch');
  for (const t of tasks) {
    const status = launchFailedStatus(fw.info, t, why, agent.requireAgentId(), agent.clock.now() / 1000);
    const ex = fw.taskIndex.get(t.task_id.value);
    const task = ex?.tasks.get(t.task_id.value);
    if (ex && task) {
      if (!isTerminal(task.state)) await agent.agentUpdate(ex, t.task_id.value, status.state, status.reason, status.message);
    } else {
      await agent.sum.update(fw.id, status, undefined);
    }
  }
  for (const ex of created) {
    if (ex.state !== 'launching' || ex.container) continue;
    ex.endReason = 'REASON_CONTAINER_LAUNCH_FAILED';
    await exited(ex, { status: undefined, message: `could not be launched: ${why}` });
  }
}
