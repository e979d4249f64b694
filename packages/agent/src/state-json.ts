// The agent's `/state` document in upstream's shape (src/slave/http.cpp): v0 resources as flat objects
// ({"cpus":4,"mem":1024,"ports":"[31000-32000]"}), frameworks with executors, tasks, queued and completed tasks.
import type { v1 } from '@mesos-ts/proto';
import { reservationRole } from '@mesos-ts/resources';
import { encodeJson } from '@mesos-ts/wire';
import { AGENT_VERSION, type AgentContext } from './agent-context.js';
import type { ExecutorRec, FrameworkRec } from './model.js';

type Json = Record<string, unknown>;

const protoJson = (name: 'mesos.v1.Resource' | 'mesos.v1.Labels' | 'mesos.v1.DiscoveryInfo' | 'mesos.v1.ContainerInfo', value: unknown): unknown =>
  JSON.parse(encodeJson(name as 'mesos.v1.Resource', value as v1.Resource));

/** v0 flat resources: scalars summed (3 decimals), ranges as "[a-b, c-d]", sets as "{a,b}". */
export function flatResources(resources: readonly v1.Resource[]): Json {
  const scalars = new Map<string, number>();
  const ranges = new Map<string, Array<[number, number]>>();
  const sets = new Map<string, string[]>();
  for (const r of resources) {
    if (r.type === 'SCALAR') scalars.set(r.name, (scalars.get(r.name) ?? 0) + (r.scalar?.value ?? 0));
    else if (r.type === 'RANGES') ranges.set(r.name, [...(ranges.get(r.name) ?? []), ...(r.ranges?.range ?? []).map((x): [number, number] => [Number(x.begin), Number(x.end)])]);
    else if (r.type === 'SET') sets.set(r.name, [...(sets.get(r.name) ?? []), ...(r.set?.item ?? [])]);
  }
  const out: Json = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  for (const [k, v] of scalars) out[k] = Math.round(v * 1000) / 1000;
  for (const [k, v] of ranges) out[k] = `[${v.sort((a, b) => a[0] - b[0]).map(([b, e]) => `${b}-${e}`).join(', ')}]`;
  for (const [k, v] of sets) out[k] = `{${v.join(',')}}`;
  return out;
}

function byRole(resources: readonly v1.Resource[]): Map<string, v1.Resource[]> {
  const out = new Map<string, v1.Resource[]>();
  for (const r of resources) {
    const role = reservationRole(r);
    if (role === '*') continue;
    out.set(role, [...(out.get(role) ?? []), r]);
  }
  return out;
}

function attributesJson(attrs: readonly v1.Attribute[]): Json {
  const out: Json = {};
  for (const a of attrs) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar?.value;
    else if (a.type === 'TEXT') out[a.name] = a.text?.value;
    else if (a.type === 'RANGES') out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else if (a.type === 'SET') out[a.name] = `{${(a.set?.item ?? []).join(',')}}`;
  }
  return out;
}

export function taskJson(t: v1.Task, agentId: string): Json {
  return {
    id: t.task_id.value,
    name: t.name,
    framework_id: t.framework_id.value,
    executor_id: t.executor_id?.value ?? '',
    slave_id: agentId,
    state: t.state,
    resources: flatResources(t.resources ?? []),
    statuses: (t.statuses ?? []).map((s) => ({
      state: s.state,
      timestamp: s.timestamp ?? 0,
      ...(s.healthy !== undefined ? { healthy: s.healthy } : {}),
      ...(s.message !== undefined ? { message: s.message } : {}),
    })),
    ...(t.labels ? { labels: (protoJson('mesos.v1.Labels', t.labels) as { labels?: unknown }).labels ?? [] } : {}),
    ...(t.discovery ? { discovery: protoJson('mesos.v1.DiscoveryInfo', t.discovery) } : {}),
    ...(t.container ? { container: protoJson('mesos.v1.ContainerInfo', t.container) } : {}),
    ...(t.user ? { user: t.user } : {}),
  };
}

function taskInfoJson(info: v1.TaskInfo, ex: ExecutorRec, agentId: string): Json {
  return { id: info.task_id.value, name: info.name, framework_id: ex.frameworkId, executor_id: ex.kind === 'command' ? '' : ex.id, slave_id: agentId, resources: flatResources(info.resources ?? []) };
}

export function executorJson(ex: ExecutorRec, agentId: string): Json {
  const queued = new Set([...ex.queued.map((t) => t.task_id.value), ...ex.queuedGroups.flatMap((g) => (g.tasks ?? []).map((t) => t.task_id.value))]);
  const live = [...ex.tasks.values()];
  return {
    id: ex.id,
    name: ex.info.name ?? '',
    source: ex.info.source ?? '',
    container: ex.containerId,
    directory: ex.sandbox,
    resources: flatResources([...(ex.info.resources ?? [])]),
    type: ex.kind === 'default' ? 'DEFAULT' : 'CUSTOM',
    tasks: live.filter((t) => !queued.has(t.task_id.value) && !isDone(t)).map((t) => taskJson(t, agentId)),
    queued_tasks: [...ex.taskInfos.values()].filter((t) => queued.has(t.task_id.value)).map((t) => taskInfoJson(t, ex, agentId)),
    completed_tasks: [...ex.completedTasks, ...live.filter(isDone)].map((t) => taskJson(t, agentId)),
    ...(ex.info.labels ? { labels: (protoJson('mesos.v1.Labels', ex.info.labels) as { labels?: unknown }).labels ?? [] } : {}),
  };
}

const DONE = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
const isDone = (t: v1.Task): boolean => DONE.has(t.state);

function frameworkJson(fw: FrameworkRec, agentId: string): Json {
  const i = fw.info;
  return {
    id: fw.id,
    name: i.name,
    user: i.user,
    failover_timeout: i.failover_timeout ?? 0,
    checkpoint: i.checkpoint ?? false,
    role: i.role ?? '*',
    ...(i.roles ? { roles: i.roles } : {}),
    hostname: i.hostname ?? '',
    ...(i.principal ? { principal: i.principal } : {}),
    capabilities: (i.capabilities ?? []).map((c) => c.type),
    executors: [...fw.executors.values()].map((e) => executorJson(e, agentId)),
    completed_executors: fw.completedExecutors.map((e) => executorJson(e, agentId)),
  };
}

export function stateJson(agent: AgentContext): Json {
  const agentId = agent.agentId ?? '';
  const total = [...agent.opts.resources.toProto(), ...agent.volumes.resources];
  const reserved = byRole(total);
  const reservedFlat: Json = {};
  const reservedFull: Json = {};
  for (const [role, list] of reserved) {
    reservedFlat[role] = flatResources(list);
    reservedFull[role] = list.map((r) => protoJson('mesos.v1.Resource', r));
  }
  const unreserved = total.filter((r) => reservationRole(r) === '*');
  const master = agent.masterInfo;
  return {
    version: AGENT_VERSION,
    build_date: '',
    build_time: 0,
    build_user: '',
    start_time: agent.startTime,
    id: agentId,
    pid: `slave(1)@${agent.address}`,
    hostname: agent.hostname,
    capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
    resources: flatResources(agent.opts.resources.toProto()),
    reserved_resources: reservedFlat,
    unreserved_resources: flatResources(unreserved),
    reserved_resources_full: reservedFull,
    unreserved_resources_full: unreserved.map((r) => protoJson('mesos.v1.Resource', r)),
    attributes: attributesJson(agent.opts.attributes),
    ...(master ? { master_hostname: master.hostname ?? '' } : {}),
    flags: agent.flags.raw,
    frameworks: [...agent.frameworks.values()].map((f) => frameworkJson(f, agentId)),
    completed_frameworks: agent.completedFrameworks.map((f) => frameworkJson(f, agentId)),
  };
}
