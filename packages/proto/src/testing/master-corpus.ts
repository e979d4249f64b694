// Master operator API samples: the Calls mesos-ts serves, representative Responses, and one
// Event per Event.Type.
import type { master, v1 } from '../index.js';
import { sample, type CorpusEntry } from './corpus-entry.js';
import * as f from './fixtures.js';

const CALL = 'mesos.v1.master.Call';
const RESPONSE = 'mesos.v1.master.Response';
const EVENT = 'mesos.v1.master.Event';

const agent: master.Response.GetAgents.Agent = {
  agent_info: f.agentInfo,
  active: true,
  deactivated: false,
  version: '1.11.0',
  pid: 'slave(1)@10.0.0.7:5051',
  registered_time: f.now,
  reregistered_time: { nanoseconds: f.NOW_NS + 1_000_000_000n },
  total_resources: f.agentInfo.resources ?? [],
  allocated_resources: [f.reservedMem, f.persistentVolume],
  offered_resources: [f.revocableCpus],
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }, { type: 'AGENT_DRAINING' }],
  resource_providers: [{ resource_provider_info: { id: { value: 'local-storage-provider' }, type: 'org.apache.mesos.rp.local.storage', name: 'local' }, total_resources: [f.mountDisk] }],
  drain_info: { state: 'DRAINING', config: { max_grace_period: { nanoseconds: 60000000000n }, mark_gone: false } },
};

const framework: master.Response.GetFrameworks.Framework = {
  framework_info: f.frameworkInfo,
  active: true,
  connected: true,
  recovered: false,
  registered_time: f.now,
  reregistered_time: f.now,
  offers: [f.offer],
  allocated_resources: [f.reservedMem],
  offered_resources: f.offer.resources ?? [],
  offer_constraints: { role_constraints: { kafka: { groups: [{ attribute_constraints: [{ selector: { pseudoattribute_type: 'HOSTNAME' }, predicate: { not_exists: {} } }] }] } } },
};

const getTasks: master.Response.GetTasks = {
  pending_tasks: [f.stagingTask],
  tasks: [f.task],
  unreachable_tasks: [{ ...f.task, state: 'TASK_UNREACHABLE', task_id: { value: 'lost-1' } }],
  completed_tasks: [{ ...f.task, state: 'TASK_FINISHED', task_id: { value: 'done-1' }, statuses: [f.failedStatus] }],
};

const getState: master.Response.GetState = {
  get_tasks: getTasks,
  get_executors: { executors: [{ executor_info: f.executorInfo, agent_id: f.agentId }] },
  get_frameworks: { frameworks: [framework], completed_frameworks: [{ ...framework, active: false, connected: false, offers: [], unregistered_time: f.now }] },
  get_agents: { agents: [agent], recovered_agents: [{ ...f.agentInfo, id: { value: 'recovered-S1' } }] },
};

const reservedCpus: v1.Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, reservations: [{ type: 'DYNAMIC', role: 'kafka', principal: 'ops' }] };

export const masterCorpus: CorpusEntry[] = [
  sample(CALL, 'master.Call GET_HEALTH', { type: 'GET_HEALTH' }),
  sample(CALL, 'master.Call GET_FLAGS', { type: 'GET_FLAGS' }),
  sample(CALL, 'master.Call GET_VERSION', { type: 'GET_VERSION' }),
  sample(CALL, 'master.Call GET_METRICS', { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 5000000000n } } }),
  sample(CALL, 'master.Call GET_STATE', { type: 'GET_STATE' }),
  sample(CALL, 'master.Call GET_AGENTS', { type: 'GET_AGENTS' }),
  sample(CALL, 'master.Call GET_FRAMEWORKS', { type: 'GET_FRAMEWORKS' }),
  sample(CALL, 'master.Call GET_EXECUTORS', { type: 'GET_EXECUTORS' }),
  sample(CALL, 'master.Call GET_TASKS', { type: 'GET_TASKS' }),
  sample(CALL, 'master.Call GET_ROLES', { type: 'GET_ROLES' }),
  sample(CALL, 'master.Call GET_WEIGHTS', { type: 'GET_WEIGHTS' }),
  sample(CALL, 'master.Call UPDATE_WEIGHTS', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'kafka', weight: 2.5 }, { role: 'spark/日本', weight: 1 }] } }),
  sample(CALL, 'master.Call GET_MASTER', { type: 'GET_MASTER' }),
  sample(CALL, 'master.Call SUBSCRIBE', { type: 'SUBSCRIBE' }),
  sample(CALL, 'master.Call RESERVE_RESOURCES', { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: f.agentId, resources: [reservedCpus, f.reservedMem] } }),
  sample(CALL, 'master.Call RESERVE_RESOURCES (refine)', {
    type: 'RESERVE_RESOURCES',
    reserve_resources: { agent_id: f.agentId, source: [reservedCpus], resources: [{ ...reservedCpus, reservations: [...(reservedCpus.reservations ?? []), { type: 'DYNAMIC', role: 'kafka/brokers' }] }] },
  }),
  sample(CALL, 'master.Call UNRESERVE_RESOURCES', { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: f.agentId, resources: [reservedCpus] } }),
  sample(CALL, 'master.Call CREATE_VOLUMES', { type: 'CREATE_VOLUMES', create_volumes: { agent_id: f.agentId, volumes: [f.persistentVolume] } }),
  sample(CALL, 'master.Call DESTROY_VOLUMES', { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id: f.agentId, volumes: [f.persistentVolume] } }),
  sample(CALL, 'master.Call GET_QUOTA', { type: 'GET_QUOTA' }),
  sample(CALL, 'master.Call UPDATE_QUOTA', {
    type: 'UPDATE_QUOTA',
    update_quota: { force: false, quota_configs: [{ role: 'kafka', guarantees: { cpus: { value: 4 }, mem: { value: 8192 } }, limits: { cpus: { value: 16 } } }] },
  }),
  sample(CALL, 'master.Call TEARDOWN', { type: 'TEARDOWN', teardown: { framework_id: f.frameworkId } }),
  sample(CALL, 'master.Call MARK_AGENT_GONE', { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: f.agentId } }),

  sample(RESPONSE, 'master.Response GET_HEALTH', { type: 'GET_HEALTH', get_health: { healthy: true } }),
  sample(RESPONSE, 'master.Response GET_VERSION', {
    type: 'GET_VERSION',
    get_version: { version_info: { version: '1.11.0', build_date: '2025-11-22 00:00:00', build_time: 1763769600, build_user: 'mesos-ts', git_sha: 'c1b42f79', git_tag: '1.11.0' } },
  }),
  sample(RESPONSE, 'master.Response GET_STATE', { type: 'GET_STATE', get_state: getState }),
  sample(RESPONSE, 'master.Response GET_AGENTS', { type: 'GET_AGENTS', get_agents: getState.get_agents }),
  sample(RESPONSE, 'master.Response GET_FRAMEWORKS', { type: 'GET_FRAMEWORKS', get_frameworks: getState.get_frameworks }),
  sample(RESPONSE, 'master.Response GET_TASKS', { type: 'GET_TASKS', get_tasks: getTasks }),

  sample(EVENT, 'master.Event SUBSCRIBED', { type: 'SUBSCRIBED', subscribed: { get_state: getState, heartbeat_interval_seconds: 15 } }),
  sample(EVENT, 'master.Event TASK_ADDED', { type: 'TASK_ADDED', task_added: { task: f.task } }),
  sample(EVENT, 'master.Event TASK_UPDATED', { type: 'TASK_UPDATED', task_updated: { framework_id: f.frameworkId, status: f.failedStatus, state: 'TASK_FAILED' } }),
  sample(EVENT, 'master.Event AGENT_ADDED', { type: 'AGENT_ADDED', agent_added: { agent } }),
  sample(EVENT, 'master.Event AGENT_REMOVED', { type: 'AGENT_REMOVED', agent_removed: { agent_id: f.agentId } }),
  sample(EVENT, 'master.Event FRAMEWORK_ADDED', { type: 'FRAMEWORK_ADDED', framework_added: { framework } }),
  sample(EVENT, 'master.Event FRAMEWORK_UPDATED', { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: { ...framework, connected: false } } }),
  sample(EVENT, 'master.Event FRAMEWORK_REMOVED', { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: f.frameworkInfo } }),
  sample(EVENT, 'master.Event HEARTBEAT', { type: 'HEARTBEAT' }),
];
