import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { MAX_STATUSES_PER_TASK, recordStatus } from './task-history.js';

const task = (): v1.Task => ({ name: 't', task_id: { value: 't' }, framework_id: { value: 'f' }, agent_id: { value: 'a' }, state: 'TASK_STAGING', statuses: [] });
const status = (state: v1.TaskState, timestamp: number, uuid?: number): v1.TaskStatus => ({ task_id: { value: 't' }, state, timestamp, ...(uuid !== undefined ? { uuid: new Uint8Array(16).fill(uuid) } : {}) });

describe('a task keeps its status history', () => {
  it.each<[string, v1.TaskStatus[], v1.TaskState[]]>([
    ['every update in order', [status('TASK_STARTING', 1, 1), status('TASK_RUNNING', 2, 2), status('TASK_FINISHED', 9, 3)], ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']],
    ["an agent's retry of the same update is one entry", [status('TASK_RUNNING', 2, 2), status('TASK_RUNNING', 3, 2)], ['TASK_RUNNING']],
    ['statuses without uuid (from the master) are each kept', [status('TASK_RUNNING', 2), status('TASK_RUNNING', 3)], ['TASK_RUNNING', 'TASK_RUNNING']],
  ])('%s', (_name, updates, states) => {
    const t = task();
    for (const u of updates) recordStatus(t, u);
    expect(t.statuses?.map((s) => s.state)).toEqual(states);
  });

  it('keeps the first status (start time) and the latest ones when capped', () => {
    const t = task();
    for (let i = 0; i < MAX_STATUSES_PER_TASK + 5; i++) recordStatus(t, status('TASK_RUNNING', i, i));
    expect(t.statuses).toHaveLength(MAX_STATUSES_PER_TASK);
    expect(t.statuses?.[0]?.timestamp).toBe(0);
    expect(t.statuses?.[MAX_STATUSES_PER_TASK - 1]?.timestamp).toBe(MAX_STATUSES_PER_TASK + 4);
  });
});
