// Upstream's local authorizer, as data: --acls JSON `{"permissive": bool, "<action>": [{"principals": E,
// "<object field>": E}, …]}` with entities E = {"type":"ANY"} | {"type":"NONE"} | {"values":[…]}. For an action,
// ACLs are tried in order; the first whose subject and object both *match* the request decides, by whether both
// *allow* it; when none matches, `permissive` (default true) decides. A request without a principal (no
// authentication) is an ANY subject: only ACLs whose principals are ANY allow it. Pure: no I/O.
import { SecurityConfigError } from './credentials.js';

/** Each action upstream's ACLs know, with the JSON field naming its objects. */
export const ACL_ACTIONS = {
  register_frameworks: 'roles',
  run_tasks: 'users',
  teardown_frameworks: 'framework_principals',
  reserve_resources: 'roles',
  unreserve_resources: 'reserver_principals',
  create_volumes: 'roles',
  destroy_volumes: 'creator_principals',
  resize_volumes: 'roles',
  update_weights: 'roles',
  view_roles: 'roles',
  update_quotas: 'roles',
  get_quotas: 'roles',
  view_frameworks: 'users',
  view_tasks: 'users',
  view_executors: 'users',
  access_sandboxes: 'users',
  access_mesos_logs: 'logs',
  get_endpoints: 'paths',
  register_agents: 'agents',
  mark_agents_gone: 'agents',
  drain_agents: 'agents',
  deactivate_agents: 'agents',
  start_maintenances: 'machines',
  stop_maintenances: 'machines',
  update_maintenance_schedules: 'machines',
  view_maintenance_schedules: 'machines',
  get_maintenance_statuses: 'machines',
  view_flags: 'flags',
} as const;

export type AclAction = keyof typeof ACL_ACTIONS;

/** ANY, NONE, or SOME of `values`. */
export type AclEntity = { type: 'ANY' } | { type: 'NONE' } | { type: 'SOME'; values: readonly string[] };

export interface Acl {
  readonly subject: AclEntity;
  readonly object: AclEntity;
}

export interface Acls {
  readonly permissive: boolean;
  readonly rules: ReadonlyMap<AclAction, readonly Acl[]>;
}

export const PERMISSIVE: Acls = { permissive: true, rules: new Map() };

/** Parses --acls JSON; throws SecurityConfigError naming the bad part. Unknown top-level keys are refused. */
export function parseAcls(text: string): Acls {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw bad('expecting a JSON object like {"permissive": false, "run_tasks": [...]}');
  let permissive = true;
  const rules = new Map<AclAction, Acl[]>();
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'permissive') {
      if (typeof value !== 'boolean') throw bad("'permissive' must be true or false");
      permissive = value;
      continue;
    }
    if (!(key in ACL_ACTIONS)) throw bad(`unknown action '${key.slice(0, 64)}'; known: ${Object.keys(ACL_ACTIONS).join(', ')}`);
    const action = key as AclAction;
    if (!Array.isArray(value)) throw bad(`'${action}' must be a list of ACLs`);
    const objectField = ACL_ACTIONS[action];
    rules.set(
      action,
      value.map((acl, i) => {
        if (!isObject(acl)) throw bad(`${action}[${i}] must be an object`);
        return {
          subject: entity(acl.principals, `${action}[${i}].principals`),
          object: entity(acl[objectField], `${action}[${i}].${objectField}`),
        };
      }),
    );
  }
  return { permissive, rules };
}

function entity(v: unknown, where: string): AclEntity {
  // An omitted entity is ANY, as in upstream's protobuf default.
  if (v === undefined) return { type: 'ANY' };
  if (!isObject(v)) throw bad(`${where} must be {"type": "ANY"|"NONE"} or {"values": [...]}`);
  if (Array.isArray(v.values)) {
    if (!v.values.every((x) => typeof x === 'string')) throw bad(`${where}.values must be strings`);
    return { type: 'SOME', values: v.values as string[] };
  }
  if (v.type === 'ANY' || v.type === 'NONE') return { type: v.type };
  throw bad(`${where} must be {"type": "ANY"|"NONE"} or {"values": [...]}`);
}

/**
 * Whether `principal` (undefined: unauthenticated) may perform `action` on `object` (undefined: any object, as a
 * request that names none). A list of objects (e.g. several roles) needs every one allowed.
 */
export function authorized(acls: Acls, action: AclAction, principal: string | undefined, object?: string | readonly string[]): boolean {
  if (Array.isArray(object)) return (object as readonly string[]).every((o) => authorized(acls, action, principal, o));
  const subject = request(principal);
  const obj = request(object as string | undefined);
  for (const acl of acls.rules.get(action) ?? []) {
    if (matches(subject, acl.subject) && matches(obj, acl.object)) return allows(subject, acl.subject) && allows(obj, acl.object);
  }
  return acls.permissive;
}

type Requested = { type: 'ANY' } | { type: 'SOME'; value: string };

function request(v: string | undefined): Requested {
  return v === undefined ? { type: 'ANY' } : { type: 'SOME', value: v };
}

/** Whether an ACL entity is about this request at all. */
function matches(r: Requested, acl: AclEntity): boolean {
  if (r.type === 'ANY') return acl.type === 'ANY' || acl.type === 'NONE';
  if (acl.type === 'SOME') return acl.values.includes(r.value);
  return true;
}

/** Whether a matching ACL entity lets this request through. */
function allows(r: Requested, acl: AclEntity): boolean {
  if (acl.type === 'ANY') return true;
  if (acl.type === 'NONE') return false;
  return r.type === 'SOME' && acl.values.includes(r.value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): SecurityConfigError {
  return new SecurityConfigError(`--acls: ${message}`);
}
