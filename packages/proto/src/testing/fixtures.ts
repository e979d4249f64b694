// Building blocks for the corpus: one small cluster (agent "agent-é1" on host 日本-node-1,
// framework "kafka-日本", a broker task with a persistent volume) expressed as mesos.v1 values.
// Times are TimeInfo nanoseconds above 2^53 so 64-bit handling is always exercised.
import type { v1 } from '../index.js';

const utf8 = new TextEncoder();

/** 2025-11-22T00:00:00.123456789Z in nanoseconds: larger than Number.MAX_SAFE_INTEGER. */
export const NOW_NS = 1763769600123456789n;
export const now: v1.TimeInfo = { nanoseconds: NOW_NS };

/** Status-update uuids are 16 raw bytes; these include bytes above 0x7f. */
export const STATUS_UUID = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60]);
/** Opaque framework-to-executor payload: UTF-8 text followed by non-UTF-8 bytes. */
export const PAYLOAD = new Uint8Array([...utf8.encode('broker é 日本 '), 0x00, 0xc3, 0x28, 0xff]);

export const frameworkId: v1.FrameworkID = { value: '7c0f5e6a-1d2b-4c3d-9e8f-a1b2c3d4e5f6-0000' };
export const agentId: v1.AgentID = { value: '3a7b9c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d-S0' };
export const offerId: v1.OfferID = { value: '7c0f5e6a-1d2b-4c3d-9e8f-a1b2c3d4e5f6-O42' };
export const taskId: v1.TaskID = { value: 'broker-0.é日本-1f2e3d' };
export const executorId: v1.ExecutorID = { value: 'broker-0-executor' };
export const operationId: v1.OperationID = { value: 'reserve-broker-0' };
export const containerId: v1.ContainerID = {
  value: 'task-container-2',
  parent: { value: 'executor-container-1', parent: { value: 'root-container-0' } },
};

export const labels: v1.Labels = {
  labels: [
    { key: 'owner', value: 'data-platform' },
    { key: 'description', value: 'Kafka broker — café 日本' },
    { key: 'flag-only' },
  ],
};

export const domain: v1.DomainInfo = {
  fault_domain: { region: { name: 'eu-west' }, zone: { name: 'eu-west-1a' } },
};

const scalar = (name: string, value: number): v1.Resource => ({ name, type: 'SCALAR', scalar: { value } });

const kafkaReservation: v1.Resource.ReservationInfo = {
  type: 'DYNAMIC',
  role: 'kafka',
  principal: 'kafka-principal',
  labels: { labels: [{ key: 'reserved-for', value: 'broker-0' }] },
};

/** A refined reservation stack: statically reserved for "data", refined dynamically to "data/kafka". */
export const refinedCpus: v1.Resource = {
  ...scalar('cpus', 2.5),
  reservations: [
    { type: 'STATIC', role: 'data' },
    { type: 'DYNAMIC', role: 'data/kafka', principal: 'ops', labels: { labels: [{ key: 'ticket', value: 'OPS-1' }] } },
  ],
  allocation_info: { role: 'data/kafka' },
};

export const reservedMem: v1.Resource = { ...scalar('mem', 4096), reservations: [kafkaReservation], allocation_info: { role: 'kafka' } };
export const revocableCpus: v1.Resource = { ...scalar('cpus', 0.75), revocable: {}, allocation_info: { role: 'kafka' } };

export const ports: v1.Resource = {
  name: 'ports',
  type: 'RANGES',
  ranges: { range: [{ begin: 31000n, end: 31099n }, { begin: 31500n, end: 32000n }] },
  allocation_info: { role: 'kafka' },
};

export const unreservedDisk: v1.Resource = { ...scalar('disk', 102400), allocation_info: { role: 'kafka' } };

/** A shared persistent volume on reserved disk. */
export const persistentVolume: v1.Resource = {
  ...scalar('disk', 20480),
  reservations: [kafkaReservation],
  disk: {
    persistence: { id: 'kafka-broker-0-data', principal: 'kafka-principal' },
    volume: { mode: 'RW', container_path: 'kafka-data' },
  },
  shared: {},
  allocation_info: { role: 'kafka' },
};

/** A MOUNT disk from a resource provider, reserved for kafka. */
export const mountDisk: v1.Resource = {
  ...scalar('disk', 512000),
  provider_id: { value: 'local-storage-provider' },
  reservations: [kafkaReservation],
  disk: { source: { type: 'MOUNT', mount: { root: '/mnt/disk-日本' }, vendor: 'org.apache.mesos.csi.test', id: 'vol-1', profile: 'fast' } },
};

export const gpuSet: v1.Resource = { name: 'gpu-ids', type: 'SET', set: { item: ['gpu0', 'gpu1'] } };

export const attributes: v1.Attribute[] = [
  { name: 'rack', type: 'TEXT', text: { value: 'r1-日本' } },
  { name: 'tier', type: 'SCALAR', scalar: { value: 2 } },
  { name: 'slots', type: 'RANGES', ranges: { range: [{ begin: 0n, end: 9007199254740993n }] } },
  { name: 'features', type: 'SET', set: { item: ['ssd', 'nvme'] } },
];

export const agentInfo: v1.AgentInfo = {
  hostname: '日本-node-1.example.com',
  port: 5051,
  id: agentId,
  resources: [scalar('cpus', 16), scalar('mem', 65536), unreservedDisk, ports],
  attributes,
  domain,
};

export const masterInfo: v1.MasterInfo = {
  id: 'master-7c0f5e6a',
  ip: 16777343, // 127.0.0.1 in network byte order, as Mesos packs it
  port: 5050,
  pid: 'master@127.0.0.1:5050',
  hostname: 'localhost',
  version: '1.11.0',
  address: { hostname: 'localhost', ip: '127.0.0.1', port: 5050 },
  domain,
  capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
};

/** As a new framework sends it in its first SUBSCRIBE: no id yet. */
export const newFrameworkInfo: v1.FrameworkInfo = {
  user: 'kafka',
  name: 'kafka-日本',
  failover_timeout: 2592000,
  checkpoint: true,
  roles: ['kafka', 'data/kafka'],
  hostname: 'scheduler-host',
  principal: 'kafka-principal',
  webui_url: 'http://scheduler-host:7000',
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }, { type: 'PARTITION_AWARE' }, { type: 'REVOCABLE_RESOURCES' }, { type: 'SHARED_RESOURCES' }],
  labels,
  offer_filters: {
    kafka: { min_allocatable_resources: { quantities: [{ quantities: { cpus: { value: 1 }, mem: { value: 2048 } } }] } },
  },
};

export const frameworkInfo: v1.FrameworkInfo = { ...newFrameworkInfo, id: frameworkId };

export const offer: v1.Offer = {
  id: offerId,
  framework_id: frameworkId,
  agent_id: agentId,
  hostname: agentInfo.hostname,
  url: { scheme: 'http', address: { hostname: agentInfo.hostname, ip: '10.0.0.7', port: 5051 }, path: '/slave(1)', query: [{ key: 'a', value: 'b' }] },
  domain,
  resources: [refinedCpus, reservedMem, revocableCpus, ports, persistentVolume, mountDisk, gpuSet],
  attributes,
  executor_ids: [executorId],
  unavailability: { start: now, duration: { nanoseconds: 3600000000000n } },
  allocation_info: { role: 'kafka' },
};

export const healthCheck: v1.HealthCheck = {
  type: 'HTTP',
  http: { scheme: 'http', port: 31000, path: '/health', statuses: [200, 204] },
  delay_seconds: 30,
  interval_seconds: 10,
  timeout_seconds: 5,
  consecutive_failures: 3,
  grace_period_seconds: 120,
};

export const container: v1.ContainerInfo = {
  type: 'MESOS',
  mesos: { image: { type: 'DOCKER', docker: { name: 'library/kafka:3.7' }, cached: false } },
  volumes: [
    { mode: 'RW', container_path: '/var/lib/kafka', source: { type: 'SANDBOX_PATH', sandbox_path: { type: 'PARENT', path: 'kafka-data' } } },
    { mode: 'RO', container_path: '/etc/ssl', host_path: '/etc/ssl' },
  ],
  network_infos: [{ name: 'host', ip_addresses: [{ protocol: 'IPv4', ip_address: '10.0.0.7' }], port_mappings: [{ host_port: 31000, container_port: 9092, protocol: 'tcp' }] }],
  rlimit_info: { rlimits: [{ type: 'RLMT_NOFILE', soft: 65536n, hard: 65536n }] },
};

const command: v1.CommandInfo = {
  uris: [{ value: 'http://scheduler-host:7000/kafka/kafka_2.13-3.7.0.tgz', extract: true, cache: true }],
  environment: {
    variables: [
      { name: 'KAFKA_HEAP_OPTS', type: 'VALUE', value: '-Xmx1g -Xms1g' },
      { name: 'GREETING', value: 'こんにちは' },
      { name: 'SSL_PASSWORD', type: 'SECRET', secret: { type: 'REFERENCE', reference: { name: '/kafka/ssl', key: 'password' } } },
    ],
  },
  shell: true,
  value: 'exec bin/kafka-server-start.sh config/server.properties',
  user: 'kafka',
};

export const taskInfo: v1.TaskInfo = {
  name: 'broker-0 é 日本',
  task_id: taskId,
  agent_id: agentId,
  resources: [refinedCpus, reservedMem, { ...ports, ranges: { range: [{ begin: 31000n, end: 31000n }] } }, persistentVolume],
  command,
  container,
  health_check: healthCheck,
  kill_policy: { grace_period: { nanoseconds: 30000000000n } },
  data: PAYLOAD,
  labels,
  discovery: {
    visibility: 'FRAMEWORK',
    name: 'broker-0',
    ports: { ports: [{ number: 31000, name: 'kafka', protocol: 'tcp', visibility: 'CLUSTER', labels: { labels: [{ key: 'vip', value: 'kafka:9092' }] } }] },
  },
  max_completion_time: { nanoseconds: 86400000000000n },
  limits: { cpus: { value: 4 }, mem: { value: 8192 } },
};

export const executorInfo: v1.ExecutorInfo = {
  type: 'DEFAULT',
  executor_id: executorId,
  framework_id: frameworkId,
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
  name: 'kafka default executor',
  shutdown_grace_period: { nanoseconds: 5000000000n },
  labels,
};

/** Two tasks of one pod; the default executor runs them (no command executor). */
export const taskGroup: v1.TaskGroupInfo = {
  tasks: [
    taskInfo,
    {
      name: 'sidecar-日本',
      task_id: { value: 'sidecar-0' },
      agent_id: agentId,
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.2 } }],
      command: { shell: false, value: '/usr/bin/env', arguments: ['env', '-i', 'sleep', '3600'] },
      check: { type: 'TCP', tcp: { port: 31000 }, delay_seconds: 5, interval_seconds: 3, timeout_seconds: 1 },
    },
  ],
};

export const runningStatus: v1.TaskStatus = {
  task_id: taskId,
  state: 'TASK_RUNNING',
  message: 'broker started — ok',
  source: 'SOURCE_EXECUTOR',
  reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  data: PAYLOAD,
  agent_id: agentId,
  executor_id: executorId,
  timestamp: 1763769600.123456,
  uuid: STATUS_UUID,
  healthy: true,
  check_status: { type: 'HTTP', http: { status_code: 200 } },
  labels,
  container_status: {
    container_id: containerId,
    network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.7' }] }],
    cgroup_info: { net_cls: { classid: 0x100001 } },
    executor_pid: 4242,
  },
};

export const failedStatus: v1.TaskStatus = {
  task_id: taskId,
  state: 'TASK_FAILED',
  message: 'Memory limit exceeded: Requested: 4096MB Maximum Used: 4100MB',
  source: 'SOURCE_AGENT',
  reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
  agent_id: agentId,
  executor_id: executorId,
  timestamp: 1763769700.5,
  uuid: STATUS_UUID,
  limitation: { resources: [{ name: 'mem', type: 'SCALAR', scalar: { value: 4096 } }] },
  unreachable_time: now,
};

export const task: v1.Task = {
  name: taskInfo.name,
  task_id: taskId,
  framework_id: frameworkId,
  executor_id: executorId,
  agent_id: agentId,
  state: 'TASK_RUNNING',
  resources: taskInfo.resources,
  statuses: [{ task_id: taskId, state: 'TASK_STAGING', source: 'SOURCE_MASTER', timestamp: 1763769590 }, runningStatus],
  status_update_state: 'TASK_RUNNING',
  status_update_uuid: STATUS_UUID,
  labels,
  discovery: taskInfo.discovery,
  container,
  user: 'kafka',
  health_check: healthCheck,
  kill_policy: taskInfo.kill_policy,
  limits: { cpus: { value: 4 } },
};

export const stagingTask: v1.Task = {
  name: 'pending-日本',
  task_id: { value: 'pending-1' },
  framework_id: frameworkId,
  agent_id: agentId,
  state: 'TASK_STAGING',
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
};

export const operationStatus: v1.OperationStatus = {
  operation_id: operationId,
  state: 'OPERATION_FINISHED',
  message: 'réservé',
  converted_resources: [reservedMem],
  uuid: { value: STATUS_UUID },
  agent_id: agentId,
  resource_provider_id: { value: 'local-storage-provider' },
};
