import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { TaskTracker } from './task-tracker.js';

const status = (id: string, state: v1.TaskState, agent?: string): v1.TaskStatus => ({
  task_id: { value: id },
  state,
  ...(agent === undefined ? {} : { agent_id: { value: agent } }),
});

describe('TaskTracker', () => {
  it('asks to reconcile non-terminal tasks after a subscription until a status arrives', () => {
    const t = new TaskTracker();
    t.launched('a', 'agent-1', 1);
    t.launched('b', undefined, 1);
    t.launched('c', 'agent-2', 1);
    t.update(status('c', 'TASK_FINISHED'), 2);
    expect(t.unconfirmed()).toEqual([]);

    t.subscribed();
    expect(t.unconfirmed()).toEqual([{ task_id: { value: 'a' }, agent_id: { value: 'agent-1' } }, { task_id: { value: 'b' } }]);

    t.update(status('b', 'TASK_RUNNING', 'agent-3'), 3);
    expect(t.unconfirmed()).toEqual([{ task_id: { value: 'a' }, agent_id: { value: 'agent-1' } }]);
    expect(t.get('b')).toMatchObject({ state: 'TASK_RUNNING', agentId: 'agent-3', updatedAt: 3 });

    t.update(status('a', 'TASK_LOST'), 4);
    expect(t.unconfirmed()).toEqual([]);
    expect(t.active().map((x) => x.taskId)).toEqual(['b']);
    // Terminal tasks stay unconfirmed-free across subscriptions.
    t.subscribed();
    expect(t.unconfirmed()).toEqual([{ task_id: { value: 'b' }, agent_id: { value: 'agent-3' } }]);
  });

  it.each([
    ['TASK_RUNNING', true],
    ['TASK_STAGING', true],
    ['TASK_UNREACHABLE', true],
    ['TASK_KILLING', true],
    ['TASK_FAILED', false],
    ['TASK_KILLED', false],
    ['TASK_GONE', false],
    ['TASK_DROPPED', false],
    ['TASK_LOST', false],
  ] as const)('%s keeps the task active: %s', (state, active) => {
    const t = new TaskTracker();
    t.update(status('x', state, 'a1'), 1);
    expect(t.active().length).toBe(active ? 1 : 0);
  });

  it('tracks unknown ids and forgets on request', () => {
    const t = new TaskTracker();
    t.update(status('ghost', 'TASK_RUNNING', 'a1'), 5);
    expect(t.all().map((x) => x.taskId)).toEqual(['ghost']);
    t.forget('ghost');
    expect(t.all()).toEqual([]);
  });
});
