// targetRunState as a transition table (upstream: RUN=0, STOP=1, RESTART=2, TERMINATE=3; TERMINATE is
// irreversible). RESTART is transient: the scheduler moves it back to RUN once the old task is gone.
import { CassandraError } from './errors.js';
import type { RunState } from './node.js';

const TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  RUN: ['RUN', 'STOP', 'RESTART', 'TERMINATE'],
  STOP: ['STOP', 'RUN', 'TERMINATE'],
  RESTART: ['RESTART', 'RUN', 'STOP', 'TERMINATE'],
  TERMINATE: ['TERMINATE'],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function transition(name: string, from: RunState, to: RunState): RunState {
  if (!canTransition(from, to)) {
    throw new CassandraError('ILLEGAL_RUN_STATE', `node ${name} is ${from}; it cannot go to ${to} (TERMINATE is final: replace the node instead)`);
  }
  return to;
}
