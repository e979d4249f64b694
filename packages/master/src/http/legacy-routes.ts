// The v0 routes users script against: read-only JSON (GET) and form-encoded changes (POST, 202/400/409 as
// upstream). Returns false when the path is not a legacy route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { decodeJson } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';
import { removeFramework } from '../runtime/frameworks.js';
import { MASTER_VERSION, type Master } from '../runtime/master.js';
import { metricsSnapshot, prometheusText } from '../runtime/metrics-snapshot.js';
import { applyOperatorOperation, type ResourceOperation } from '../runtime/operator-ops.js';
import { getRoles } from '../runtime/views.js';
import { adminRoute } from './admin-routes.js';
import { agentJson, flatResources, frameworkJson, stateJson, taskJson } from './legacy-json.js';
import { requireAllowed, requireResourceOperation, requireTeardown } from '../security/authz.js';
import { principalOf } from '../security/request-auth.js';
import { filterLegacyJson } from '../security/views-filter.js';
import { HttpError, readBody, sendFailure, sendJson } from './respond.js';

const STATE = new Set(['/master/state', '/state', '/state.json', '/master/state.json']);

/** Form routes: path -> (operation, form field with the resources). */
const FORM_OPS: Record<string, [ResourceOperation, 'resources' | 'volumes']> = {
  '/master/reserve': ['RESERVE', 'resources'],
  '/master/unreserve': ['UNRESERVE', 'resources'],
  '/master/create-volumes': ['CREATE', 'volumes'],
  '/master/destroy-volumes': ['DESTROY', 'volumes'],
};

export async function legacyRoute(m: Master, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  // Upstream serves every route also as <route>.json (e.g. /master/roles.json).
  const path = url.pathname.replace(/\/+$/, '').replace(/\.json$/, '') || '/';
  const get = (): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `Expecting 'GET', received '${req.method ?? ''}'`, { Allow: 'GET' });
  };
  // The principal the router authenticated (undefined: none); views are filtered and changes authorized by it.
  const principal = principalOf(req);
  const view = (v: unknown): unknown => filterLegacyJson(m, principal, v);
  try {
    if (await adminRoute(m, req, res, path, url)) return true;
    if (STATE.has(path)) {
      get();
      sendJson(res, 200, view(stateJson(m)));
    } else if (path === '/master/frameworks' || path === '/frameworks') {
      get();
      sendJson(
        res,
        200,
        view({
          frameworks: [...m.books.frameworks.values()].map((f) => frameworkJson(m, f)),
          completed_frameworks: m.books.completedFrameworks.map((f) => frameworkJson(m, f)),
          unregistered_frameworks: [],
        }),
      );
    } else if (path === '/master/slaves' || path === '/slaves') {
      get();
      sendJson(res, 200, { slaves: [...m.books.agents.values()].filter((a) => a.reachable).map((a) => agentJson(m, a)), recovered_slaves: [] });
    } else if (path === '/master/tasks' || path === '/tasks') {
      get();
      sendJson(res, 200, view({ tasks: tasksPage(m, url) }));
    } else if (path === '/master/roles' || path === '/roles') {
      get();
      sendJson(res, 200, {
        roles: getRoles(m).map((r) => ({ name: r.name, weight: r.weight, frameworks: (r.frameworks ?? []).map((f) => f.value), resources: flatResources(Resources.fromProto(r.resources ?? [])) })),
      });
    } else if (path === '/master/weights' || path === '/weights') {
      get();
      sendJson(res, 200, [...m.books.weights].map(([role, weight]) => ({ role, weight })));
    } else if (path === '/master/flags' || path === '/flags') {
      get();
      requireAllowed(m, 'view_flags', principal);
      sendJson(res, 200, { flags: Object.fromEntries(m.flags.raw) });
    } else if (path === '/metrics/snapshot') {
      get();
      // As upstream, GET of the metrics endpoints is authorized as get_endpoints with the path as object.
      requireAllowed(m, 'get_endpoints', principal, '/metrics/snapshot');
      sendJson(res, 200, metricsSnapshot(m));
    } else if (path === '/metrics') {
      get();
      requireAllowed(m, 'get_endpoints', principal, '/metrics');
      const text = prometheusText(metricsSnapshot(m));
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    } else if (path === '/health' || path === '/master/health') {
      get();
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    } else if (path === '/version') {
      get();
      sendJson(res, 200, { version: MASTER_VERSION, build_user: 'mesos-ts' });
    } else if (path === '/master/redirect' || path === '/redirect') {
      const leader = m.leader.current();
      if (!leader) throw new HttpError(503, 'No leading master is elected yet; retry shortly');
      res.writeHead(307, { Location: `//${leader.hostname}:${leader.port}`, 'Content-Length': 0 });
      res.end();
    } else if (FORM_OPS[path] !== undefined) {
      const [type, field] = FORM_OPS[path];
      const form = await formOf(m, req);
      const agentId = required(form, 'slaveId');
      const list = parseResourcesField(required(form, field), field);
      requireResourceOperation(m, principal, type, list);
      applyOperatorOperation(m, agentId, type, list);
      res.writeHead(202, { 'Content-Length': 0 });
      res.end();
    } else if (path === '/master/teardown' || path === '/teardown') {
      const form = await formOf(m, req);
      const id = required(form, 'frameworkId');
      const fw = m.books.frameworks.get(id);
      if (!fw) throw new HttpError(400, `No framework found with specified ID ${id}`);
      requireTeardown(m, principal, fw);
      removeFramework(m, fw, 'torn down by the operator');
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    } else {
      return false;
    }
  } catch (e) {
    sendFailure(m, res, e);
  }
  return true;
}

function tasksPage(m: Master, url: URL): unknown[] {
  const limit = Math.max(0, Number(url.searchParams.get('limit') ?? 100) || 100);
  const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
  const all: unknown[] = [];
  for (const fw of m.books.frameworks.values()) {
    for (const r of fw.tasks.values()) all.push(taskJson(r.task, fw.roles[0]));
    for (const r of fw.unreachableTasks.values()) all.push(taskJson(r.task, fw.roles[0]));
    for (const t of fw.completedTasks) all.push(taskJson(t, fw.roles[0]));
  }
  if (url.searchParams.get('order') === 'asc') all.reverse();
  return all.slice(offset, offset + limit);
}

async function formOf(m: Master, req: IncomingMessage): Promise<URLSearchParams> {
  if (req.method !== 'POST') throw new HttpError(405, `Expecting 'POST', received '${req.method ?? ''}'`, { Allow: 'POST' });
  if (m.recovering) throw new HttpError(503, 'Master is recovering its registry; retry shortly');
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

function required(form: URLSearchParams, name: string): string {
  const v = form.get(name);
  if (v === null || v === '') throw new HttpError(400, `Missing '${name}' query parameter in the request body`);
  return v;
}

/** The form's resources: a JSON array of Resource objects (upstream), or a single object. */
function parseResourcesField(text: string, field: string): v1.Resource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MasterError('INVALID_CALL', `Error in parsing '${field}' query parameter: ${(e as Error).message}; send a JSON array of resources`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  try {
    return list.map((r) => decodeJson('mesos.v1.Resource', JSON.stringify(r)));
  } catch (e) {
    throw new MasterError('INVALID_CALL', `Error in parsing '${field}' query parameter: ${(e as Error).message}`);
  }
}
