// Agents: REGISTER (admitted to the registry before the answer), REREGISTER (after an agent restart, a broken
// stream or a master failover: the master adopts the tasks it reports), liveness by PING/PONG, unreachable
// agents (rate limited by --agent_removal_rate_limit) and agents the operator marks gone.
import type { internal, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { MasterError } from '../core/errors.js';
import { downMachineRefusal } from '../core/maintenance.js';
import type { AgentRecord, EventSink, FrameworkRecord, TaskRecord } from '../core/state.js';
import { taskKey } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { allocatedForm } from '../core/validation.js';
import { withCheckpointed } from './agent-resources.js';
import { recoverFramework, trimCompleted } from './frameworks.js';
import type { MasterContext as Master } from './context.js';
import { rescindAgentOffers } from './offers.js';
import { recordStatus } from '../core/task-history.js';
import { completeTask, finishTask, masterStatus, sendUpdate } from './tasks.js';
import { agentView } from './views.js';

type Sink = EventSink<internal.AgentEvent>;

function attributesText(info: v1.AgentInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of info.attributes ?? []) {
    if (a.text) out[a.name] = a.text.value;
    else if (a.scalar) out[a.name] = String(a.scalar.value);
    else if (a.set) out[a.name] = (a.set.item ?? []).join(',');
    else if (a.ranges) out[a.name] = (a.ranges.range ?? []).map((r) => `[${r.begin}-${r.end}]`).join(',');
  }
  return out;
}

function totalOf(info: v1.AgentInfo, checkpointed: v1.Resource[]): { total: Resources; checkpointed: Resources } {
  try {
    const cp = Resources.fromProto(checkpointed);
    return { total: withCheckpointed(Resources.fromProto(info.resources ?? []), cp), checkpointed: cp };
  } catch (e) {
    throw new MasterError('INVALID_CALL', `invalid agent resources: ${(e as Error).message}`);
  }
}

function newAgent(m: Master, id: string, info: v1.AgentInfo, version: string, total: Resources, checkpointed: Resources, sink: Sink, streamId: string): AgentRecord {
  return {
    id,
    info: { ...info, id: { value: id } },
    version,
    total,
    checkpointed,
    stream: sink,
    streamId,
    reachable: true,
    deactivated: false,
    draining: false,
    registeredTime: m.clock.now(),
    reregisteredTime: undefined,
    pingSequence: 0,
    missedPings: 0,
    tasks: new Set(),
    offers: new Set(),
  };
}

function registered(m: Master, agent: AgentRecord): void {
  agent.stream?.send({
    type: 'REGISTERED',
    registered: { agent_id: { value: agent.id }, master_info: m.info, ping_interval_seconds: m.flags.agentPingTimeoutMs / 1000 },
  });
  m.publish({ type: 'AGENT_ADDED', agent_added: { agent: agentView(m, agent) } });
  m.requestAllocation([agent.id]);
}

function refuseOnDownMachine(m: Master, info: v1.AgentInfo): void {
  const why = downMachineRefusal(m.books.maintenance, info.hostname);
  if (why !== undefined) throw new MasterError('REMOVED', why);
}

/** REGISTER: a new agent gets an id, is admitted durably, then hears REGISTERED. */
export async function registerAgent(m: Master, reg: internal.AgentCall.Register, sink: Sink, streamId: string): Promise<AgentRecord> {
  refuseOnDownMachine(m, reg.agent_info);
  const { total, checkpointed } = totalOf(reg.agent_info, reg.checkpointed_resources ?? []);
  const id = m.nextAgentId();
  const agent = newAgent(m, id, reg.agent_info, reg.version ?? '', total, checkpointed, sink, streamId);
  await m.registry.mutate((d) => d.agents.push({ info: agent.info, checkpointed: checkpointed.toProto() }));
  m.books.agents.set(id, agent);
  m.allocator.addAgent(id, { hostname: agent.info.hostname, total, attributes: attributesText(agent.info) });
  m.metrics.inc('master/slave_registrations');
  m.log.info({ agent: id, hostname: agent.info.hostname }, 'agent registered');
  registered(m, agent);
  return agent;
}

/** REREGISTER: the agent comes back with everything it runs; the master adopts and reconciles. */
export async function reregisterAgent(m: Master, rr: internal.AgentCall.Reregister, sink: Sink, streamId: string, callAgentId?: string): Promise<AgentRecord> {
  const id = rr.agent_info.id?.value ?? callAgentId;
  if (!id) throw new MasterError('INVALID_CALL', "REREGISTER needs 'reregister.agent_info.id'; a new agent uses REGISTER");
  if (m.books.goneAgents.has(id)) throw new MasterError('REMOVED', `Agent ${id} has been marked gone; start it with a fresh work_dir to join as a new agent`);
  refuseOnDownMachine(m, rr.agent_info);
  const stored = m.registry.document.agents.find((a) => a.info.id?.value === id);
  const { total, checkpointed } = totalOf(rr.agent_info, stored?.checkpointed ?? rr.checkpointed_resources ?? []);
  if (!stored) await m.registry.mutate((d) => d.agents.push({ info: { ...rr.agent_info, id: { value: id } }, checkpointed: checkpointed.toProto() }));
  if (m.registry.document.unreachableAgents?.includes(id)) {
    await m.registry.mutate((d) => void (d.unreachableAgents = (d.unreachableAgents ?? []).filter((x) => x !== id)));
  }

  const old = m.books.agents.get(id);
  if (old) {
    rescindAgentOffers(m, id, 0);
    if (old.stream && old.stream !== sink) old.stream.close();
    if (old.reachable) m.allocator.removeAgent(id);
  }
  m.books.recoveredAgents.delete(id);
  m.books.unreachableAgents.delete(id);
  const agent = newAgent(m, id, rr.agent_info, rr.version ?? '', total, checkpointed, sink, streamId);
  if (old) {
    agent.registeredTime = old.registeredTime;
    agent.deactivated = old.deactivated;
    agent.draining = old.draining;
  }
  agent.reregisteredTime = m.clock.now();
  m.books.agents.set(id, agent);

  const infos = new Map((rr.frameworks ?? []).filter((f) => f.id).map((f) => [f.id?.value as string, f]));
  const frameworkOf = (fwId: string): FrameworkRecord =>
    m.books.frameworks.get(fwId) ?? recoverFramework(m, infos.get(fwId) ?? m.recoveredFrameworkInfos.get(fwId) ?? { user: '', name: '', id: { value: fwId } });
  const used = new Map<string, Resources>();
  const addUsed = (fwId: string, res: Resources): void => void used.set(fwId, (used.get(fwId) ?? Resources.empty()).add(res));
  const reported = new Set<string>();
  const now = m.clock.now();

  // The agent's report replaces what the master believed runs there.
  for (const fw of m.books.frameworks.values()) for (const [k, ex] of fw.executors) if (ex.agentId === id) fw.executors.delete(k);
  for (const ex of rr.executors ?? []) {
    const fwId = ex.framework_id?.value;
    if (!fwId || m.removedFrameworks.has(fwId)) continue;
    const fw = frameworkOf(fwId);
    const res = asAllocated(ex.resources, fw);
    fw.executors.set(`${id}/${ex.executor_id.value}`, { info: ex, agentId: id, resources: res });
    addUsed(fwId, res);
  }
  for (const t of rr.tasks ?? []) {
    const fwId = t.framework_id.value;
    if (m.removedFrameworks.has(fwId)) continue;
    const fw = frameworkOf(fwId);
    const taskId = t.task_id.value;
    const known = fw.tasks.get(taskId) ?? fw.unreachableTasks.get(taskId);
    // Terminal and waiting for its acknowledgement: it stays as it is until the scheduler acknowledges.
    if (known?.released) {
      reported.add(taskKey(fwId, taskId));
      continue;
    }
    const wasUnreachable = known !== undefined && fw.unreachableTasks.get(taskId) === known;
    const rec: TaskRecord = known ?? { task: { ...t, agent_id: { value: id } }, resources: asAllocated(t.resources, fw) };
    rec.task.state = t.state;
    if (!known) rec.task.statuses = [];
    for (const st of known ? (t.statuses ?? []).slice(-1) : (t.statuses ?? [])) recordStatus(rec.task, st);
    fw.unreachableTasks.delete(taskId);
    if (isTerminal(t.state)) {
      fw.tasks.delete(taskId);
      fw.completedTasks.push(rec.task);
      trimCompleted(m, fw);
      continue;
    }
    fw.tasks.set(taskId, rec);
    agent.tasks.add(taskKey(fwId, taskId));
    reported.add(taskKey(fwId, taskId));
    addUsed(fwId, rec.resources);
    if (wasUnreachable) {
      sendUpdate(m, fw, { ...masterStatus(t.task_id, t.state, 'REASON_AGENT_REREGISTERED', 'Agent re-registered', id, now), ...(t.executor_id ? { executor_id: t.executor_id } : {}) });
    }
  }
  // Tasks the master placed on this agent that the agent no longer knows are gone.
  for (const fw of m.books.frameworks.values()) {
    for (const records of [fw.tasks, fw.unreachableTasks]) {
      for (const rec of [...records.values()]) {
        if (rec.task.agent_id.value !== id || reported.has(taskKey(fw.id, rec.task.task_id.value))) continue;
        if (rec.released) {
          completeTask(m, fw, rec);
          continue;
        }
        const status = masterStatus(rec.task.task_id, 'TASK_GONE', 'REASON_AGENT_REREGISTERED', 'Task is unknown to the re-registered agent', id, now);
        rec.task.state = 'TASK_GONE';
        recordStatus(rec.task, status);
        records.delete(rec.task.task_id.value);
        fw.completedTasks.push(rec.task);
        sendUpdate(m, fw, status);
        m.publish({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: fw.id }, status, state: 'TASK_GONE' } });
      }
    }
  }
  try {
    m.allocator.addAgent(id, { hostname: agent.info.hostname, total, attributes: attributesText(agent.info), used });
  } catch (e) {
    m.log.error({ agent: id, err: e }, 'agent reports more resources in use than it has; offering its total as free');
    m.allocator.addAgent(id, { hostname: agent.info.hostname, total, attributes: attributesText(agent.info) });
  }
  if (agent.deactivated) m.allocator.deactivateAgent(id);
  if (stored && !Resources.fromProto(rr.checkpointed_resources ?? []).equals(checkpointed)) {
    sink.send({ type: 'CHECKPOINT_RESOURCES', checkpoint_resources: { resources: checkpointed.toProto() } });
  }
  m.metrics.inc('master/slave_reregistrations');
  m.log.info({ agent: id, tasks: agent.tasks.size }, 'agent re-registered');
  registered(m, agent);
  return agent;
}

/** Task and executor resources in allocated form (agents may report them without allocation_info). */
function asAllocated(list: v1.Resource[] | undefined, fw: FrameworkRecord): Resources {
  const res = Resources.fromProto(list ?? []);
  if ((list ?? []).every((r) => r.allocation_info?.role !== undefined)) return res;
  const r = allocatedForm(list, fw.roles[0] ?? '*');
  return typeof r === 'string' ? res.allocate(fw.roles[0] ?? '*') : r;
}

export function pong(agent: AgentRecord, p: internal.AgentCall.Pong): void {
  if (p.sequence <= agent.pingSequence) agent.missedPings = 0;
}

/** The agent's stream ended: no offers from it until it re-registers; pings keep counting toward unreachable. */
export function agentDisconnected(m: Master, agent: AgentRecord, sink: Sink): void {
  if (agent.stream !== sink) return;
  agent.stream = undefined;
  agent.streamId = undefined;
  if (!agent.reachable || m.books.agents.get(agent.id) !== agent) return;
  rescindAgentOffers(m, agent.id, 0);
  m.allocator.deactivateAgent(agent.id);
  m.log.info({ agent: agent.id }, 'agent disconnected');
}

const removalPending = new WeakSet<AgentRecord>();

/** Every --agent_ping_timeout: PING every agent; one that missed --max_agent_ping_timeouts pings is unreachable. */
export function pingAgents(m: Master): void {
  for (const agent of m.books.agents.values()) {
    if (!agent.reachable || removalPending.has(agent)) continue;
    if (agent.missedPings >= m.flags.maxAgentPingTimeouts) {
      removalPending.add(agent);
      const act = (): void => {
        removalPending.delete(agent);
        if (agent.reachable && agent.missedPings >= m.flags.maxAgentPingTimeouts && m.books.agents.get(agent.id) === agent) markUnreachable(m, agent);
      };
      if (m.removalLimiter) m.removalLimiter.run(act);
      else act();
      continue;
    }
    agent.pingSequence++;
    agent.missedPings++;
    agent.stream?.send({ type: 'PING', ping: { sequence: agent.pingSequence } });
  }
}

/** The agent stopped answering: its tasks are TASK_UNREACHABLE (TASK_LOST for older frameworks) until it returns. */
export function markUnreachable(m: Master, agent: AgentRecord): void {
  m.log.warn({ agent: agent.id }, 'agent is unreachable');
  rescindAgentOffers(m, agent.id, 0);
  agent.stream?.close();
  agent.stream = undefined;
  agent.reachable = false;
  m.allocator.removeAgent(agent.id);
  const now = m.clock.now();
  for (const key of agent.tasks) {
    const slash = key.indexOf('/');
    const fw = m.books.frameworks.get(key.slice(0, slash));
    const rec = fw?.tasks.get(key.slice(slash + 1));
    if (!fw || !rec) continue;
    const status = masterStatus(rec.task.task_id, 'TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'Agent is unreachable', agent.id, now);
    status.unreachable_time = { nanoseconds: BigInt(now) * 1_000_000n };
    rec.task.state = 'TASK_UNREACHABLE';
    recordStatus(rec.task, status);
    fw.tasks.delete(rec.task.task_id.value);
    fw.unreachableTasks.set(rec.task.task_id.value, rec);
    sendUpdate(m, fw, status);
    m.publish({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: fw.id }, status, state: 'TASK_UNREACHABLE' } });
  }
  for (const fw of m.books.frameworks.values()) for (const [k, ex] of fw.executors) if (ex.agentId === agent.id) fw.executors.delete(k);
  m.metrics.inc('master/slave_unreachable_completed');
  m.publish({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agent.id } } });
}

/** MARK_AGENT_GONE: the agent is shut down and never admitted again; its tasks are TASK_GONE_BY_OPERATOR. */
export async function markGone(m: Master, agentId: string): Promise<void> {
  if (m.books.goneAgents.has(agentId)) return;
  const agent = m.books.agents.get(agentId);
  if (!agent && !m.books.recoveredAgents.has(agentId)) throw new MasterError('UNKNOWN_AGENT', `No agent found with ID ${agentId}`, { status: 404 });
  await m.registry.mutate((d) => {
    d.agents = d.agents.filter((a) => a.info.id?.value !== agentId);
    d.goneAgents.push(agentId);
  });
  m.books.goneAgents.add(agentId);
  m.books.recoveredAgents.delete(agentId);
  if (!agent) return;
  rescindAgentOffers(m, agentId, 0);
  agent.stream?.send({ type: 'SHUTDOWN', shutdown: { message: 'Agent marked gone by the operator' } });
  agent.stream?.close();
  const now = m.clock.now();
  for (const fw of m.books.frameworks.values()) {
    for (const records of [fw.tasks, fw.unreachableTasks]) {
      for (const rec of [...records.values()]) {
        if (rec.task.agent_id.value !== agentId) continue;
        if (rec.released) {
          completeTask(m, fw, rec);
          continue;
        }
        const status = masterStatus(rec.task.task_id, 'TASK_GONE_BY_OPERATOR', 'REASON_AGENT_REMOVED_BY_OPERATOR', 'Agent marked gone by the operator', agentId, now);
        rec.task.state = 'TASK_GONE_BY_OPERATOR';
        recordStatus(rec.task, status);
        finishTask(m, fw, rec);
        sendUpdate(m, fw, status);
      }
    }
    for (const [k, ex] of fw.executors) if (ex.agentId === agentId) fw.executors.delete(k);
  }
  if (agent.reachable) m.allocator.removeAgent(agentId);
  m.books.agents.delete(agentId);
  m.metrics.inc('master/slave_removals');
  m.publish({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentId } } });
}

/** DEACTIVATE_AGENT / DRAIN_AGENT / REACTIVATE_AGENT. Draining also kills the agent's tasks. */
export function setAgentActive(m: Master, agentId: string, mode: 'deactivate' | 'drain' | 'reactivate'): void {
  const agent = m.books.agents.get(agentId);
  if (!agent) throw new MasterError('UNKNOWN_AGENT', `No agent found with ID ${agentId}`, { status: 404 });
  if (mode === 'reactivate') {
    agent.deactivated = false;
    agent.draining = false;
    if (agent.reachable) m.allocator.reactivateAgent(agentId);
    m.requestAllocation([agentId]);
    return;
  }
  agent.deactivated = true;
  if (agent.reachable) m.allocator.deactivateAgent(agentId);
  rescindAgentOffers(m, agentId, 0);
  if (mode !== 'drain') return;
  agent.draining = true;
  for (const key of agent.tasks) {
    const slash = key.indexOf('/');
    agent.stream?.send({ type: 'KILL_TASK', kill_task: { framework_id: { value: key.slice(0, slash) }, task_id: { value: key.slice(slash + 1) } } });
  }
}
