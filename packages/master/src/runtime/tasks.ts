// Tasks through their life: launch (from ACCEPT), status updates from agents forwarded to the scheduler,
// ACKNOWLEDGE forwarded to the agent, KILL, SHUTDOWN, MESSAGE both ways, executor exits, RECONCILE.
import type { internal, scheduler, v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';
import { reconcile as reconcileTasks, type AgentStanding } from '../core/reconcile.js';
import type { AgentRecord, FrameworkRecord, TaskRecord } from '../core/state.js';
import { taskKey } from '../core/state.js';
import { recordStatus, sameBytes } from '../core/task-history.js';
import { isTerminal, stateForFramework, transition, type TaskState } from '../core/task-state.js';
import { trimCompleted } from './frameworks.js';
import type { MasterContext as Master } from './context.js';

/** Records a launched task (TASK_STAGING); the caller sends RUN_TASK / RUN_TASK_GROUP. */
export function addTask(m: Master, fw: FrameworkRecord, agent: AgentRecord, info: v1.TaskInfo, resources: Resources): TaskRecord {
  const shared = m.interner.intern(resources);
  const task: v1.Task = {
    name: info.name,
    task_id: info.task_id,
    // Ids and resources are shared with the framework, the agent and other tasks (memory per task).
    framework_id: fw.info.id as v1.FrameworkID,
    agent_id: agent.info.id as v1.AgentID,
    state: 'TASK_STAGING',
    resources: shared.proto as v1.Resource[],
    statuses: [],
    user: info.command?.user ?? fw.info.user,
  };
  const executorId = info.executor?.executor_id;
  if (executorId) task.executor_id = executorId;
  if (info.labels) task.labels = info.labels;
  if (info.discovery) task.discovery = info.discovery;
  if (info.container) task.container = info.container;
  if (info.health_check) task.health_check = info.health_check;
  if (info.kill_policy) task.kill_policy = info.kill_policy;
  const rec: TaskRecord = { task, resources: shared.resources };
  fw.tasks.set(info.task_id.value, rec);
  agent.tasks.add(taskKey(fw.id, info.task_id.value));
  m.metrics.inc('master/tasks_launched');
  m.publish({ type: 'TASK_ADDED', task_added: { task } });
  return rec;
}

/** A status the master itself decides (invalid launch, lost agent, reconciliation): no uuid, never acked. */
export function masterStatus(taskId: v1.TaskID, state: TaskState, reason: v1.TaskStatus.Reason, message: string, agentId: string | undefined, now: number): v1.TaskStatus {
  const s: v1.TaskStatus = { task_id: taskId, state, reason, message, source: 'SOURCE_MASTER', timestamp: now / 1000 };
  if (agentId !== undefined) s.agent_id = { value: agentId };
  return s;
}

/** Sends an UPDATE, in the state the framework understands (TASK_LOST for frameworks without PARTITION_AWARE). */
export function sendUpdate(m: Master, fw: FrameworkRecord, status: v1.TaskStatus): void {
  const state = stateForFramework(status.state, fw.partitionAware);
  m.sendToFramework(fw, { type: 'UPDATE', update: { status: state === status.state ? status : { ...status, state } } });
}

/** STATUS_UPDATE from an agent: record the latest state, forward to the scheduler, free resources when it ends. */
export function statusUpdate(m: Master, agent: AgentRecord, upd: internal.AgentCall.StatusUpdate): void {
  m.metrics.inc('master/messages_status_update');
  const status: v1.TaskStatus = upd.status.agent_id ? upd.status : { ...upd.status, agent_id: { value: agent.id } };
  const fw = m.books.frameworks.get(upd.framework_id.value);
  if (!fw) {
    // The framework is gone; the agent has been told to shut it down. Nothing to forward to.
    m.metrics.inc('master/invalid_status_updates');
    return;
  }
  m.metrics.inc('master/valid_status_updates');
  const taskId = status.task_id.value;
  const rec = fw.tasks.get(taskId) ?? fw.unreachableTasks.get(taskId);
  if (rec) {
    const latest = upd.latest_state ?? status.state;
    const moved = transition(rec.task.state, latest);
    if (moved.ok) rec.task.state = latest;
    else m.log.warn({ framework: fw.id, task: taskId, reason: moved.reason }, 'ignoring an impossible task state change');
    // The kept status is memory per running task: decoded bytes may be views into the whole request buffer
    // (keep a compact copy), and the decoded ids are fresh copies of strings the task already holds (share them).
    const kept: v1.TaskStatus = { ...status, task_id: rec.task.task_id };
    if (status.uuid) kept.uuid = Uint8Array.from(status.uuid);
    if (status.agent_id?.value === rec.task.agent_id.value) kept.agent_id = rec.task.agent_id;
    recordStatus(rec.task, kept);
    rec.task.status_update_state = status.state;
    if (kept.uuid) rec.task.status_update_uuid = kept.uuid;
    if (fw.unreachableTasks.get(taskId) === rec && !isTerminal(rec.task.state)) {
      fw.unreachableTasks.delete(taskId);
      fw.tasks.set(taskId, rec);
    }
    m.publish({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: fw.id }, status, state: rec.task.state } });
    // Upstream: resources return at the terminal update, but the task stays known (framework tasks, /master/state,
    // reconciliation) until the scheduler acknowledges the terminal update; an update without uuid is never acked.
    if (isTerminal(rec.task.state)) {
      if (kept.uuid) releaseTask(m, fw, rec);
      else finishTask(m, fw, rec);
    }
  }
  m.sendToFramework(fw, { type: 'UPDATE', update: { status } });
}

/** A task reached a terminal state: its resources return to the allocator (once); it stays in the framework's tasks. */
export function releaseTask(m: Master, fw: FrameworkRecord, rec: TaskRecord): void {
  if (rec.released) return;
  rec.released = true;
  const id = rec.task.task_id.value;
  const agentId = rec.task.agent_id.value;
  if (fw.unreachableTasks.get(id) === rec) {
    fw.unreachableTasks.delete(id);
    fw.tasks.set(id, rec);
  }
  const agent = m.books.agents.get(agentId);
  agent?.tasks.delete(taskKey(fw.id, id));
  if (agent?.reachable) m.recoverResources(fw.id, agentId, rec.resources, m.clock.now(), 0);
  // TASK_FINISHED -> master/tasks_finished (upstream's counter names).
  m.metrics.inc(`master/tasks_${rec.task.state.slice('TASK_'.length).toLowerCase()}`);
  if (agent?.reachable) m.requestAllocation([agentId]);
}

/** The task leaves the framework's tasks for its completed tasks (resources must already be released). */
export function completeTask(m: Master, fw: FrameworkRecord, rec: TaskRecord): void {
  const id = rec.task.task_id.value;
  if (fw.tasks.get(id) === rec) fw.tasks.delete(id);
  if (fw.unreachableTasks.get(id) === rec) fw.unreachableTasks.delete(id);
  fw.completedTasks.push(rec.task);
  trimCompleted(m, fw);
}

/** A task reached a terminal state with nothing to acknowledge: released and completed at once. */
export function finishTask(m: Master, fw: FrameworkRecord, rec: TaskRecord): void {
  releaseTask(m, fw, rec);
  completeTask(m, fw, rec);
}

/** KILL: forwarded to the agent; an unknown task is answered by reconciliation (upstream). */
export function kill(m: Master, fw: FrameworkRecord, call: scheduler.Call.Kill): void {
  m.metrics.inc('master/messages_kill_task');
  const rec = fw.tasks.get(call.task_id.value);
  const agent = rec ? m.books.agents.get(rec.task.agent_id.value) : undefined;
  if (!rec || !agent) {
    const q = call.agent_id ? [{ task_id: call.task_id, agent_id: call.agent_id }] : [{ task_id: call.task_id }];
    reconcile(m, fw, q);
    return;
  }
  const event: internal.AgentEvent = { type: 'KILL_TASK', kill_task: { framework_id: { value: fw.id }, task_id: call.task_id } };
  const policy = call.kill_policy ?? rec.task.kill_policy;
  if (policy && event.kill_task) event.kill_task.kill_policy = policy;
  agent.stream?.send(event);
}

/** ACKNOWLEDGE: forwarded to the agent holding the update; an unknown or disconnected agent drops it (it resends). */
export function acknowledge(m: Master, fw: FrameworkRecord, ack: scheduler.Call.Acknowledge): void {
  m.metrics.inc('master/messages_status_update_acknowledgement');
  const agent = m.books.agents.get(ack.agent_id.value);
  agent?.stream?.send({ type: 'ACKNOWLEDGE', acknowledge: { framework_id: { value: fw.id }, task_id: ack.task_id, uuid: ack.uuid } });
  // The terminal update is acknowledged: only now does the task become completed (upstream).
  const rec = fw.tasks.get(ack.task_id.value);
  const acked = rec?.task.status_update_state;
  if (rec?.released && acked !== undefined && isTerminal(acked) && sameBytes(rec.task.status_update_uuid, ack.uuid)) completeTask(m, fw, rec);
}

export function reconcile(m: Master, fw: FrameworkRecord, tasks: readonly scheduler.Call.Reconcile.Task[]): void {
  m.metrics.inc('master/messages_reconcile_tasks');
  const standing = (agentId: string): AgentStanding => {
    const agent = m.books.agents.get(agentId);
    if (agent) return agent.reachable ? 'registered' : 'unreachable';
    if (m.books.goneAgents.has(agentId)) return 'gone';
    if (m.books.recoveredAgents.has(agentId)) return 'recovered';
    if (m.books.unreachableAgents.has(agentId)) return 'unreachable';
    return 'unknown';
  };
  const statuses = reconcileTasks(
    {
      partitionAware: fw.partitionAware,
      task: (id) => (fw.tasks.get(id) ?? fw.unreachableTasks.get(id))?.task,
      allTasks: function* () {
        for (const r of fw.tasks.values()) yield r.task;
        for (const r of fw.unreachableTasks.values()) yield r.task;
      },
      agent: standing,
      recoveringAgents: m.books.recoveredAgents.size > 0,
    },
    tasks,
    m.clock.now(),
  );
  for (const status of statuses) m.sendToFramework(fw, { type: 'UPDATE', update: { status } });
}

export function shutdownExecutor(m: Master, fw: FrameworkRecord, call: scheduler.Call.Shutdown): void {
  const agent = m.books.agents.get(call.agent_id.value);
  agent?.stream?.send({ type: 'SHUTDOWN_EXECUTOR', shutdown_executor: { framework_id: { value: fw.id }, executor_id: call.executor_id } });
}

export function frameworkMessage(m: Master, fw: FrameworkRecord, call: scheduler.Call.Message): void {
  m.metrics.inc('master/messages_framework_to_executor');
  const agent = m.books.agents.get(call.agent_id.value);
  if (!agent?.stream) {
    m.metrics.inc('master/invalid_framework_to_executor_messages');
    return;
  }
  agent.stream.send({ type: 'FRAMEWORK_TO_EXECUTOR', framework_to_executor: { framework_id: { value: fw.id }, executor_id: call.executor_id, data: call.data } });
}

export function executorMessage(m: Master, agent: AgentRecord, msg: internal.AgentCall.ExecutorToFramework): void {
  m.metrics.inc('master/messages_executor_to_framework');
  const fw = m.books.frameworks.get(msg.framework_id.value);
  if (!fw || !m.sendToFramework(fw, { type: 'MESSAGE', message: { agent_id: { value: agent.id }, executor_id: msg.executor_id, data: msg.data } })) {
    m.metrics.inc('master/invalid_executor_to_framework_messages');
  }
}

/** EXECUTOR_EXITED: its resources return, the scheduler gets FAILURE. */
export function executorExited(m: Master, agent: AgentRecord, msg: internal.AgentCall.ExecutorExited): void {
  const fw = m.books.frameworks.get(msg.framework_id.value);
  if (!fw) return;
  const key = `${agent.id}/${msg.executor_id.value}`;
  const ex = fw.executors.get(key);
  if (ex) {
    fw.executors.delete(key);
    if (agent.reachable) m.recoverResources(fw.id, agent.id, ex.resources, m.clock.now(), 0);
    m.requestAllocation([agent.id]);
  }
  const failure: scheduler.Event.Failure = { agent_id: { value: agent.id }, executor_id: msg.executor_id };
  if (msg.status !== undefined) failure.status = msg.status;
  m.sendToFramework(fw, { type: 'FAILURE', failure });
}
