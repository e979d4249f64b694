import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { UpdateBook } from './update-book.js';

const task = (id: string): v1.TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'a' } });
const status = (id: string, u: number, state: v1.TaskState = 'TASK_RUNNING'): v1.TaskStatus => ({ task_id: { value: id }, state, uuid: new Uint8Array([u]) });

describe('UpdateBook', () => {
  it('keeps updates until acknowledged and tasks until one of their updates is', () => {
    const b = new UpdateBook();
    b.launched(task('t1'));
    b.launched(task('t2'));
    b.added(status('t1', 1));
    b.added(status('t1', 2, 'TASK_FINISHED'));
    expect(b.unacknowledgedTasks().map((t) => t.task_id.value)).toEqual(['t1', 't2']);
    expect(b.unacknowledgedUpdates().map((u) => u.status.uuid![0])).toEqual([1, 2]);

    expect(b.acknowledged(new Uint8Array([1]))?.state).toBe('TASK_RUNNING');
    expect(b.acknowledged(new Uint8Array([1]))).toBeUndefined();
    expect(b.unacknowledgedTasks().map((t) => t.task_id.value)).toEqual(['t2']);
    expect(b.pendingCount).toBe(1);
  });

  it('says which updates are due for (re)sending', () => {
    const b = new UpdateBook();
    b.added(status('t1', 1));
    b.added(status('t2', 2));
    expect(b.due(0, 1000).length).toBe(2);
    b.sent(new Uint8Array([1]), 100);
    expect(b.due(500, 1000).map((s) => s.task_id.value)).toEqual(['t2']);
    expect(b.due(1100, 1000).map((s) => s.task_id.value)).toEqual(['t1', 't2']);
  });
});
