// Executor API samples: one Call per Call.Type and one Event per Event.Type.
import { sample, type CorpusEntry } from './corpus-entry.js';
import * as f from './fixtures.js';

const CALL = 'mesos.v1.executor.Call';
const EVENT = 'mesos.v1.executor.Event';
const ids = { executor_id: f.executorId, framework_id: f.frameworkId };

export const executorCorpus: CorpusEntry[] = [
  sample(CALL, 'executor.Call SUBSCRIBE', {
    ...ids,
    type: 'SUBSCRIBE',
    subscribe: { unacknowledged_tasks: [f.taskInfo], unacknowledged_updates: [{ status: f.runningStatus }] },
  }),
  sample(CALL, 'executor.Call UPDATE', { ...ids, type: 'UPDATE', update: { status: f.runningStatus } }),
  sample(CALL, 'executor.Call MESSAGE', { ...ids, type: 'MESSAGE', message: { data: f.PAYLOAD } }),
  sample(CALL, 'executor.Call HEARTBEAT', { ...ids, type: 'HEARTBEAT' }),

  sample(EVENT, 'executor.Event SUBSCRIBED', {
    type: 'SUBSCRIBED',
    subscribed: { executor_info: f.executorInfo, framework_info: f.frameworkInfo, agent_info: f.agentInfo, container_id: f.containerId },
  }),
  sample(EVENT, 'executor.Event LAUNCH', { type: 'LAUNCH', launch: { task: f.taskInfo } }),
  sample(EVENT, 'executor.Event LAUNCH_GROUP', { type: 'LAUNCH_GROUP', launch_group: { task_group: f.taskGroup } }),
  sample(EVENT, 'executor.Event KILL', { type: 'KILL', kill: { task_id: f.taskId, kill_policy: { grace_period: { nanoseconds: 3000000000n } } } }),
  sample(EVENT, 'executor.Event ACKNOWLEDGED', { type: 'ACKNOWLEDGED', acknowledged: { task_id: f.taskId, uuid: f.STATUS_UUID } }),
  sample(EVENT, 'executor.Event MESSAGE', { type: 'MESSAGE', message: { data: f.PAYLOAD } }),
  sample(EVENT, 'executor.Event ERROR', { type: 'ERROR', error: { message: 'executor is not subscribed — réessayez' } }),
  sample(EVENT, 'executor.Event SHUTDOWN', { type: 'SHUTDOWN' }),
  sample(EVENT, 'executor.Event HEARTBEAT', { type: 'HEARTBEAT' }),
];
