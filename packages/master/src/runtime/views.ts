// Read-only views of the books in the operator API's shapes (master.Response.*), shared by GET_* calls,
// operator SUBSCRIBE events and (converted) the legacy JSON endpoints.
import type { master, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { AgentRecord, FrameworkRecord } from '../core/state.js';
import type { MasterContext as Master } from './context.js';

export const timeInfo = (ms: number): v1.TimeInfo => ({ nanoseconds: BigInt(Math.round(ms)) * 1_000_000n });

/** What a framework holds on all agents: task and executor resources (allocated form). */
export function usedBy(fw: FrameworkRecord): Resources {
  let used = Resources.empty();
  for (const r of fw.tasks.values()) if (!r.released) used = used.add(r.resources);
  for (const e of fw.executors.values()) used = used.add(e.resources);
  return used;
}

/** The resources of the outstanding offers among `offerIds` (a framework's or an agent's). */
function offeredIn(m: Master, offerIds: Iterable<string>): Resources {
  let offered = Resources.empty();
  for (const id of offerIds) {
    const o = m.books.offers.get(id);
    if (o) offered = offered.add(o.resources);
  }
  return offered;
}

export function offeredTo(m: Master, fw: FrameworkRecord): Resources {
  return offeredIn(m, fw.offers);
}

export function frameworkView(m: Master, fw: FrameworkRecord): master.Response.GetFrameworks.Framework {
  const view: master.Response.GetFrameworks.Framework = {
    framework_info: fw.info,
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
    registered_time: timeInfo(fw.registeredTime),
    offers: [...fw.offers].map((id) => m.books.offers.get(id)?.proto).filter((o): o is v1.Offer => o !== undefined),
    allocated_resources: usedBy(fw).toProto(),
    offered_resources: offeredTo(m, fw).toProto(),
  };
  if (fw.reregisteredTime !== undefined) view.reregistered_time = timeInfo(fw.reregisteredTime);
  if (fw.unregisteredTime !== undefined) view.unregistered_time = timeInfo(fw.unregisteredTime);
  return view;
}

export function agentUsed(m: Master, agent: AgentRecord): Resources {
  let used = Resources.empty();
  for (const key of agent.tasks) {
    const slash = key.indexOf('/');
    const fw = m.books.frameworks.get(key.slice(0, slash));
    const rec = fw?.tasks.get(key.slice(slash + 1));
    if (rec && !rec.released) used = used.add(rec.resources);
  }
  for (const fw of m.books.frameworks.values()) for (const e of fw.executors.values()) if (e.agentId === agent.id) used = used.add(e.resources);
  return used;
}

export function agentOffered(m: Master, agent: AgentRecord): Resources {
  return offeredIn(m, agent.offers);
}

export function agentView(m: Master, agent: AgentRecord): master.Response.GetAgents.Agent {
  const view: master.Response.GetAgents.Agent = {
    agent_info: agent.info,
    active: agent.reachable && agent.stream !== undefined && !agent.deactivated,
    deactivated: agent.deactivated,
    version: agent.version,
    pid: `slave(1)@${agent.info.hostname}:${agent.info.port ?? 5051}`,
    registered_time: timeInfo(agent.registeredTime),
    total_resources: agent.total.toProto(),
    allocated_resources: agentUsed(m, agent).toProto(),
    offered_resources: agentOffered(m, agent).toProto(),
  };
  if (agent.reregisteredTime !== undefined) view.reregistered_time = timeInfo(agent.reregisteredTime);
  return view;
}

export function getAgents(m: Master): master.Response.GetAgents {
  return {
    agents: [...m.books.agents.values()].filter((a) => a.reachable).map((a) => agentView(m, a)),
    recovered_agents: [...m.books.recoveredAgents.values()],
  };
}

export function getFrameworks(m: Master): master.Response.GetFrameworks {
  return {
    frameworks: [...m.books.frameworks.values()].map((f) => frameworkView(m, f)),
    completed_frameworks: m.books.completedFrameworks.map((f) => frameworkView(m, f)),
    recovered_frameworks: [...m.recoveredFrameworkInfos.values()],
  };
}

export function getTasks(m: Master): master.Response.GetTasks {
  const tasks: v1.Task[] = [];
  const unreachable: v1.Task[] = [];
  const completed: v1.Task[] = [];
  for (const fw of m.books.frameworks.values()) {
    for (const r of fw.tasks.values()) tasks.push(r.task);
    for (const r of fw.unreachableTasks.values()) unreachable.push(r.task);
    completed.push(...fw.completedTasks);
  }
  for (const fw of m.books.completedFrameworks) completed.push(...fw.completedTasks);
  return { tasks, unreachable_tasks: unreachable, completed_tasks: completed };
}

export function getExecutors(m: Master): master.Response.GetExecutors {
  const executors: master.Response.GetExecutors.Executor[] = [];
  for (const fw of m.books.frameworks.values()) {
    for (const e of fw.executors.values()) executors.push({ executor_info: e.info, agent_id: { value: e.agentId } });
  }
  return { executors };
}

export function getState(m: Master): master.Response.GetState {
  return { get_tasks: getTasks(m), get_executors: getExecutors(m), get_frameworks: getFrameworks(m), get_agents: getAgents(m) };
}

/** Roles known to the master: of frameworks, weights, quota and reservations. */
export function getRoles(m: Master): v1.Role[] {
  const names = new Set<string>(['*']);
  for (const fw of m.books.frameworks.values()) for (const r of fw.roles) names.add(r);
  for (const r of m.books.weights.keys()) names.add(r);
  for (const r of m.books.quotas.keys()) names.add(r);
  const out: v1.Role[] = [];
  for (const name of [...names].sort()) {
    const frameworks = [...m.books.frameworks.values()].filter((f) => f.roles.includes(name));
    let resources = Resources.empty();
    for (const fw of frameworks) resources = resources.add(usedBy(fw).filter((r) => r.allocation_info?.role === name));
    out.push({ name, weight: m.books.weights.get(name) ?? 1, frameworks: frameworks.map((f) => ({ value: f.id })), resources: resources.toProto() });
  }
  return out;
}

export function getWeights(m: Master): master.Response.GetWeights {
  return { weight_infos: [...m.books.weights].map(([role, weight]) => ({ role, weight })) };
}

export function getMaster(m: Master): master.Response.GetMaster {
  const out: master.Response.GetMaster = { master_info: m.info, start_time: m.startTime / 1000 };
  if (m.electedTime !== undefined) out.elected_time = m.electedTime / 1000;
  return out;
}
