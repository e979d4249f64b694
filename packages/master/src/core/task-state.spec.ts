import { describe, expect, it } from 'vitest';
import { isTerminal, stateForFramework, transition, type TaskState } from './task-state.js';

describe('task state machine', () => {
  it.each<[TaskState, TaskState, boolean]>([
    ['TASK_STAGING', 'TASK_RUNNING', true],
    ['TASK_STAGING', 'TASK_STARTING', true],
    ['TASK_STARTING', 'TASK_RUNNING', true],
    ['TASK_RUNNING', 'TASK_RUNNING', true],
    ['TASK_RUNNING', 'TASK_KILLING', true],
    ['TASK_RUNNING', 'TASK_FINISHED', true],
    ['TASK_KILLING', 'TASK_KILLED', true],
    ['TASK_RUNNING', 'TASK_UNREACHABLE', true],
    ['TASK_UNREACHABLE', 'TASK_RUNNING', true],
    ['TASK_RUNNING', 'TASK_STAGING', false],
    ['TASK_KILLING', 'TASK_RUNNING', false],
    ['TASK_FINISHED', 'TASK_RUNNING', false],
    ['TASK_FINISHED', 'TASK_FINISHED', false],
    ['TASK_LOST', 'TASK_RUNNING', false],
    ['TASK_ERROR', 'TASK_KILLED', false],
  ])('%s -> %s allowed: %s', (from, to, ok) => {
    expect(transition(from, to).ok).toBe(ok);
  });

  it.each<[TaskState, boolean]>([
    ['TASK_FINISHED', true],
    ['TASK_LOST', true],
    ['TASK_GONE_BY_OPERATOR', true],
    ['TASK_RUNNING', false],
    ['TASK_UNREACHABLE', false],
    ['TASK_KILLING', false],
  ])('%s terminal: %s', (state, terminal) => {
    expect(isTerminal(state)).toBe(terminal);
  });

  it.each<[TaskState, boolean, TaskState]>([
    ['TASK_UNREACHABLE', true, 'TASK_UNREACHABLE'],
    ['TASK_UNREACHABLE', false, 'TASK_LOST'],
    ['TASK_DROPPED', false, 'TASK_LOST'],
    ['TASK_GONE_BY_OPERATOR', false, 'TASK_LOST'],
    ['TASK_ERROR', false, 'TASK_ERROR'],
    ['TASK_RUNNING', false, 'TASK_RUNNING'],
  ])('%s for partition-aware=%s frameworks is %s', (state, pa, expected) => {
    expect(stateForFramework(state, pa)).toBe(expected);
  });
});
