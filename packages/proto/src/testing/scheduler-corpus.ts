// Scheduler API samples: one Call per Call.Type and one Event per Event.Type (several for the
// types with interesting variants).
import { sample, type CorpusEntry } from './corpus-entry.js';
import * as f from './fixtures.js';

const CALL = 'mesos.v1.scheduler.Call';
const EVENT = 'mesos.v1.scheduler.Event';

const offerConstraints = {
  role_constraints: {
    kafka: {
      groups: [
        {
          attribute_constraints: [
            { selector: { attribute_name: 'rack' }, predicate: { text_matches: { regex: 'r[0-9]+-日本' } } },
            { selector: { pseudoattribute_type: 'ZONE' as const }, predicate: { text_not_equals: { value: 'eu-west-1c' } } },
          ],
        },
        { attribute_constraints: [{ selector: { attribute_name: 'ssd' }, predicate: { exists: {} } }] },
      ],
    },
  },
};

export const schedulerCorpus: CorpusEntry[] = [
  sample(CALL, 'scheduler.Call SUBSCRIBE (new framework)', {
    type: 'SUBSCRIBE',
    subscribe: { framework_info: f.newFrameworkInfo, suppressed_roles: ['data/kafka'], offer_constraints: offerConstraints },
  }),
  sample(CALL, 'scheduler.Call SUBSCRIBE', {
    framework_id: f.frameworkId,
    type: 'SUBSCRIBE',
    subscribe: { framework_info: f.frameworkInfo },
  }),
  sample(CALL, 'scheduler.Call TEARDOWN', { framework_id: f.frameworkId, type: 'TEARDOWN' }),
  sample(CALL, 'scheduler.Call ACCEPT LAUNCH', {
    framework_id: f.frameworkId,
    type: 'ACCEPT',
    accept: {
      offer_ids: [f.offerId, { value: 'offer-2' }],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [f.taskInfo] } }],
      filters: { refuse_seconds: 120 },
    },
  }),
  sample(CALL, 'scheduler.Call ACCEPT RESERVE+CREATE+LAUNCH_GROUP', {
    framework_id: f.frameworkId,
    type: 'ACCEPT',
    accept: {
      offer_ids: [f.offerId],
      operations: [
        { type: 'RESERVE', id: f.operationId, reserve: { resources: [f.reservedMem, f.refinedCpus] } },
        { type: 'RESERVE', reserve: { source: [f.refinedCpus], resources: [{ ...f.refinedCpus, reservations: [{ type: 'STATIC', role: 'data' }] }] } },
        { type: 'CREATE', create: { volumes: [f.persistentVolume] } },
        { type: 'LAUNCH_GROUP', launch_group: { executor: f.executorInfo, task_group: f.taskGroup } },
      ],
    },
  }),
  sample(CALL, 'scheduler.Call ACCEPT DESTROY+UNRESERVE+GROW/SHRINK+DISK', {
    framework_id: f.frameworkId,
    type: 'ACCEPT',
    accept: {
      offer_ids: [f.offerId],
      operations: [
        { type: 'GROW_VOLUME', grow_volume: { volume: f.persistentVolume, addition: { name: 'disk', type: 'SCALAR', scalar: { value: 1024 }, reservations: f.persistentVolume.reservations } } },
        { type: 'SHRINK_VOLUME', shrink_volume: { volume: f.persistentVolume, subtract: { value: 512 } } },
        { type: 'DESTROY', destroy: { volumes: [f.persistentVolume] } },
        { type: 'UNRESERVE', unreserve: { resources: [f.reservedMem] } },
        { type: 'CREATE_DISK', create_disk: { source: f.mountDisk, target_type: 'BLOCK', target_profile: 'fast' } },
        { type: 'DESTROY_DISK', destroy_disk: { source: f.mountDisk } },
      ],
      filters: { refuse_seconds: 0 },
    },
  }),
  sample(CALL, 'scheduler.Call DECLINE', {
    framework_id: f.frameworkId,
    type: 'DECLINE',
    decline: { offer_ids: [f.offerId], filters: { refuse_seconds: 5 } },
  }),
  sample(CALL, 'scheduler.Call ACCEPT_INVERSE_OFFERS', {
    framework_id: f.frameworkId,
    type: 'ACCEPT_INVERSE_OFFERS',
    accept_inverse_offers: { inverse_offer_ids: [{ value: 'inverse-1' }], filters: { refuse_seconds: 60 } },
  }),
  sample(CALL, 'scheduler.Call DECLINE_INVERSE_OFFERS', {
    framework_id: f.frameworkId,
    type: 'DECLINE_INVERSE_OFFERS',
    decline_inverse_offers: { inverse_offer_ids: [{ value: 'inverse-1' }] },
  }),
  sample(CALL, 'scheduler.Call REVIVE', { framework_id: f.frameworkId, type: 'REVIVE', revive: { roles: ['kafka'] } }),
  sample(CALL, 'scheduler.Call REVIVE (all roles)', { framework_id: f.frameworkId, type: 'REVIVE' }),
  sample(CALL, 'scheduler.Call KILL', {
    framework_id: f.frameworkId,
    type: 'KILL',
    kill: { task_id: f.taskId, agent_id: f.agentId, kill_policy: { grace_period: { nanoseconds: 10000000000n } } },
  }),
  sample(CALL, 'scheduler.Call SHUTDOWN', { framework_id: f.frameworkId, type: 'SHUTDOWN', shutdown: { executor_id: f.executorId, agent_id: f.agentId } }),
  sample(CALL, 'scheduler.Call ACKNOWLEDGE', {
    framework_id: f.frameworkId,
    type: 'ACKNOWLEDGE',
    acknowledge: { agent_id: f.agentId, task_id: f.taskId, uuid: f.STATUS_UUID },
  }),
  sample(CALL, 'scheduler.Call ACKNOWLEDGE_OPERATION_STATUS', {
    framework_id: f.frameworkId,
    type: 'ACKNOWLEDGE_OPERATION_STATUS',
    acknowledge_operation_status: { agent_id: f.agentId, resource_provider_id: { value: 'local-storage-provider' }, uuid: f.STATUS_UUID, operation_id: f.operationId },
  }),
  sample(CALL, 'scheduler.Call RECONCILE', {
    framework_id: f.frameworkId,
    type: 'RECONCILE',
    reconcile: { tasks: [{ task_id: f.taskId, agent_id: f.agentId }, { task_id: { value: 'unknown-task' } }] },
  }),
  sample(CALL, 'scheduler.Call RECONCILE (implicit)', { framework_id: f.frameworkId, type: 'RECONCILE', reconcile: {} }),
  sample(CALL, 'scheduler.Call RECONCILE_OPERATIONS', {
    framework_id: f.frameworkId,
    type: 'RECONCILE_OPERATIONS',
    reconcile_operations: { operations: [{ operation_id: f.operationId, agent_id: f.agentId }] },
  }),
  sample(CALL, 'scheduler.Call MESSAGE', {
    framework_id: f.frameworkId,
    type: 'MESSAGE',
    message: { agent_id: f.agentId, executor_id: f.executorId, data: f.PAYLOAD },
  }),
  sample(CALL, 'scheduler.Call REQUEST', {
    framework_id: f.frameworkId,
    type: 'REQUEST',
    request: { requests: [{ agent_id: f.agentId, resources: [f.reservedMem] }] },
  }),
  sample(CALL, 'scheduler.Call SUPPRESS', { framework_id: f.frameworkId, type: 'SUPPRESS', suppress: { roles: ['kafka', 'data/kafka'] } }),
  sample(CALL, 'scheduler.Call UPDATE_FRAMEWORK', {
    framework_id: f.frameworkId,
    type: 'UPDATE_FRAMEWORK',
    update_framework: { framework_info: { ...f.frameworkInfo, roles: ['kafka'] }, suppressed_roles: [], offer_constraints: offerConstraints },
  }),

  sample(EVENT, 'scheduler.Event SUBSCRIBED', {
    type: 'SUBSCRIBED',
    subscribed: { framework_id: f.frameworkId, heartbeat_interval_seconds: 15, master_info: f.masterInfo },
  }),
  sample(EVENT, 'scheduler.Event OFFERS', { type: 'OFFERS', offers: { offers: [f.offer, { ...f.offer, id: { value: 'offer-2' }, resources: [f.revocableCpus] }] } }),
  sample(EVENT, 'scheduler.Event INVERSE_OFFERS', {
    type: 'INVERSE_OFFERS',
    inverse_offers: {
      inverse_offers: [
        { id: { value: 'inverse-1' }, framework_id: f.frameworkId, agent_id: f.agentId, unavailability: { start: f.now }, resources: [f.reservedMem] },
      ],
    },
  }),
  sample(EVENT, 'scheduler.Event RESCIND', { type: 'RESCIND', rescind: { offer_id: f.offerId } }),
  sample(EVENT, 'scheduler.Event RESCIND_INVERSE_OFFER', { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: { value: 'inverse-1' } } }),
  sample(EVENT, 'scheduler.Event UPDATE', { type: 'UPDATE', update: { status: f.runningStatus } }),
  sample(EVENT, 'scheduler.Event UPDATE (failed, limitation)', { type: 'UPDATE', update: { status: f.failedStatus } }),
  sample(EVENT, 'scheduler.Event UPDATE_OPERATION_STATUS', { type: 'UPDATE_OPERATION_STATUS', update_operation_status: { status: f.operationStatus } }),
  sample(EVENT, 'scheduler.Event MESSAGE', { type: 'MESSAGE', message: { agent_id: f.agentId, executor_id: f.executorId, data: f.PAYLOAD } }),
  sample(EVENT, 'scheduler.Event FAILURE', { type: 'FAILURE', failure: { agent_id: f.agentId, executor_id: f.executorId, status: -9 } }),
  sample(EVENT, 'scheduler.Event ERROR', { type: 'ERROR', error: { message: 'Framework has been removed — échec' } }),
  sample(EVENT, 'scheduler.Event HEARTBEAT', { type: 'HEARTBEAT' }),
];
