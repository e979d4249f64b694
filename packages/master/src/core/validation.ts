// Upstream's ACCEPT validation (src/master/validation.cpp), pure. Offers: outstanding, no duplicates, one
// framework, one agent, one allocation role. Tasks: unique id, the offers' agent, exactly one of command and
// executor, resources present and contained in what is left of the offers, executor consistent with the one
// already on the agent. Failures are messages; the caller turns them into TASK_DROPPED/LOST or TASK_ERROR.
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { LONE_SURROGATE, excerpt } from './limits.js';

export interface OfferRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** Allocated form (allocation_info.role = role). */
  readonly resources: Resources;
}

export type OfferCheck =
  | { ok: true; agentId: string; role: string; resources: Resources; offers: OfferRecord[] }
  | { ok: false; message: string };

export function validateOffers(
  frameworkId: string,
  offerIds: readonly string[],
  lookup: (id: string) => OfferRecord | undefined,
): OfferCheck {
  if (offerIds.length === 0) return { ok: false, message: 'No offers specified' };
  const seen = new Set<string>();
  const offers: OfferRecord[] = [];
  for (const id of offerIds) {
    if (seen.has(id)) return { ok: false, message: `Duplicate offer ${id} in the same call` };
    seen.add(id);
    const offer = lookup(id);
    if (!offer) return { ok: false, message: `Offer ${id} is no longer valid` };
    if (offer.frameworkId !== frameworkId) return { ok: false, message: `Offer ${id} has invalid framework ${offer.frameworkId} while framework ${frameworkId} is expected` };
    offers.push(offer);
  }
  const first = offers[0] as OfferRecord;
  for (const offer of offers) {
    if (offer.agentId !== first.agentId) return { ok: false, message: `Aggregated offers must belong to one single agent; offer ${offer.id} is on agent ${offer.agentId}, not ${first.agentId}` };
    if (offer.role !== first.role) return { ok: false, message: `Aggregated offers must be allocated to the same role; offer ${offer.id} is for '${offer.role}', not '${first.role}'` };
  }
  const resources = offers.reduce((acc, o) => acc.add(o.resources), Resources.empty());
  return { ok: true, agentId: first.agentId, role: first.role, resources, offers };
}

/**
 * Resources a framework names in an operation, in allocated form for `role`. Frameworks that are not
 * MULTI_ROLE leave allocation_info out (upstream injects it); naming another role is an error.
 */
export function allocatedForm(list: readonly v1.Resource[] | undefined, role: string): Resources | string {
  for (const r of list ?? []) {
    const named = r.allocation_info?.role;
    if (named !== undefined && named !== role) return `resource ${r.name} is allocated to role '${named}' but the offers are for role '${role}'`;
  }
  try {
    return Resources.fromProto(list ?? []).unallocate().allocate(role);
  } catch (e) {
    return `invalid resources: ${(e as Error).message}`;
  }
}

export interface TaskContext {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** What is left of the offers after earlier operations of the same call (allocated form). */
  readonly available: Resources;
  /** Whether the framework already has a live (or earlier-in-this-call) task with this id. */
  taskIdInUse(taskId: string): boolean;
  /** The framework's executor with this id already on the agent (or launched earlier in this call). */
  executorOnAgent(executorId: string): v1.ExecutorInfo | undefined;
}

export interface TaskCheckOk {
  ok: true;
  /** Resources consumed: the task's plus its executor's when the executor is new. */
  consumed: Resources;
  taskResources: Resources;
  /** Set when the task starts a new executor. */
  newExecutor: v1.ExecutorInfo | undefined;
}

export type TaskCheck = TaskCheckOk | { ok: false; message: string };

const BAD_ID = /[/\u0000-\u001f\u007f]|^\.{1,2}$/;
/** IDs become path components on the agent (sandboxes, checkpoints): at most one file name's length. */
export const MAX_ID_BYTES = 255;

/** Why `id` is not a valid Mesos ID (upstream common/validation.cpp validateID), or null. */
export function idProblem(kind: string, id: string): string | null {
  if (id === '') return `${kind} ID must not be empty`;
  if (Buffer.byteLength(id) > MAX_ID_BYTES) return `${kind} ID must be at most ${MAX_ID_BYTES} bytes long`;
  if (BAD_ID.test(id) || LONE_SURROGATE.test(id)) return `${kind} ID '${excerpt(id)}' must not contain '/' or control characters, nor be '.' or '..'`;
  return null;
}

/** Why a TaskInfo's health check cannot run (non-finite, negative or zero interval), or null. */
export function healthCheckProblem(hc: v1.HealthCheck | undefined): string | null {
  if (!hc) return null;
  const fields = ['delay_seconds', 'interval_seconds', 'timeout_seconds', 'grace_period_seconds'] as const;
  for (const f of fields) {
    const v = (hc as Record<string, unknown>)[f];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return `Health check '${f}' must be a finite non-negative number`;
  }
  if (hc.interval_seconds !== undefined && hc.interval_seconds <= 0) return "Health check 'interval_seconds' must be positive (0 would probe without pause)";
  return null;
}

export function validateTask(task: v1.TaskInfo, ctx: TaskContext): TaskCheck {
  const fail = (message: string): TaskCheck => ({ ok: false, message });
  const id = task.task_id?.value ?? '';
  const idBad = idProblem('Task', id);
  if (idBad !== null) return fail(idBad);
  const hcBad = healthCheckProblem(task.health_check);
  if (hcBad !== null) return fail(`Task ${id}: ${hcBad}`);
  if (ctx.taskIdInUse(id)) return fail(`Task has duplicate ID: ${id}`);
  if (task.agent_id?.value !== ctx.agentId) return fail(`Task uses invalid agent ${task.agent_id?.value ?? '(none)'} while the offers are on agent ${ctx.agentId}`);
  const hasCommand = task.command !== undefined;
  const hasExecutor = task.executor !== undefined;
  if (hasCommand === hasExecutor) return fail('Task should have at least one (but not both) of CommandInfo or ExecutorInfo present');
  const taskResources = allocatedForm(task.resources, ctx.role);
  if (typeof taskResources === 'string') return fail(`Task ${id}: ${taskResources}`);
  let consumed = taskResources;
  let newExecutor: v1.ExecutorInfo | undefined;
  if (task.executor) {
    const ex = task.executor;
    const exId = ex.executor_id?.value ?? '';
    const exBad = idProblem('Executor', exId);
    if (exBad !== null) return fail(exBad);
    if (ex.framework_id !== undefined && ex.framework_id.value !== ctx.frameworkId) {
      return fail(`ExecutorInfo has an invalid FrameworkID ${ex.framework_id.value} (expected ${ctx.frameworkId})`);
    }
    const existing = ctx.executorOnAgent(exId);
    if (existing) {
      if (!sameExecutor(existing, ex, ctx.frameworkId)) return fail(`ExecutorInfo is not compatible with the ExecutorInfo of the running executor ${exId}`);
    } else {
      const exResources = allocatedForm(ex.resources, ctx.role);
      if (typeof exResources === 'string') return fail(`Executor ${exId}: ${exResources}`);
      consumed = consumed.add(exResources);
      newExecutor = { ...ex, framework_id: { value: ctx.frameworkId } };
    }
  }
  if (consumed.isEmpty()) return fail(`Task ${id} uses no resources`);
  if (!ctx.available.contains(consumed)) {
    return fail(`Task ${id} uses resources ${consumed.toString()} that are not contained in the offered resources ${ctx.available.toString()}`);
  }
  return { ok: true, consumed, taskResources, newExecutor };
}

/** Executor infos are compatible when equal once the framework id is filled in (upstream compares them whole). */
function sameExecutor(a: v1.ExecutorInfo, b: v1.ExecutorInfo, frameworkId: string): boolean {
  const norm = (e: v1.ExecutorInfo): string => stableJson({ ...e, framework_id: { value: frameworkId }, resources: undefined });
  return norm(a) === norm(b);
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (typeof value === 'bigint') return value.toString();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
    }
    return value;
  });
}
