// Authorization of master actions against the --acls (upstream's local authorizer, @mesos-ts/wire authorized()).
// Each helper throws 403 naming the action, the principal and the object, or returns quietly. The objects are
// upstream's: roles for registration, reservations, volumes, weights and quota; the reserver's or creator's
// principal for unreserve and destroy; the framework's principal for teardown; the user for tasks and views.
import type { master, v1 } from '@mesos-ts/proto';
import { authorized, type AclAction } from '@mesos-ts/wire';
import type { MasterContext as Master } from '../runtime/context.js';
import type { FrameworkRecord } from '../core/state.js';
import { HttpError } from '../http/respond.js';

export function allowed(m: Master, action: AclAction, principal: string | undefined, object?: string | readonly string[]): boolean {
  const s = m.flags.security;
  return !s.aclsGiven || authorized(s.acls, action, principal, object);
}

export function requireAllowed(m: Master, action: AclAction, principal: string | undefined, object?: string | readonly string[]): void {
  if (allowed(m, action, principal, object)) return;
  m.metrics.inc('master/authorization_denials');
  const who = principal === undefined ? 'an unauthenticated caller' : `principal '${principal}'`;
  const what = object === undefined ? '' : ` on ${JSON.stringify(object).slice(0, 200)}`;
  m.log.warn({ action, principal, object }, 'refused by the ACLs');
  throw new HttpError(403, `Forbidden: ${who} is not authorized to ${action.replace(/_/g, ' ')}${what} (--acls)`);
}

/** The role a resource is reserved to (the last reservation), or its static role; '*' when unreserved. */
function roleOf(r: v1.Resource): string {
  const stack = r.reservations ?? [];
  return stack.length > 0 ? (stack[stack.length - 1]?.role ?? '*') : (r.role ?? '*');
}

function reserverOf(r: v1.Resource): string | undefined {
  const stack = r.reservations ?? [];
  return stack.length > 0 ? stack[stack.length - 1]?.principal : r.reservation?.principal;
}

/** RESERVE, UNRESERVE, CREATE, DESTROY (operator API, legacy routes and offer operations alike). */
export function requireResourceOperation(m: Master, principal: string | undefined, type: 'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY', list: readonly v1.Resource[]): void {
  for (const r of list) {
    // As upstream's validation: an authenticated caller records only itself as reserver or volume creator, so
    // nobody can make a reservation or volume that another principal's ACLs would then let it remove.
    const recorded = type === 'RESERVE' ? reserverOf(r) : type === 'CREATE' ? r.disk?.persistence?.principal : undefined;
    if (principal !== undefined && recorded !== undefined && recorded !== principal) {
      const what = type === 'RESERVE' ? 'reserve' : 'create';
      throw new HttpError(400, `A ${what} operation was attempted with authenticated principal '${principal}', which does not match the principal '${recorded.slice(0, 64)}' in the request`);
    }
    if (type === 'RESERVE') requireAllowed(m, 'reserve_resources', principal, roleOf(r));
    else if (type === 'CREATE') requireAllowed(m, 'create_volumes', principal, roleOf(r));
    else if (type === 'UNRESERVE') requireAllowed(m, 'unreserve_resources', principal, reserverOf(r));
    else requireAllowed(m, 'destroy_volumes', principal, r.disk?.persistence?.principal);
  }
}

export function requireTeardown(m: Master, principal: string | undefined, fw: FrameworkRecord): void {
  requireAllowed(m, 'teardown_frameworks', principal, fw.info.principal);
}

/** Upstream authorizes each operator call by its action; read-only calls other than views are not authorized. */
export function requireOperatorCall(m: Master, principal: string | undefined, call: master.Call): void {
  switch (call.type) {
    case 'UPDATE_WEIGHTS':
      return requireAllowed(m, 'update_weights', principal, (call.update_weights?.weight_infos ?? []).map((w) => w.role ?? '*'));
    case 'UPDATE_QUOTA':
      return requireAllowed(m, 'update_quotas', principal, (call.update_quota?.quota_configs ?? []).map((c) => c.role));
    case 'RESERVE_RESOURCES':
      return requireResourceOperation(m, principal, 'RESERVE', call.reserve_resources?.resources ?? []);
    case 'UNRESERVE_RESOURCES':
      return requireResourceOperation(m, principal, 'UNRESERVE', call.unreserve_resources?.resources ?? []);
    case 'CREATE_VOLUMES':
      return requireResourceOperation(m, principal, 'CREATE', call.create_volumes?.volumes ?? []);
    case 'DESTROY_VOLUMES':
      return requireResourceOperation(m, principal, 'DESTROY', call.destroy_volumes?.volumes ?? []);
    case 'MARK_AGENT_GONE':
      return requireAllowed(m, 'mark_agents_gone', principal);
    case 'DRAIN_AGENT':
      return requireAllowed(m, 'drain_agents', principal);
    case 'DEACTIVATE_AGENT':
    case 'REACTIVATE_AGENT':
      return requireAllowed(m, 'deactivate_agents', principal);
    case 'UPDATE_MAINTENANCE_SCHEDULE':
      return requireAllowed(m, 'update_maintenance_schedules', principal);
    case 'START_MAINTENANCE':
      return requireAllowed(m, 'start_maintenances', principal);
    case 'STOP_MAINTENANCE':
      return requireAllowed(m, 'stop_maintenances', principal);
    case 'GET_FLAGS':
      return requireAllowed(m, 'view_flags', principal);
    case 'TEARDOWN': {
      const fw = m.books.frameworks.get(call.teardown?.framework_id.value ?? '');
      if (fw) requireTeardown(m, principal, fw);
      return;
    }
    default:
      return;
  }
}

/** Read-only operator calls; the rest need the read-write realm. */
export function isReadOnlyCall(type: master.Call['type']): boolean {
  return type === 'SUBSCRIBE' || (typeof type === 'string' && type.startsWith('GET_'));
}

/** The Unix user a task runs as: its command's, else its executor's, else the framework's. */
export function taskUser(fw: FrameworkRecord, task: v1.TaskInfo, executor?: v1.ExecutorInfo): string | undefined {
  return task.command?.user ?? task.executor?.command?.user ?? executor?.command?.user ?? fw.info.user;
}
