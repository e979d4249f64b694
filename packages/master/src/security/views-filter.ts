// Filtered views (upstream's view_frameworks, view_tasks, view_executors): with --acls, the state a principal
// reads lists only the frameworks, tasks and executors whose Unix user it may view. Applied to the operator
// API's responses and to the legacy JSON (/master/state, /master/frameworks, /master/tasks) after they are built,
// so the views themselves stay unaware of principals.
import type { master, v1 } from '@mesos-ts/proto';
import type { EventSink } from '../core/state.js';
import type { MasterContext as Master } from '../runtime/context.js';
import { allowed } from './authz.js';

type Json = Record<string, unknown>;

/** The Unix user of a framework id (running, completed or recovered), for tasks that name none. */
function userOfFramework(m: Master, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return m.books.frameworks.get(id)?.info.user ?? m.books.completedFrameworks.find((f) => f.id === id)?.info.user ?? m.recoveredFrameworkInfos.get(id)?.user;
}

export function filterOperatorResponse(m: Master, principal: string | undefined, r: master.Response): master.Response {
  const fwOk = (f: { framework_info: v1.FrameworkInfo }): boolean => allowed(m, 'view_frameworks', principal, f.framework_info.user);
  const taskOk = (t: v1.Task): boolean => allowed(m, 'view_tasks', principal, t.user ?? userOfFramework(m, t.framework_id.value));
  const exOk = (e: master.Response.GetExecutors.Executor): boolean => allowed(m, 'view_executors', principal, userOfFramework(m, e.executor_info.framework_id?.value));
  const frameworks = (g: master.Response.GetFrameworks | undefined): master.Response.GetFrameworks | undefined =>
    g && {
      ...g,
      frameworks: (g.frameworks ?? []).filter(fwOk),
      completed_frameworks: (g.completed_frameworks ?? []).filter(fwOk),
      recovered_frameworks: (g.recovered_frameworks ?? []).filter((i) => allowed(m, 'view_frameworks', principal, i.user)),
    };
  const tasks = (g: master.Response.GetTasks | undefined): master.Response.GetTasks | undefined =>
    g && {
      ...g,
      tasks: (g.tasks ?? []).filter(taskOk),
      unreachable_tasks: (g.unreachable_tasks ?? []).filter(taskOk),
      completed_tasks: (g.completed_tasks ?? []).filter(taskOk),
      pending_tasks: (g.pending_tasks ?? []).filter(taskOk),
      orphan_tasks: (g.orphan_tasks ?? []).filter(taskOk),
    };
  const executors = (g: master.Response.GetExecutors | undefined): master.Response.GetExecutors | undefined => g && { ...g, executors: (g.executors ?? []).filter(exOk) };
  const out: master.Response = { ...r };
  if (r.get_frameworks) out.get_frameworks = frameworks(r.get_frameworks);
  if (r.get_tasks) out.get_tasks = tasks(r.get_tasks);
  if (r.get_executors) out.get_executors = executors(r.get_executors);
  if (r.get_state) {
    out.get_state = {
      ...r.get_state,
      ...(r.get_state.get_frameworks ? { get_frameworks: frameworks(r.get_state.get_frameworks) } : {}),
      ...(r.get_state.get_tasks ? { get_tasks: tasks(r.get_state.get_tasks) } : {}),
      ...(r.get_state.get_executors ? { get_executors: executors(r.get_state.get_executors) } : {}),
    };
  }
  return out;
}

const TASK_LISTS = ['tasks', 'completed_tasks', 'unreachable_tasks', 'queued_tasks'];

/** Legacy JSON: `frameworks`/`completed_frameworks` (each with `user` and task lists) and a top-level `tasks`. */
export function filterLegacyJson(m: Master, principal: string | undefined, value: unknown): unknown {
  if (!m.flags.security.aclsGiven || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Json = { ...(value as Json) };
  const taskOk = (t: Json, user: unknown): boolean =>
    allowed(m, 'view_tasks', principal, typeof t.user === 'string' ? t.user : typeof user === 'string' ? user : userOfFramework(m, t.framework_id as string | undefined));
  for (const key of ['frameworks', 'completed_frameworks']) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = (list as Json[])
      .filter((f) => allowed(m, 'view_frameworks', principal, typeof f.user === 'string' ? f.user : undefined))
      .map((f) => {
        const copy: Json = { ...f };
        for (const k of TASK_LISTS) if (Array.isArray(copy[k])) copy[k] = (copy[k] as Json[]).filter((t) => taskOk(t, f.user));
        return copy;
      });
  }
  if (Array.isArray(out.tasks)) out.tasks = (out.tasks as Json[]).filter((t) => taskOk(t, undefined));
  return out;
}

/**
 * The operator event stream of `principal`: SUBSCRIBED carries the filtered state, and task and framework events
 * reach it only when it may view that task or framework. Without --acls the sink is returned as is.
 */
export function filteredOperatorSink(m: Master, principal: string | undefined, sink: EventSink<master.Event>): EventSink<master.Event> {
  if (!m.flags.security.aclsGiven) return sink;
  const fwUser = (id: string | undefined): string | undefined => userOfFramework(m, id);
  const visible = (e: master.Event): boolean => {
    switch (e.type) {
      case 'TASK_ADDED':
        return allowed(m, 'view_tasks', principal, e.task_added?.task.user ?? fwUser(e.task_added?.task.framework_id.value));
      case 'TASK_UPDATED':
        return allowed(m, 'view_tasks', principal, fwUser(e.task_updated?.framework_id.value));
      case 'FRAMEWORK_ADDED':
        return allowed(m, 'view_frameworks', principal, e.framework_added?.framework.framework_info.user);
      case 'FRAMEWORK_UPDATED':
        return allowed(m, 'view_frameworks', principal, e.framework_updated?.framework.framework_info.user);
      case 'FRAMEWORK_REMOVED':
        return allowed(m, 'view_frameworks', principal, e.framework_removed?.framework_info.user);
      default:
        return true;
    }
  };
  return {
    get closed() {
      return sink.closed;
    },
    close: () => sink.close(),
    send: (e) => {
      if (e.type === 'SUBSCRIBED' && e.subscribed?.get_state) {
        const state = filterOperatorResponse(m, principal, { type: 'GET_STATE', get_state: e.subscribed.get_state }).get_state;
        sink.send({ ...e, subscribed: { ...e.subscribed, ...(state ? { get_state: state } : {}) } });
      } else if (visible(e)) {
        sink.send(e);
      }
    },
  };
}
