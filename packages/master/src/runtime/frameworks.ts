// Framework lifecycle: SUBSCRIBE (new, and failover with the same id), UPDATE_FRAMEWORK, disconnection with
// the failover_timeout clock, and removal (TEARDOWN, timeout, operator) which kills the framework's tasks.
import type { FrameworkCapability } from '@mesos-ts/allocator';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { validateRole } from '@mesos-ts/resources';
import { MasterError } from '../core/errors.js';
import { frameworkInfoProblem, roleProblem } from '../core/limits.js';
import type { AgentRecord, EventSink, FrameworkRecord } from '../core/state.js';
import { recordStatus } from '../core/task-history.js';
import { HEARTBEAT_INTERVAL_MS, type MasterContext as Master } from './context.js';
import { removeOffer } from './offers.js';
import { frameworkView } from './views.js';

const ALLOCATOR_CAPABILITIES: ReadonlySet<string> = new Set(['REVOCABLE_RESOURCES', 'GPU_RESOURCES', 'MULTI_ROLE', 'SHARED_RESOURCES', 'RESERVATION_REFINEMENT']);

export function capabilityNames(info: v1.FrameworkInfo): Set<string> {
  return new Set((info.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'));
}

/** The roles a FrameworkInfo subscribes to, validated like upstream (validation::framework). */
export function frameworkRoles(m: Master, info: v1.FrameworkInfo): string[] {
  const multiRole = capabilityNames(info).has('MULTI_ROLE');
  if (!multiRole && (info.roles?.length ?? 0) > 0) {
    throw new MasterError('INVALID_CALL', "'FrameworkInfo.roles' is set but the MULTI_ROLE capability is missing; add the capability or use 'FrameworkInfo.role'");
  }
  if (multiRole && info.role !== undefined && info.role !== '*') {
    throw new MasterError('INVALID_CALL', "'FrameworkInfo.role' must not be set with the MULTI_ROLE capability; use 'FrameworkInfo.roles'");
  }
  const roles = multiRole ? [...new Set(info.roles ?? [])] : [info.role ?? '*'];
  if (roles.length === 0) throw new MasterError('INVALID_CALL', "a MULTI_ROLE framework must list at least one role in 'FrameworkInfo.roles'");
  for (const role of roles) {
    const bounded = roleProblem(role);
    if (bounded !== null) throw new MasterError('INVALID_CALL', bounded);
    try {
      validateRole(role);
    } catch (e) {
      throw new MasterError('INVALID_CALL', `invalid role '${role}': ${(e as Error).message}`);
    }
    const whitelist = m.flags.roles;
    if (whitelist && role !== '*' && !whitelist.includes(role)) {
      throw new MasterError('INVALID_CALL', `role '${role}' is not in the master's --roles whitelist (${whitelist.join(',')})`);
    }
  }
  return roles;
}

function allocatorCapabilities(info: v1.FrameworkInfo): FrameworkCapability[] {
  return [...capabilityNames(info)].filter((c) => ALLOCATOR_CAPABILITIES.has(c)) as FrameworkCapability[];
}

/** Creates the books entry of a framework the master learns about without a scheduler (agent re-registration). */
export function recoverFramework(m: Master, info: v1.FrameworkInfo): FrameworkRecord {
  const id = info.id?.value as string;
  const existing = m.books.frameworks.get(id);
  if (existing) return existing;
  let roles: string[];
  try {
    roles = frameworkRoles(m, info);
  } catch {
    roles = ['*'];
  }
  const fw = newRecord(m, id, info, roles);
  fw.recovered = true;
  m.books.frameworks.set(id, fw);
  m.allocator.addFramework(id, { roles, capabilities: allocatorCapabilities(info), active: false });
  startFailoverTimer(m, fw);
  return fw;
}

function newRecord(m: Master, id: string, info: v1.FrameworkInfo, roles: string[]): FrameworkRecord {
  return {
    id,
    info: { ...info, id: { value: id } },
    roles,
    partitionAware: capabilityNames(info).has('PARTITION_AWARE'),
    connected: false,
    active: false,
    recovered: false,
    stream: undefined,
    streamId: undefined,
    registeredTime: m.clock.now(),
    reregisteredTime: undefined,
    unregisteredTime: undefined,
    suppressedRoles: new Set(),
    tasks: new Map(),
    unreachableTasks: new Map(),
    completedTasks: [],
    executors: new Map(),
    offers: new Set(),
    failoverTimer: undefined,
  };
}

/** SUBSCRIBE: validates, (re)creates the framework, attaches the stream and sends SUBSCRIBED. */
export function subscribe(m: Master, call: scheduler.Call, sink: EventSink<scheduler.Event>, streamId: string): FrameworkRecord {
  const sub = call.subscribe;
  if (!sub) throw new MasterError('INVALID_CALL', "Expecting 'subscribe' to be present");
  const info = sub.framework_info;
  const tooBig = frameworkInfoProblem(info);
  if (tooBig !== null) throw new MasterError('INVALID_CALL', tooBig);
  const infoId = info.id?.value;
  const callId = call.framework_id?.value;
  if (infoId !== callId) {
    throw new MasterError('INVALID_CALL', "'framework_id' differs from 'subscribe.framework_info.id': a re-subscribing framework sets both to its id, a new one neither");
  }
  const roles = frameworkRoles(m, info);
  const suppressed = (sub.suppressed_roles ?? []).filter((r) => roles.includes(r));
  if (infoId !== undefined && m.removedFrameworks.has(infoId)) throw new MasterError('REMOVED', 'Framework has been removed');

  let fw = infoId === undefined ? undefined : m.books.frameworks.get(infoId);
  if (fw) {
    if (fw.roles.join(',') !== roles.join(',')) {
      throw new MasterError('INVALID_CALL', `framework ${fw.id} re-subscribed with roles [${roles.join(',')}] but holds [${fw.roles.join(',')}]; changing roles on failover is not supported`);
    }
    if (fw.stream && !fw.stream.closed) {
      fw.stream.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
      fw.stream.close();
    }
    for (const offerId of [...fw.offers]) removeOffer(m, offerId, { recover: true, refuseSeconds: 0 });
    fw.failoverTimer?.cancel();
    fw.failoverTimer = undefined;
    fw.info = { ...info, id: { value: fw.id } };
    fw.partitionAware = capabilityNames(info).has('PARTITION_AWARE');
    fw.reregisteredTime = m.clock.now();
    fw.recovered = false;
    m.metrics.inc('master/frameworks_reregistered');
  } else {
    const id = infoId ?? m.nextFrameworkId();
    fw = newRecord(m, id, info, roles);
    m.books.frameworks.set(id, fw);
    m.allocator.addFramework(id, { roles, capabilities: allocatorCapabilities(info), suppressedRoles: suppressed, active: false });
    m.recoveredFrameworkInfos.delete(id);
  }
  fw.suppressedRoles = new Set(suppressed);
  if (suppressed.length > 0) m.allocator.suppress(fw.id, suppressed);
  fw.stream = sink;
  fw.streamId = streamId;
  fw.connected = true;
  fw.active = true;
  fw.unregisteredTime = undefined;
  m.allocator.activateFramework(fw.id);
  persistFramework(m, fw);
  sink.send({
    type: 'SUBSCRIBED',
    subscribed: { framework_id: { value: fw.id }, heartbeat_interval_seconds: HEARTBEAT_INTERVAL_MS / 1000, master_info: m.info },
  });
  const view = { framework: frameworkView(m, fw) };
  m.publish(infoId === undefined ? { type: 'FRAMEWORK_ADDED', framework_added: view } : { type: 'FRAMEWORK_UPDATED', framework_updated: view });
  m.log.info({ framework: fw.id, name: info.name, failover: infoId !== undefined }, 'framework subscribed');
  m.requestAllocation();
  return fw;
}

/** UPDATE_FRAMEWORK: new info (same roles) and suppressed roles; the agents hear about it. */
export function updateFramework(m: Master, fw: FrameworkRecord, upd: scheduler.Call.UpdateFramework): void {
  const info = upd.framework_info;
  const tooBig = frameworkInfoProblem(info);
  if (tooBig !== null) throw new MasterError('INVALID_CALL', tooBig);
  if (info.id?.value !== fw.id) throw new MasterError('INVALID_CALL', "'update_framework.framework_info.id' must be the framework's id");
  const roles = frameworkRoles(m, info);
  if (roles.join(',') !== fw.roles.join(',')) throw new MasterError('INVALID_CALL', 'changing the roles of a framework is not supported yet; keep the same roles');
  fw.info = { ...info, id: { value: fw.id } };
  fw.partitionAware = capabilityNames(info).has('PARTITION_AWARE');
  const suppressed = (upd.suppressed_roles ?? []).filter((r) => roles.includes(r));
  const unsuppress = [...fw.suppressedRoles].filter((r) => !suppressed.includes(r));
  if (unsuppress.length > 0) m.allocator.revive(fw.id, unsuppress);
  if (suppressed.length > 0) m.allocator.suppress(fw.id, suppressed);
  fw.suppressedRoles = new Set(suppressed);
  persistFramework(m, fw);
  for (const agent of agentsOf(m, fw)) agent.stream?.send({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: fw.info } });
  m.publish({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkView(m, fw) } });
  m.requestAllocation();
}

/** The scheduler's stream ended: no offers, and the failover_timeout clock starts. */
export function disconnect(m: Master, fw: FrameworkRecord, sink: EventSink<scheduler.Event>): void {
  if (fw.stream !== sink) return; // an older stream of a framework that already failed over
  fw.stream = undefined;
  fw.streamId = undefined;
  fw.connected = false;
  fw.active = false;
  fw.unregisteredTime = m.clock.now();
  if (m.books.frameworks.get(fw.id) !== fw) return;
  m.allocator.deactivateFramework(fw.id);
  for (const offerId of [...fw.offers]) removeOffer(m, offerId, { recover: true, refuseSeconds: 0 });
  m.log.info({ framework: fw.id }, 'framework disconnected');
  startFailoverTimer(m, fw);
}

function startFailoverTimer(m: Master, fw: FrameworkRecord): void {
  const seconds = fw.info.failover_timeout ?? 0;
  const ms = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 2 ** 31 - 1) : 0;
  fw.failoverTimer?.cancel();
  fw.failoverTimer = m.clock.setTimer(
    ms,
    m.guarded('framework failover timeout', () => {
      fw.failoverTimer = undefined;
      if (!fw.connected && m.books.frameworks.get(fw.id) === fw) removeFramework(m, fw, 'failover timeout elapsed');
    }),
  );
}

/** Removes a framework: its offers go, its tasks are killed on their agents, it moves to completed. */
export function removeFramework(m: Master, fw: FrameworkRecord, why: string): void {
  m.log.info({ framework: fw.id, why }, 'removing framework');
  fw.failoverTimer?.cancel();
  for (const offerId of [...fw.offers]) removeOffer(m, offerId, { recover: false });
  const now = m.clock.now();
  for (const agent of agentsOf(m, fw)) {
    agent.stream?.send({ type: 'SHUTDOWN_FRAMEWORK', shutdown_framework: { framework_id: { value: fw.id } } });
  }
  for (const records of [fw.tasks, fw.unreachableTasks]) {
    for (const rec of records.values()) {
      // Terminal and waiting for an acknowledgement that will not come: completed with its own state.
      if (rec.released) {
        fw.completedTasks.push(rec.task);
        continue;
      }
      const status: v1.TaskStatus = {
        task_id: rec.task.task_id,
        state: 'TASK_KILLED',
        message: `Framework ${fw.id} removed: ${why}`,
        source: 'SOURCE_MASTER',
        reason: 'REASON_FRAMEWORK_REMOVED',
        agent_id: rec.task.agent_id,
        timestamp: now / 1000,
      };
      rec.task.state = 'TASK_KILLED';
      recordStatus(rec.task, status);
      m.books.agents.get(rec.task.agent_id.value)?.tasks.delete(`${fw.id}/${rec.task.task_id.value}`);
      fw.completedTasks.push(rec.task);
      m.metrics.inc('master/tasks_killed');
      m.publish({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: fw.id }, status, state: 'TASK_KILLED' } });
    }
    records.clear();
  }
  trimCompleted(m, fw);
  fw.executors.clear();
  m.allocator.removeFramework(fw.id);
  m.books.frameworks.delete(fw.id);
  m.removedFrameworks.add(fw.id);
  fw.connected = false;
  fw.active = false;
  fw.unregisteredTime = now;
  if (fw.stream && !fw.stream.closed) fw.stream.close();
  fw.stream = undefined;
  m.books.completedFrameworks.push(fw);
  while (m.books.completedFrameworks.length > m.flags.maxCompletedFrameworks) m.books.completedFrameworks.shift();
  m.metrics.inc('master/frameworks_removed');
  if (m.registry.document.frameworks.some((f) => f.id?.value === fw.id)) {
    void m.registry.mutate((d) => (d.frameworks = d.frameworks.filter((f) => f.id?.value !== fw.id))).catch((e: unknown) => m.log.error({ err: e }, 'registry write failed'));
  }
  m.publish({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: fw.info } });
  m.requestAllocation();
}

export function trimCompleted(m: Master, fw: FrameworkRecord): void {
  const max = m.flags.maxCompletedTasksPerFramework;
  if (fw.completedTasks.length > max) fw.completedTasks.splice(0, fw.completedTasks.length - max);
}

/** Frameworks that may fail over (failover_timeout > 0) are kept in the registry. */
function persistFramework(m: Master, fw: FrameworkRecord): void {
  if (!((fw.info.failover_timeout ?? 0) > 0)) return;
  void m.registry
    .mutate((d) => {
      d.frameworks = d.frameworks.filter((f) => f.id?.value !== fw.id);
      d.frameworks.push(fw.info);
    })
    .catch((e: unknown) => m.log.error({ err: e, framework: fw.id }, 'registry write failed'));
}

function agentsOf(m: Master, fw: FrameworkRecord): Set<AgentRecord> {
  const out = new Set<AgentRecord>();
  for (const rec of [...fw.tasks.values(), ...fw.unreachableTasks.values()]) {
    const a = m.books.agents.get(rec.task.agent_id.value);
    if (a) out.add(a);
  }
  for (const ex of fw.executors.values()) {
    const a = m.books.agents.get(ex.agentId);
    if (a) out.add(a);
  }
  return out;
}
