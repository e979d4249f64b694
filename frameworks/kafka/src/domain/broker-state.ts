// The observed state of a broker's task as a transition table (DESIGN.md convention 6). `active` (desired)
// lives beside it on the Broker; this is what the scheduler last learned from Mesos:
//   stopped      no task
//   starting     launched, waiting for TASK_RUNNING (the executor reports it once Kafka answers metadata)
//   running      TASK_RUNNING
//   stopping     a kill was sent, waiting for the terminal update
//   reconciling  known from the state store after a scheduler restart, waiting for Mesos to confirm it
import type { v1 } from '@mesos-ts/proto';

export type BrokerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'reconciling';

export type BrokerEvent = 'launch' | 'task-running' | 'task-starting' | 'task-terminal' | 'kill' | 'reconcile';

const TRANSITIONS: Readonly<Record<BrokerState, Partial<Record<BrokerEvent, BrokerState>>>> = {
  stopped: { launch: 'starting', 'task-terminal': 'stopped' },
  starting: { 'task-starting': 'starting', 'task-running': 'running', 'task-terminal': 'stopped', kill: 'stopping', reconcile: 'reconciling' },
  running: { 'task-running': 'running', 'task-terminal': 'stopped', kill: 'stopping', reconcile: 'reconciling' },
  stopping: { 'task-starting': 'stopping', 'task-running': 'stopping', 'task-terminal': 'stopped', kill: 'stopping', reconcile: 'stopping' },
  reconciling: { 'task-starting': 'starting', 'task-running': 'running', 'task-terminal': 'stopped', kill: 'stopping', reconcile: 'reconciling' },
};

/** The next state, or an Error naming the illegal move (a broken invariant of the caller). */
export function transition(state: BrokerState, event: BrokerEvent): BrokerState {
  const next = TRANSITIONS[state][event];
  if (next === undefined) throw new Error(`broker state machine: '${event}' is not allowed in state '${state}'`);
  return next;
}

export function canTransition(state: BrokerState, event: BrokerEvent): boolean {
  return TRANSITIONS[state][event] !== undefined;
}

/** The event a Mesos task state stands for. */
export function taskEvent(state: v1.TaskState): BrokerEvent {
  switch (state) {
    case 'TASK_RUNNING':
      return 'task-running';
    case 'TASK_STAGING':
    case 'TASK_STARTING':
    case 'TASK_KILLING':
      return 'task-starting';
    default:
      return 'task-terminal';
  }
}

/** Whether a Mesos state is a terminal failure (failover) rather than a requested stop or a live state. */
export function isFailure(state: v1.TaskState): boolean {
  return taskEvent(state) === 'task-terminal' && state !== 'TASK_KILLED' && state !== 'TASK_FINISHED';
}
