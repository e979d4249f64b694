// Builders for scheduler Calls (pure): the fields each call type needs, ids given as plain strings.
// `framework_id` is filled in by the client.
import type { scheduler, v1 } from '@mesos-ts/proto';

export type Id = string | { value: string };

const id = (x: Id): { value: string } => (typeof x === 'string' ? { value: x } : { value: x.value });

/** SUBSCRIBE; with a known framework id both FrameworkInfo.id and Call.framework_id carry it (failover). */
export function subscribeCall(
  framework: v1.FrameworkInfo,
  frameworkId: string | undefined,
  suppressedRoles: readonly string[],
  offerConstraints?: scheduler.OfferConstraints,
): scheduler.Call {
  const { id: _ignored, ...info } = framework;
  return {
    type: 'SUBSCRIBE',
    ...(frameworkId === undefined ? {} : { framework_id: { value: frameworkId } }),
    subscribe: {
      framework_info: frameworkId === undefined ? info : { ...info, id: { value: frameworkId } },
      suppressed_roles: [...suppressedRoles],
      ...(offerConstraints === undefined ? {} : { offer_constraints: offerConstraints }),
    },
  };
}

export function acceptCall(offerIds: readonly Id[], operations: v1.Offer.Operation[], filters?: v1.Filters): scheduler.Call {
  return { type: 'ACCEPT', accept: { offer_ids: offerIds.map(id), operations, ...(filters === undefined ? {} : { filters }) } };
}

export function launchOperation(tasks: v1.TaskInfo[]): v1.Offer.Operation {
  return { type: 'LAUNCH', launch: { task_infos: tasks } };
}

export function declineCall(offerIds: readonly Id[], filters?: v1.Filters): scheduler.Call {
  return { type: 'DECLINE', decline: { offer_ids: offerIds.map(id), ...(filters === undefined ? {} : { filters }) } };
}

/** Empty `roles` = every role of the framework. */
export function reviveCall(roles: readonly string[] = []): scheduler.Call {
  return { type: 'REVIVE', revive: { roles: [...roles] } };
}

/** Empty `roles` = every role of the framework. */
export function suppressCall(roles: readonly string[] = []): scheduler.Call {
  return { type: 'SUPPRESS', suppress: { roles: [...roles] } };
}

export function killCall(taskId: Id, agentId?: Id, killPolicy?: v1.KillPolicy): scheduler.Call {
  return {
    type: 'KILL',
    kill: { task_id: id(taskId), ...(agentId === undefined ? {} : { agent_id: id(agentId) }), ...(killPolicy === undefined ? {} : { kill_policy: killPolicy }) },
  };
}

export function shutdownCall(executorId: Id, agentId: Id): scheduler.Call {
  return { type: 'SHUTDOWN', shutdown: { executor_id: id(executorId), agent_id: id(agentId) } };
}

/** Acknowledges a status update; undefined when the status carries no uuid (nothing to acknowledge). */
export function acknowledgeCall(status: v1.TaskStatus): scheduler.Call | undefined {
  if (status.uuid === undefined || status.uuid.length === 0 || status.agent_id === undefined) return undefined;
  return { type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } };
}

/** Acknowledges an operation status update; undefined when it carries no uuid (nothing to acknowledge). */
export function acknowledgeOperationStatusCall(status: v1.OperationStatus): scheduler.Call | undefined {
  const uuid = status.uuid?.value;
  if (uuid === undefined || uuid.length === 0 || status.operation_id === undefined) return undefined;
  return {
    type: 'ACKNOWLEDGE_OPERATION_STATUS',
    acknowledge_operation_status: {
      uuid,
      operation_id: status.operation_id,
      ...(status.agent_id === undefined ? {} : { agent_id: status.agent_id }),
      ...(status.resource_provider_id === undefined ? {} : { resource_provider_id: status.resource_provider_id }),
    },
  };
}

/** No tasks = implicit reconciliation (the master answers with every task it knows of this framework). */
export function reconcileCall(tasks: ReadonlyArray<{ taskId: Id; agentId?: Id | undefined }> = []): scheduler.Call {
  return {
    type: 'RECONCILE',
    reconcile: { tasks: tasks.map((t) => ({ task_id: id(t.taskId), ...(t.agentId === undefined ? {} : { agent_id: id(t.agentId) }) })) },
  };
}

export function messageCall(agentId: Id, executorId: Id, data: Uint8Array): scheduler.Call {
  return { type: 'MESSAGE', message: { agent_id: id(agentId), executor_id: id(executorId), data } };
}

export function updateFrameworkCall(
  frameworkInfo: v1.FrameworkInfo,
  options: { suppressedRoles?: readonly string[]; offerConstraints?: scheduler.OfferConstraints } = {},
): scheduler.Call {
  return {
    type: 'UPDATE_FRAMEWORK',
    update_framework: {
      framework_info: frameworkInfo,
      ...(options.suppressedRoles === undefined ? {} : { suppressed_roles: [...options.suppressedRoles] }),
      ...(options.offerConstraints === undefined ? {} : { offer_constraints: options.offerConstraints }),
    },
  };
}

/** Tasks an ACCEPT launches, with the agent each goes to (for task tracking). */
export function launchedTasks(operations: readonly v1.Offer.Operation[]): v1.TaskInfo[] {
  return operations.flatMap((op) => [...(op.launch?.task_infos ?? []), ...(op.launch_group?.task_group.tasks ?? [])]);
}
