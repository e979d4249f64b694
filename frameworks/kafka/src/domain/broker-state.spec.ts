import { describe, expect, it } from 'vitest';
import { canTransition, isFailure, taskEvent, transition, type BrokerEvent, type BrokerState } from './broker-state.js';

describe('broker state machine', () => {
  it.each<[BrokerState, BrokerEvent, BrokerState]>([
    ['stopped', 'launch', 'starting'],
    ['starting', 'task-running', 'running'],
    ['starting', 'task-terminal', 'stopped'],
    ['running', 'kill', 'stopping'],
    ['running', 'task-terminal', 'stopped'],
    ['stopping', 'task-running', 'stopping'],
    ['stopping', 'task-terminal', 'stopped'],
    ['running', 'reconcile', 'reconciling'],
    ['reconciling', 'task-running', 'running'],
    ['reconciling', 'task-terminal', 'stopped'],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it.each<[BrokerState, BrokerEvent]>([
    ['stopped', 'task-running'],
    ['stopped', 'kill'],
    ['running', 'launch'],
    ['starting', 'launch'],
  ])('rejects %s --%s-->', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    expect(() => transition(from, event)).toThrow(`'${event}' is not allowed in state '${from}'`);
  });

  it.each([
    ['TASK_RUNNING', 'task-running', false],
    ['TASK_STAGING', 'task-starting', false],
    ['TASK_FAILED', 'task-terminal', true],
    ['TASK_LOST', 'task-terminal', true],
    ['TASK_KILLED', 'task-terminal', false],
  ] as const)('%s is %s (failure: %s)', (state, event, failure) => {
    expect(taskEvent(state)).toBe(event);
    expect(isFailure(state)).toBe(failure);
  });
});
