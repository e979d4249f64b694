// The task state machine as the master sees it (states use Mesos' TaskState names). The master records the
// latest state an agent reports; `transition` rejects moves upstream never makes, e.g. out of a terminal state
// or back to TASK_STAGING. TASK_UNREACHABLE is the master's own state for tasks on an unreachable agent; it
// may move to whatever the agent reports when it re-registers.
import type { v1 } from '@mesos-ts/proto';

export type TaskState = v1.TaskState;

/** Terminal for the master's books: resources are recovered and the task becomes "completed". */
const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL.has(state);
}

const ACTIVE: readonly TaskState[] = ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'];
const ENDS: readonly TaskState[] = [...TERMINAL, 'TASK_UNREACHABLE'];

/** from -> states it may move to (a state may always repeat itself: health and check updates). */
export const TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = {
  TASK_STAGING: [...ACTIVE, ...ENDS],
  TASK_STARTING: [...ACTIVE, ...ENDS],
  TASK_RUNNING: ['TASK_KILLING', ...ENDS],
  TASK_KILLING: [...ENDS],
  TASK_UNREACHABLE: ['TASK_STAGING', ...ACTIVE, ...ENDS, 'TASK_UNKNOWN'],
  TASK_UNKNOWN: [...ACTIVE, ...ENDS],
  TASK_FINISHED: [],
  TASK_FAILED: [],
  TASK_KILLED: [],
  TASK_ERROR: [],
  TASK_LOST: [],
  TASK_DROPPED: [],
  TASK_GONE: [],
  TASK_GONE_BY_OPERATOR: [],
};

export type Transition = { ok: true; state: TaskState } | { ok: false; reason: string };

export function transition(from: TaskState, to: TaskState): Transition {
  if (from === to && !isTerminal(from)) return { ok: true, state: to };
  if (TRANSITIONS[from].includes(to)) return { ok: true, state: to };
  return { ok: false, reason: `a task in ${from} cannot move to ${to}` };
}

/**
 * The state a framework is told about when the master itself ends or loses a task. Frameworks without the
 * PARTITION_AWARE capability only know TASK_LOST (upstream's downgrade for old schedulers).
 */
export function stateForFramework(state: TaskState, partitionAware: boolean): TaskState {
  if (partitionAware) return state;
  return state === 'TASK_UNREACHABLE' || state === 'TASK_DROPPED' || state === 'TASK_GONE' || state === 'TASK_GONE_BY_OPERATOR' || state === 'TASK_UNKNOWN'
    ? 'TASK_LOST'
    : state;
}
