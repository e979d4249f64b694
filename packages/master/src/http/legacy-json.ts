// Upstream's v0 JSON model (src/common/http.cpp, src/master/readonly_handler.cpp) for /master/state and
// friends: resources as flat objects ({"cpus":1,"mem":128,"ports":"[31000-32000]"}), times in seconds,
// agents called slaves, nested protobufs (labels, container, discovery) in Mesos' JSON mapping.
import type { MessageName, v1 } from '@mesos-ts/proto';
import { Resources, reservationRole } from '@mesos-ts/resources';
import { encodeJson } from '@mesos-ts/wire';
import type { AgentRecord, FrameworkRecord } from '../core/state.js';
import type { Master } from '../runtime/master.js';
import { MASTER_VERSION } from '../runtime/master.js';
import { agentOffered, agentUsed, offeredTo, usedBy } from '../runtime/views.js';

type Json = Record<string, unknown>;

const proto = (name: MessageName, msg: unknown): unknown => JSON.parse(encodeJson(name, msg as never));

/** Flat v0 resources object; scalars always include cpus, mem, disk and gpus. */
export function flatResources(res: Resources): Json {
  const out: Json = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  for (const [name, v] of res.scalars()) out[name] = v;
  const ranges = new Map<string, Array<[number, number]>>();
  const sets = new Map<string, string[]>();
  for (const r of res) {
    if (r.type === 'RANGES') ranges.set(r.name, [...(ranges.get(r.name) ?? []), ...(r.ranges?.range ?? []).map((x) => [Number(x.begin), Number(x.end)] as [number, number])]);
    if (r.type === 'SET') sets.set(r.name, [...(sets.get(r.name) ?? []), ...(r.set?.item ?? [])]);
  }
  for (const [name, list] of ranges) out[name] = `[${list.sort((a, b) => a[0] - b[0]).map(([b, e]) => `${b}-${e}`).join(', ')}]`;
  for (const [name, items] of sets) out[name] = `{${items.join(', ')}}`;
  return out;
}

const secs = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

export function taskJson(task: v1.Task, role?: string): Json {
  const out: Json = {
    id: task.task_id.value,
    name: task.name,
    framework_id: task.framework_id.value,
    executor_id: task.executor_id?.value ?? '',
    slave_id: task.agent_id.value,
    state: task.state,
    resources: flatResources(Resources.fromProto(task.resources ?? [])),
    statuses: (task.statuses ?? []).map((s) => ({ state: s.state, timestamp: s.timestamp ?? 0, ...(s.healthy !== undefined ? { healthy: s.healthy } : {}) })),
  };
  if (role !== undefined) out['role'] = role;
  if (task.user !== undefined) out['user'] = task.user;
  if (task.labels) out['labels'] = (proto('mesos.v1.Labels', task.labels) as Json)['labels'];
  if (task.discovery) out['discovery'] = proto('mesos.v1.DiscoveryInfo', task.discovery);
  if (task.container) out['container'] = proto('mesos.v1.ContainerInfo', task.container);
  return out;
}

export function frameworkJson(m: Master, fw: FrameworkRecord): Json {
  const info = fw.info;
  const role = fw.roles[0];
  return {
    id: fw.id,
    name: info.name,
    user: info.user,
    hostname: info.hostname ?? '',
    webui_url: info.webui_url ?? '',
    principal: info.principal,
    role: info.role ?? '*',
    roles: fw.roles,
    failover_timeout: info.failover_timeout ?? 0,
    checkpoint: info.checkpoint ?? false,
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
    registered_time: secs(fw.registeredTime),
    reregistered_time: secs(fw.reregisteredTime ?? fw.registeredTime),
    unregistered_time: secs(fw.unregisteredTime) ?? 0,
    resources: flatResources(usedBy(fw).add(offeredTo(m, fw))),
    used_resources: flatResources(usedBy(fw)),
    offered_resources: flatResources(offeredTo(m, fw)),
    tasks: [...fw.tasks.values()].map((r) => taskJson(r.task, role)),
    unreachable_tasks: [...fw.unreachableTasks.values()].map((r) => taskJson(r.task, role)),
    completed_tasks: fw.completedTasks.map((t) => taskJson(t, role)),
    offers: [...fw.offers].flatMap((id) => {
      const o = m.books.offers.get(id);
      return o ? [{ id, framework_id: fw.id, slave_id: o.agentId, resources: flatResources(o.resources) }] : [];
    }),
    executors: [...fw.executors.values()].map((e) => ({
      executor_id: e.info.executor_id.value,
      name: e.info.name ?? '',
      framework_id: fw.id,
      slave_id: e.agentId,
      command: e.info.command ? proto('mesos.v1.CommandInfo', e.info.command) : undefined,
      resources: flatResources(e.resources),
    })),
    labels: info.labels ? (proto('mesos.v1.Labels', info.labels) as Json)['labels'] : [],
  };
}

export function agentJson(m: Master, agent: AgentRecord): Json {
  const reservedByRole = (res: Resources): Json => {
    const roles = new Map<string, Resources>();
    for (const r of res.reserved()) {
      const role = reservationRole(r);
      roles.set(role, (roles.get(role) ?? Resources.empty()).add(Resources.fromProto([r])));
    }
    return Object.fromEntries([...roles].map(([role, rs]) => [role, flatResources(rs)]));
  };
  const attributes: Json = {};
  for (const a of agent.info.attributes ?? []) attributes[a.name] = a.text?.value ?? a.scalar?.value ?? (a.set?.item ?? []).join(',');
  const used = agentUsed(m, agent);
  return {
    id: agent.id,
    pid: `slave(1)@${agent.info.hostname}:${agent.info.port ?? 5051}`,
    hostname: agent.info.hostname,
    port: agent.info.port ?? 5051,
    registered_time: agent.registeredTime / 1000,
    ...(agent.reregisteredTime !== undefined ? { reregistered_time: agent.reregisteredTime / 1000 } : {}),
    resources: flatResources(agent.total),
    used_resources: flatResources(used),
    offered_resources: flatResources(agentOffered(m, agent)),
    reserved_resources: reservedByRole(agent.total),
    unreserved_resources: flatResources(agent.total.unreserved()),
    reserved_resources_full: Object.fromEntries([...new Set(agent.total.reserved().toProto().map(reservationRole))].map((role) => [role, agent.total.reserved(role).toProto().map((r) => proto('mesos.v1.Resource', r))])),
    attributes,
    active: agent.reachable && agent.stream !== undefined && !agent.deactivated,
    deactivated: agent.deactivated,
    version: agent.version,
    capabilities: [],
  };
}

export function stateJson(m: Master): Json {
  const agents = [...m.books.agents.values()];
  const reachable = agents.filter((a) => a.reachable);
  return {
    version: MASTER_VERSION,
    build_user: 'mesos-ts',
    start_time: m.startTime / 1000,
    elected_time: m.electedTime !== undefined ? m.electedTime / 1000 : undefined,
    id: m.id,
    pid: m.info.pid,
    hostname: m.info.hostname,
    cluster: m.flags.cluster,
    leader: m.info.pid,
    leader_info: proto('mesos.v1.MasterInfo', m.info),
    log_dir: m.flags.logDir,
    activated_slaves: reachable.filter((a) => !a.deactivated).length,
    deactivated_slaves: reachable.filter((a) => a.deactivated).length,
    unreachable_slaves: agents.length - reachable.length,
    flags: Object.fromEntries(m.flags.raw),
    slaves: reachable.map((a) => agentJson(m, a)),
    recovered_slaves: [...m.books.recoveredAgents.values()].map((i) => ({ id: i.id?.value, hostname: i.hostname, port: i.port ?? 5051 })),
    frameworks: [...m.books.frameworks.values()].map((f) => frameworkJson(m, f)),
    completed_frameworks: m.books.completedFrameworks.map((f) => frameworkJson(m, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}
