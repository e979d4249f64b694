// The executor life cycle as data: which state may follow which. Every change goes through setState(),
// which rejects illegal moves loudly (a broken invariant, not an expected failure).
import type { ExecutorRec, ExecutorState } from './model.js';

export const EXECUTOR_TRANSITIONS: Readonly<Record<ExecutorState, readonly ExecutorState[]>> = {
  launching: ['registering', 'running', 'terminating', 'terminated'],
  registering: ['running', 'terminating', 'terminated'],
  recovering: ['running', 'terminating', 'terminated'],
  running: ['terminating', 'terminated'],
  terminating: ['terminated'],
  terminated: [],
};

export function canTransition(from: ExecutorState, to: ExecutorState): boolean {
  return from === to || EXECUTOR_TRANSITIONS[from].includes(to);
}

export function setState(ex: ExecutorRec, to: ExecutorState): void {
  if (!canTransition(ex.state, to)) throw new Error(`illegal executor state change ${ex.state} -> ${to} (executor '${ex.id}' of framework '${ex.frameworkId}')`);
  ex.state = to;
}
