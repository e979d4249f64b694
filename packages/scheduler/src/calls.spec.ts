import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { acknowledgeCall, acknowledgeOperationStatusCall, launchedTasks, reconcileCall, subscribeCall } from './calls.js';

const info: v1.FrameworkInfo = { user: 'u', name: 'n', id: { value: 'stale' } };

describe('scheduler call builders', () => {
  it.each([
    [undefined, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' }, suppressed_roles: [] } }],
    ['fw-1', { type: 'SUBSCRIBE', framework_id: { value: 'fw-1' }, subscribe: { framework_info: { user: 'u', name: 'n', id: { value: 'fw-1' } }, suppressed_roles: [] } }],
  ])('SUBSCRIBE with framework id %s', (id, call) => {
    expect(subscribeCall(info, id, [])).toEqual(call);
  });

  it.each([
    [{ task_id: { value: 't' }, state: 'TASK_RUNNING' as const }, undefined],
    [{ task_id: { value: 't' }, state: 'TASK_RUNNING' as const, uuid: new Uint8Array([1]) }, undefined],
    [{ task_id: { value: 't' }, state: 'TASK_RUNNING' as const, uuid: new Uint8Array(), agent_id: { value: 'a' } }, undefined],
    [
      { task_id: { value: 't' }, state: 'TASK_RUNNING' as const, uuid: new Uint8Array([1]), agent_id: { value: 'a' } },
      { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: new Uint8Array([1]) } },
    ],
  ])('ACKNOWLEDGE only what carries a uuid and an agent (%#)', (status, call) => {
    expect(acknowledgeCall(status)).toEqual(call);
  });

  it('ACKNOWLEDGE_OPERATION_STATUS needs a uuid and an operation id', () => {
    expect(acknowledgeOperationStatusCall({ state: 'OPERATION_FINISHED', uuid: { value: new Uint8Array([1]) } })).toBeUndefined();
    expect(acknowledgeOperationStatusCall({ state: 'OPERATION_FINISHED', operation_id: { value: 'o' } })).toBeUndefined();
  });

  it('RECONCILE lists tasks with their agents; none = implicit', () => {
    expect(reconcileCall()).toEqual({ type: 'RECONCILE', reconcile: { tasks: [] } });
    expect(reconcileCall([{ taskId: 't', agentId: 'a' }, { taskId: { value: 'u' } }])).toEqual({
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 't' }, agent_id: { value: 'a' } }, { task_id: { value: 'u' } }] },
    });
  });

  it('finds the tasks of LAUNCH and LAUNCH_GROUP operations', () => {
    const task = (id: string): v1.TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'a' } });
    const ops: v1.Offer.Operation[] = [
      { type: 'RESERVE', reserve: { resources: [] } },
      { type: 'LAUNCH', launch: { task_infos: [task('a')] } },
      { type: 'LAUNCH_GROUP', launch_group: { executor: { executor_id: { value: 'e' } }, task_group: { tasks: [task('b'), task('c')] } } },
    ];
    expect(launchedTasks(ops).map((t) => t.task_id.value)).toEqual(['a', 'b', 'c']);
  });
});
