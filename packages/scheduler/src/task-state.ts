// Which TaskStates end a task. LOST is terminal unless the framework is PARTITION_AWARE (then the master
// reports UNREACHABLE, which may recover, and never LOST).
import type { v1 } from '@mesos-ts/proto';

const TERMINAL: ReadonlySet<v1.TaskState> = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_LOST',
]);

export function isTerminalState(state: v1.TaskState): boolean {
  return TERMINAL.has(state);
}
