import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { PendingLaunches, launchFailedStatus } from './launch-failure.js';

const task = (executor?: string): v1.TaskInfo => ({
  name: 't',
  task_id: { value: 't1' },
  agent_id: { value: 'a' },
  ...(executor ? { executor: { executor_id: { value: executor }, command: { value: 'x' } } } : {}),
});

describe('launchFailedStatus', () => {
  it.each([
    { name: 'plain framework, command task', caps: [], executor: undefined, state: 'TASK_FAILED', executorId: undefined },
    { name: 'partition-aware framework', caps: [{ type: 'PARTITION_AWARE' }], executor: undefined, state: 'TASK_DROPPED', executorId: undefined },
    { name: 'task with its own executor', caps: [], executor: 'ex1', state: 'TASK_FAILED', executorId: 'ex1' },
  ] as const)('$name: $state', ({ caps, executor, state, executorId }) => {
    const fw: v1.FrameworkInfo = { user: 'u', name: 'f', capabilities: [...caps] };
    const s = launchFailedStatus(fw, task(executor), 'ENOENT: no such file', 'agent-1', 12.5);
    expect(s).toMatchObject({ state, source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LAUNCH_FAILED', agent_id: { value: 'agent-1' }, timestamp: 12.5 });
    expect(s.message).toBe('Failed to launch the task on the agent: ENOENT: no such file');
    expect(s.executor_id?.value).toBe(executorId);
    expect(s.uuid?.length).toBe(16);
  });
});

describe('PendingLaunches', () => {
  it('counts overlapping launches per framework', () => {
    const p = new PendingLaunches();
    p.begin('a');
    p.begin('a');
    p.begin('b');
    p.end('a');
    expect([p.has('a'), p.has('b')]).toEqual([true, true]);
    p.end('a');
    p.end('b');
    expect([p.has('a'), p.has('b')]).toEqual([false, false]);
  });
});
