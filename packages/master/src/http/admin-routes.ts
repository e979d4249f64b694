// Upstream's legacy (v0) operator routes beyond the read-only ones: /weights (GET, PUT), /quota (GET, POST,
// DELETE /quota/<role>), /maintenance/schedule (GET, POST), /maintenance/status, /machine/down|up,
// /master/state-summary, /master/tasks with filters, and the ?framework_id= / ?slave_id= filters of
// /master/state, /master/frameworks and /master/slaves. Returns false when the path is not one of them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageName, maintenance, quota, v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';
import { changeMachines, getSchedule, getStatus, updateSchedule } from '../runtime/maintenance.js';
import type { Master } from '../runtime/master.js';
import { updateQuota, updateWeights } from '../runtime/operator-ops.js';
import { agentJson, frameworkJson, stateJson, taskJson } from './legacy-json.js';
import { requireAllowed } from '../security/authz.js';
import { principalOf } from '../security/request-auth.js';
import { filterLegacyJson } from '../security/views-filter.js';
import { HttpError, readBody, sendJson } from './respond.js';

type Json = Record<string, unknown>;

const alias = (path: string): string => (path.startsWith('/master/') ? path.slice('/master'.length) : path);

export async function adminRoute(m: Master, req: IncomingMessage, res: ServerResponse, fullPath: string, url: URL): Promise<boolean> {
  const path = alias(fullPath);
  const method = req.method ?? '';
  const principal = principalOf(req);
  const view = (v: Json): unknown => filterLegacyJson(m, principal, v);
  const allow = (...methods: string[]): void => {
    const ok = methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
    if (!ok) throw new HttpError(405, `Expecting one of { '${methods.join("', '")}' }, but received '${method}'`, { Allow: methods.join(', ') });
  };
  const filters = { framework: url.searchParams.get('framework_id') ?? undefined, agent: url.searchParams.get('slave_id') ?? undefined, task: url.searchParams.get('task_id') ?? undefined };
  if (path === '/weights') {
    allow('GET', 'PUT');
    if (method === 'PUT') {
      const infos = await bodyJson<unknown[]>(req, 'a JSON array of {"role": ..., "weight": ...}');
      if (!Array.isArray(infos)) throw new HttpError(400, 'Failed to parse the request body: expected a JSON array of {"role": ..., "weight": ...}');
      const weights = infos.map((w) => decode<v1.WeightInfo>('mesos.v1.WeightInfo', w));
      requireAllowed(m, 'update_weights', principal, weights.map((w) => w.role ?? '*'));
      await updateWeights(m, weights);
      return ok(res);
    }
    sendJson(res, 200, [...m.books.weights].map(([role, weight]) => ({ role, weight })));
    return true;
  }
  if (path === '/quota' || path.startsWith('/quota/')) {
    allow('GET', 'POST', 'DELETE');
    if (method === 'POST') {
      const request = decode<quota.QuotaRequest>('mesos.v1.quota.QuotaRequest', await bodyJson(req, 'a QuotaRequest: {"role": ..., "guarantee": [resources]}'));
      const role = request.role ?? '';
      if (!role) throw new HttpError(400, "Failed to validate the quota request: 'role' is missing");
      if (m.books.quotas.has(role)) throw new HttpError(400, `Failed to validate the quota request: role '${role}' already has quota; DELETE /quota/${role} first`);
      requireAllowed(m, 'update_quotas', principal, role);
      // Upstream's legacy call sets both guarantees and limits to the requested guarantee.
      const amounts: Record<string, v1.Value.Scalar> = {};
      for (const r of request.guarantee ?? []) {
        if (r.type !== 'SCALAR' || !r.scalar) throw new HttpError(400, `Failed to validate the quota request: resource '${r.name}' is not a scalar; quota takes scalars only`);
        amounts[r.name] = { value: (amounts[r.name]?.value ?? 0) + r.scalar.value };
      }
      await updateQuota(m, [{ role, guarantees: amounts, limits: amounts }], request.force === true);
      return ok(res);
    }
    if (method === 'DELETE') {
      const role = decodeURIComponent(path.slice('/quota/'.length));
      if (!role) throw new HttpError(400, 'Failed to remove quota: name the role in the path (DELETE /quota/<role>)');
      if (!m.books.quotas.has(role)) throw new HttpError(400, `Failed to remove quota: role '${role}' has no quota set`);
      requireAllowed(m, 'update_quotas', principal, role);
      await updateQuota(m, [{ role, guarantees: {}, limits: {} }]);
      return ok(res);
    }
    const configs = [...m.books.quotas.values()];
    const scalarsOf = (map: Record<string, v1.Value.Scalar> | undefined): Json[] => Object.entries(map ?? {}).map(([name, s]) => ({ name, type: 'SCALAR', scalar: { value: s.value } }));
    sendJson(res, 200, { infos: configs.map((c) => ({ role: c.role, guarantee: scalarsOf(c.guarantees) })), configs: configs.map((c) => JSON.parse(encodeJson('mesos.v1.quota.QuotaConfig', c as never)) as unknown) });
    return true;
  }
  if (path === '/maintenance/schedule') {
    allow('GET', 'POST');
    if (method === 'POST') {
      requireAllowed(m, 'update_maintenance_schedules', principal);
      await updateSchedule(m, decode<maintenance.Schedule>('mesos.v1.maintenance.Schedule', await bodyJson(req, 'a maintenance Schedule: {"windows": [...]}')));
      return ok(res);
    }
    sendJson(res, 200, JSON.parse(encodeJson('mesos.v1.maintenance.Schedule', getSchedule(m) as never)));
    return true;
  }
  if (path === '/maintenance/status') {
    allow('GET');
    sendJson(res, 200, JSON.parse(encodeJson('mesos.v1.maintenance.ClusterStatus', getStatus(m) as never)));
    return true;
  }
  if (path === '/machine/down' || path === '/machine/up') {
    allow('POST');
    const ids = await bodyJson<unknown[]>(req, 'a JSON array of machine ids: [{"hostname": ..., "ip": ...}]');
    if (!Array.isArray(ids)) throw new HttpError(400, 'Failed to parse the request body: expected a JSON array of machine ids: [{"hostname": ..., "ip": ...}]');
    requireAllowed(m, path === '/machine/down' ? 'start_maintenances' : 'stop_maintenances', principal);
    await changeMachines(m, path === '/machine/down' ? 'down' : 'up', ids.map((id) => decode<v1.MachineID>('mesos.v1.MachineID', id)));
    return ok(res);
  }
  if (path === '/state-summary') {
    allow('GET');
    sendJson(res, 200, view(stateSummary(m)));
    return true;
  }
  if (path === '/tasks' || path === '/tasks.json') {
    allow('GET');
    sendJson(res, 200, view({ tasks: tasksPage(m, url, filters) }));
    return true;
  }
  const filtered = filters.framework !== undefined || filters.agent !== undefined;
  if (filtered && ['/state', '/state.json', '/frameworks', '/frameworks.json', '/slaves', '/slaves.json'].includes(path)) {
    allow('GET');
    const base = path.replace(/\.json$/, '');
    if (base === '/state') {
      const state = stateJson(m);
      sendJson(res, 200, view({ ...state, ...filterJson(state, filters) }));
    } else if (base === '/frameworks') {
      const all = { frameworks: [...m.books.frameworks.values()].map((f) => frameworkJson(m, f)), completed_frameworks: m.books.completedFrameworks.map((f) => frameworkJson(m, f)), unregistered_frameworks: [] };
      sendJson(res, 200, view({ ...all, ...filterJson(all, { ...filters, agent: undefined }) }));
    } else {
      const slaves = [...m.books.agents.values()].filter((a) => a.reachable && (filters.agent === undefined || a.id === filters.agent)).map((a) => agentJson(m, a));
      sendJson(res, 200, { slaves, recovered_slaves: [] });
    }
    return true;
  }
  return false;
}

function ok(res: ServerResponse): true {
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
  return true;
}

async function bodyJson<T = unknown>(req: IncomingMessage, expected: string): Promise<T> {
  const text = (await readBody(req)).toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new HttpError(400, `Failed to parse the request body: ${(e as Error).message}; send ${expected}`);
  }
}

function decode<T>(name: MessageName, value: unknown): T {
  try {
    return decodeJson(name, JSON.stringify(value)) as T;
  } catch (e) {
    throw new MasterError('INVALID_CALL', `Failed to parse the request body as ${name}: ${(e as Error).message}`);
  }
}

interface Filters {
  framework: string | undefined;
  agent: string | undefined;
  task: string | undefined;
}

/** Upstream's filters: frameworks by id, slaves by id, and tasks/executors to those on the named agent. */
function filterJson(state: Json, f: Filters): Json {
  const onAgent = (list: unknown): Json[] => ((list as Json[] | undefined) ?? []).filter((t) => f.agent === undefined || t['slave_id'] === f.agent);
  const fw = (list: unknown): Json[] =>
    ((list as Json[] | undefined) ?? [])
      .filter((x) => f.framework === undefined || x['id'] === f.framework)
      .map((x) => ({ ...x, tasks: onAgent(x['tasks']), unreachable_tasks: onAgent(x['unreachable_tasks']), completed_tasks: onAgent(x['completed_tasks']), executors: onAgent(x['executors']) }));
  const out: Json = { frameworks: fw(state['frameworks']), completed_frameworks: fw(state['completed_frameworks']) };
  if (state['slaves'] !== undefined) out['slaves'] = ((state['slaves'] as Json[]) ?? []).filter((s) => f.agent === undefined || s['id'] === f.agent);
  return out;
}

/** /master/tasks: newest first unless order=asc, limit (default 100) and offset, ?framework_id= and ?task_id=. */
function tasksPage(m: Master, url: URL, f: Filters): Json[] {
  const num = (name: string, dflt: number): number => {
    const raw = url.searchParams.get(name);
    if (raw === null) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `Failed to parse '${name}': '${raw}' is not a non-negative integer`);
    return n;
  };
  const limit = num('limit', 100);
  const offset = num('offset', 0);
  const order = url.searchParams.get('order') ?? 'des';
  if (order !== 'asc' && order !== 'des') throw new HttpError(400, `Failed to parse 'order': '${order}' is not 'asc' or 'des'`);
  const all: Json[] = [];
  for (const fw of [...m.books.frameworks.values(), ...m.books.completedFrameworks]) {
    if (f.framework !== undefined && fw.id !== f.framework) continue;
    const tasks = [...[...fw.tasks.values()].map((r) => r.task), ...[...fw.unreachableTasks.values()].map((r) => r.task), ...fw.completedTasks];
    for (const t of tasks) if (f.task === undefined || t.task_id.value === f.task) all.push(taskJson(t, fw.roles[0]));
  }
  // Upstream sorts by the time of the task's first status.
  const started = (t: Json): number => ((t['statuses'] as { timestamp: number }[] | undefined)?.[0]?.timestamp ?? 0);
  all.sort((a, b) => (order === 'asc' ? started(a) - started(b) : started(b) - started(a)));
  return all.slice(offset, offset + limit);
}

/** /master/state-summary: agents and frameworks with counts instead of task lists. */
function stateSummary(m: Master): Json {
  const counts = (tasks: Iterable<v1.Task>): Json => {
    const out: Record<string, number> = {};
    for (const s of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_KILLED', 'TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_UNREACHABLE']) out[s] = 0;
    for (const t of tasks) out[t.state] = (out[t.state] ?? 0) + 1;
    return out;
  };
  const frameworks = [...m.books.frameworks.values()];
  const tasksOf = (fw: (typeof frameworks)[number]): v1.Task[] => [...[...fw.tasks.values()].map((r) => r.task), ...[...fw.unreachableTasks.values()].map((r) => r.task), ...fw.completedTasks];
  const agents = [...m.books.agents.values()].filter((a) => a.reachable);
  return {
    hostname: m.info.hostname,
    cluster: m.flags.cluster,
    slaves: agents.map((a) => {
      const full = agentJson(m, a);
      const onAgent = frameworks.flatMap((fw) => tasksOf(fw).filter((t) => t.agent_id.value === a.id));
      return { ...full, ...counts(onAgent), framework_ids: [...new Set(onAgent.map((t) => t.framework_id.value))] };
    }),
    frameworks: frameworks.map((fw) => {
      const full = frameworkJson(m, fw);
      const summary: Json = {};
      for (const k of ['id', 'name', 'pid', 'used_resources', 'offered_resources', 'capabilities', 'hostname', 'webui_url', 'active', 'connected', 'recovered', 'role', 'roles']) summary[k] = full[k];
      return { ...summary, ...counts(tasksOf(fw)), slave_ids: [...new Set(tasksOf(fw).map((t) => t.agent_id.value))] };
    }),
  };
}

