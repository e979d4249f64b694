// ACCEPT: validate the offers, then apply the operations in order against what is left of them. Invalid
// offers drop every task (TASK_DROPPED, or TASK_LOST without PARTITION_AWARE, REASON_INVALID_OFFERS); an
// invalid task gets TASK_ERROR (REASON_TASK_INVALID / TASK_GROUP_INVALID). RESERVE/UNRESERVE/CREATE/DESTROY
// convert the offered resources and are checkpointed on the agent. Leftovers are declined with the filters.
import type { scheduler, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { AgentRecord, FrameworkRecord } from '../core/state.js';
import { allocatedForm, validateOffers, validateTask, type TaskContext } from '../core/validation.js';
import { createVolumesProblem } from '../core/volume-validation.js';
import { applyToAgent } from './agent-resources.js';
import { allowed, requireResourceOperation, taskUser } from '../security/authz.js';
import type { MasterContext as Master } from './context.js';
import { removeOffer } from './offers.js';
import { addTask, masterStatus, sendUpdate } from './tasks.js';

export function accept(m: Master, fw: FrameworkRecord, call: scheduler.Call.Accept): void {
  m.metrics.inc('master/messages_accept_offers');
  const now = m.clock.now();
  const offerIds = (call.offer_ids ?? []).map((o) => o.value);
  const operations = call.operations ?? [];
  const check = validateOffers(fw.id, offerIds, (id) => m.books.offers.get(id));
  if (!check.ok) {
    // Offers of this framework that were valid go back; every task is dropped.
    for (const id of offerIds) if (m.books.offers.get(id)?.frameworkId === fw.id) removeOffer(m, id, { recover: true, refuseSeconds: 0 });
    for (const op of operations) {
      for (const task of tasksOf(op)) {
        sendUpdate(m, fw, masterStatus(task.task_id, 'TASK_DROPPED', 'REASON_INVALID_OFFERS', `Task launched with invalid offers: ${check.message}`, undefined, now));
      }
    }
    m.metrics.inc('master/invalid_operations', operations.length);
    return;
  }
  for (const offer of check.offers) removeOffer(m, offer.id, { recover: false });
  const agent = m.books.agents.get(check.agentId) as AgentRecord;
  let available = check.resources;
  const role = check.role;
  const launchedIds = new Set<string>();
  const newExecutors = new Map<string, v1.ExecutorInfo>();
  const ctx = (): TaskContext => ({
    frameworkId: fw.id,
    agentId: agent.id,
    role,
    available,
    taskIdInUse: (id) => launchedIds.has(id) || fw.tasks.has(id) || fw.unreachableTasks.has(id),
    executorOnAgent: (id) => newExecutors.get(id) ?? fw.executors.get(`${agent.id}/${id}`)?.info,
  });

  try {
    for (const op of operations) applyOperation(op);
  } finally {
    // Whatever happens (even a bug in one operation), what is left of the offers goes back to the allocator.
    if (!available.isEmpty()) m.recoverResources(fw.id, agent.id, available, now, call.filters?.refuse_seconds);
  }
  m.metrics.inc('master/valid_operations', operations.length);

  function applyOperation(op: v1.Offer.Operation): void {
    switch (op.type) {
      case 'LAUNCH':
        for (const task of op.launch?.task_infos ?? []) {
          const user = taskUser(fw, task);
          if (!allowed(m, 'run_tasks', fw.info.principal, user)) {
            m.metrics.inc('master/invalid_operations');
            sendUpdate(m, fw, masterStatus(task.task_id, 'TASK_ERROR', 'REASON_TASK_UNAUTHORIZED', `Not authorized to launch as user '${user ?? ''}' (--acls run_tasks)`, agent.id, now));
            continue;
          }
          const r = validateTask(task, ctx());
          if (!r.ok) {
            m.metrics.inc('master/invalid_operations');
            sendUpdate(m, fw, masterStatus(task.task_id, 'TASK_ERROR', 'REASON_TASK_INVALID', r.message, agent.id, now));
            continue;
          }
          available = available.subtract(r.consumed);
          launchedIds.add(task.task_id.value);
          if (r.newExecutor) {
            newExecutors.set(r.newExecutor.executor_id.value, r.newExecutor);
            addExecutor(fw, agent, r.newExecutor, r.consumed.subtract(r.taskResources));
          }
          addTask(m, fw, agent, task, r.taskResources);
          const sent: v1.TaskInfo = { ...task, resources: r.taskResources.toProto() };
          if (task.executor) sent.executor = { ...task.executor, framework_id: { value: fw.id } };
          agent.stream?.send({ type: 'RUN_TASK', run_task: { framework_info: fw.info, task: sent } });
        }
        break;
      case 'LAUNCH_GROUP': {
        const groupTasks = op.launch_group?.task_group.tasks ?? [];
        const users = groupTasks.map((t) => taskUser(fw, t, op.launch_group?.executor));
        const denied = users.findIndex((u) => !allowed(m, 'run_tasks', fw.info.principal, u));
        if (denied >= 0) {
          m.metrics.inc('master/invalid_operations');
          for (const t of groupTasks) sendUpdate(m, fw, masterStatus(t.task_id, 'TASK_ERROR', 'REASON_TASK_GROUP_UNAUTHORIZED', `Not authorized to launch as user '${users[denied] ?? ''}' (--acls run_tasks)`, agent.id, now));
          break;
        }
        const group = launchGroup(m, fw, agent, op.launch_group, ctx, now);
        if (group) {
          available = available.subtract(group.consumed);
          for (const id of group.ids) launchedIds.add(id);
          if (group.newExecutor) newExecutors.set(group.newExecutor.executor_id.value, group.newExecutor);
        }
        break;
      }
      case 'RESERVE':
      case 'UNRESERVE':
      case 'CREATE':
      case 'DESTROY': {
        const converted = convert(m, fw, agent, role, available, op);
        if (converted) available = converted;
        break;
      }
      default:
        m.metrics.inc('master/invalid_operations');
        m.log.warn({ framework: fw.id, type: op.type }, 'ignoring an unsupported offer operation');
    }
  }
}

function tasksOf(op: v1.Offer.Operation): v1.TaskInfo[] {
  if (op.type === 'LAUNCH') return op.launch?.task_infos ?? [];
  if (op.type === 'LAUNCH_GROUP') return op.launch_group?.task_group?.tasks ?? [];
  return [];
}

function addExecutor(fw: FrameworkRecord, agent: AgentRecord, info: v1.ExecutorInfo, resources: Resources): void {
  fw.executors.set(`${agent.id}/${info.executor_id.value}`, { info, agentId: agent.id, resources });
}

/** LAUNCH_GROUP: all tasks valid or none launched; they run under one executor (DEFAULT type). */
function launchGroup(
  m: Master,
  fw: FrameworkRecord,
  agent: AgentRecord,
  group: v1.Offer.Operation.LaunchGroup | undefined,
  ctx: () => TaskContext,
  now: number,
): { consumed: Resources; ids: string[]; newExecutor: v1.ExecutorInfo | undefined } | undefined {
  const tasks = group?.task_group?.tasks ?? [];
  const executor = group?.executor;
  const fail = (message: string): undefined => {
    m.metrics.inc('master/invalid_operations');
    for (const t of tasks) sendUpdate(m, fw, masterStatus(t.task_id, 'TASK_ERROR', 'REASON_TASK_GROUP_INVALID', message, agent.id, now));
    return undefined;
  };
  if (!executor) return fail("LAUNCH_GROUP needs 'executor'");
  if (tasks.length === 0) return fail("LAUNCH_GROUP needs at least one task in 'task_group.tasks'");
  if (executor.type !== undefined && executor.type !== 'DEFAULT') return fail("the executor of a task group must be of type 'DEFAULT'");
  let consumed = Resources.empty();
  let newExecutor: v1.ExecutorInfo | undefined;
  const ids: string[] = [];
  for (const t of tasks) {
    if (t.executor) return fail(`task ${t.task_id.value} of a group must not set 'executor'`);
    const base = ctx();
    const r = validateTask(
      { ...t, command: undefined, executor },
      {
        ...base,
        available: base.available.subtract(consumed),
        taskIdInUse: (id) => ids.includes(id) || base.taskIdInUse(id),
        executorOnAgent: (id) => newExecutor ?? base.executorOnAgent(id),
      },
    );
    if (!r.ok) return fail(r.message);
    newExecutor ??= r.newExecutor;
    consumed = consumed.add(r.consumed);
    ids.push(t.task_id.value);
  }
  const withFramework: v1.ExecutorInfo = { ...executor, framework_id: { value: fw.id }, type: 'DEFAULT' };
  let taskTotal = Resources.empty();
  const sent: v1.TaskInfo[] = [];
  for (const t of tasks) {
    const res = allocatedForm(t.resources, ctx().role) as Resources;
    taskTotal = taskTotal.add(res);
    addTask(m, fw, agent, { ...t, executor: withFramework }, res);
    sent.push({ ...t, resources: res.toProto() });
  }
  if (newExecutor) addExecutor(fw, agent, withFramework, consumed.subtract(taskTotal));
  agent.stream?.send({ type: 'RUN_TASK_GROUP', run_task_group: { framework_info: fw.info, executor: withFramework, task_group: { tasks: sent } } });
  return { consumed, ids, newExecutor };
}

/** RESERVE/UNRESERVE/CREATE/DESTROY on offered resources; returns what is left, or undefined if refused. */
function convert(m: Master, fw: FrameworkRecord, agent: AgentRecord, role: string, available: Resources, op: v1.Offer.Operation): Resources | undefined {
  const inject = (list: v1.Resource[] | undefined): v1.Resource[] | string => {
    const r = allocatedForm(list, role);
    return typeof r === 'string' ? r : r.toProto();
  };
  if (op.create) {
    const bad = createVolumesProblem(op.create.volumes);
    if (bad !== null) return refuse(m, fw, op, bad);
  }
  try {
    // The framework's principal needs the same ACLs an operator does for these operations.
    const type = op.type as 'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY';
    requireResourceOperation(m, fw.info.principal, type, op.reserve?.resources ?? op.unreserve?.resources ?? op.create?.volumes ?? op.destroy?.volumes ?? []);
  } catch (e) {
    return refuse(m, fw, op, (e as Error).message);
  }
  const allocatedOp: v1.Offer.Operation = { type: op.type };
  const fields: Array<[keyof v1.Offer.Operation, 'resources' | 'volumes']> = [
    ['reserve', 'resources'],
    ['unreserve', 'resources'],
    ['create', 'volumes'],
    ['destroy', 'volumes'],
  ];
  for (const [key, field] of fields) {
    const body = op[key] as Record<string, v1.Resource[] | undefined> | undefined;
    if (!body) continue;
    const list = inject(body[field]);
    if (typeof list === 'string') return refuse(m, fw, op, list);
    const copy: Record<string, v1.Resource[]> = { [field]: list };
    if (key === 'reserve' && op.reserve?.source) {
      const src = inject(op.reserve.source);
      if (typeof src === 'string') return refuse(m, fw, op, src);
      copy['source'] = src;
    }
    (allocatedOp as Record<string, unknown>)[key] = copy;
  }
  let after: Resources;
  try {
    after = available.apply(allocatedOp);
  } catch (e) {
    return refuse(m, fw, op, (e as Error).message);
  }
  const unallocatedOp = stripAllocation(allocatedOp);
  try {
    m.allocator.updateAllocation(fw.id, agent.id, [allocatedOp]);
    applyToAgent(m, agent, unallocatedOp);
  } catch (e) {
    return refuse(m, fw, op, (e as Error).message);
  }
  return after;
}

function stripAllocation(op: v1.Offer.Operation): v1.Offer.Operation {
  const strip = (list: v1.Resource[] | undefined): v1.Resource[] => Resources.fromProto(list ?? []).unallocate().toProto();
  const out: v1.Offer.Operation = { type: op.type };
  if (op.reserve) out.reserve = { resources: strip(op.reserve.resources), ...(op.reserve.source ? { source: strip(op.reserve.source) } : {}) };
  if (op.unreserve) out.unreserve = { resources: strip(op.unreserve.resources) };
  if (op.create) out.create = { volumes: strip(op.create.volumes) };
  if (op.destroy) out.destroy = { volumes: strip(op.destroy.volumes) };
  return out;
}

function refuse(m: Master, fw: FrameworkRecord, op: v1.Offer.Operation, why: string): undefined {
  m.metrics.inc('master/invalid_operations');
  m.log.warn({ framework: fw.id, type: op.type, why }, 'dropping an offer operation');
  return undefined;
}
