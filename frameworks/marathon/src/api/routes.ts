// Marathon's REST API (/v2/apps, /v2/tasks, /v2/deployments, /v2/info, /v2/leader, /ping, /metrics) over the
// launcher. Handlers return [status, body, headers?] or throw MarathonError; validation happens entirely
// before any change, so bad input changes nothing.
import { parseApp, type AppDefinition } from '../domain/app.js';
import { isResident } from '../domain/resident.js';
import { appIdError, normaliseAppId } from '../domain/app-id.js';
import { impossible } from '../domain/constraints.js';
import { MarathonError, invalid, locked, notFound } from '../domain/errors.js';
import type { Launcher } from '../scheduler/launcher.js';
import { appJson, taskJson } from './app-json.js';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ok = (body: unknown, status = 200, headers?: Record<string, string>): ApiReply => ({ status, body, ...(headers === undefined ? {} : { headers }) });

export interface ApiContext {
  launcher: Launcher;
  /** What /v2/info reports. */
  info: Record<string, unknown>;
  leader: () => string;
}

function embedsOf(q: URLSearchParams): Set<string> {
  return new Set(q.getAll('embed').map((e) => e.replace(/^apps?\./, '')));
}

function checkNotLocked(ctx: ApiContext, appId: string, force: boolean): void {
  const held = ctx.launcher.deploymentsOf(appId);
  if (held.length > 0 && !force) throw locked(held.map((d) => d.id));
}

function checkPlaceable(ctx: ApiContext, app: AppDefinition): void {
  if (isResident(app) && ctx.launcher.o.role === '*') {
    throw invalid([{ path: '/container/volumes', errors: ["persistent volumes live on reservations, which need a role other than '*': start the launcher with --mesos_role=<role> (mesos-local: --launcher_role=<role>)"] }]);
  }
  const why = impossible(app.constraints, app.instances, ctx.launcher.knownAgents());
  if (why !== undefined) throw invalid([{ path: '/constraints', errors: [`Constraints cannot be satisfied by any agent of the cluster: ${why}`] }]);
}

export async function handle(ctx: ApiContext, req: ApiRequest): Promise<ApiReply> {
  const { launcher } = ctx;
  const { method, query } = req;
  const flag = (name: string): boolean => (query.get(name) ?? '').toLowerCase() === 'true';
  const force = flag('force');
  const p = req.path.replace(/\/+$/, '') || '/';
  if (p === '/ping') return ok('pong');
  if (p === '/v2/info' && method === 'GET') return ok(ctx.info);
  if (p === '/v2/leader' && method === 'GET') return ok({ leader: ctx.leader() });
  if (p === '/metrics' && method === 'GET') return ok(metrics(launcher));
  if (p === '/v2/tasks' && method === 'GET') return ok({ tasks: launcher.tasks().map((t) => ({ ...taskJson(t), servicePorts: launcher.app(t.appId)?.portDefinitions.map((d) => d.port) ?? [] })) });
  if (p === '/v2/deployments' && method === 'GET') {
    return ok(launcher.deployments().map((d) => ({ id: d.id, version: d.version, affectedApps: d.affectedApps, steps: [{ actions: d.actions }], currentActions: d.actions, currentStep: 1, totalSteps: 1 })));
  }
  const dep = /^\/v2\/deployments\/([^/]+)$/.exec(p);
  if (dep !== null && method === 'DELETE') {
    const d = await launcher.cancelDeployment(dep[1]!, force);
    if (d === undefined) throw new MarathonError(404, `DeploymentPlan ${dep[1]} does not exist`);
    return force ? ok({}, 202) : ok({ deploymentId: d.id, version: d.version }, 200, { 'Marathon-Deployment-Id': d.id });
  }
  if (p === '/v2/apps') {
    if (method === 'GET') return ok({ apps: filterApps(launcher, query).map((a) => appJson(a, launcher.tasks(a.id), launcher.deploymentsOf(a.id), launcher.lastFailure(a.id), embedsOf(query))) });
    if (method === 'POST') {
      const app = parseApp(req.body, new Date().toISOString());
      if (launcher.app(app.id) !== undefined) throw new MarathonError(409, `An app with id [${app.id}] already exists.`);
      checkPlaceable(ctx, app);
      const d = await launcher.deploy(app.id, app, 'StartApplication');
      return ok({ ...appJson(app, [], [d], undefined, new Set()), deployments: [{ id: d.id }] }, 201, { 'Marathon-Deployment-Id': d.id, Location: `/v2/apps${app.id}` });
    }
    throw new MarathonError(405, `${method} is not allowed on /v2/apps; use GET or POST`);
  }
  const m = /^\/v2\/apps(\/.+?)(\/(restart|tasks|versions)(\/([^/]+))?)?$/.exec(p);
  if (m === null) throw new MarathonError(404, `no such endpoint: ${req.path}`);
  const rawId = decodeURIComponent(m[1]!);
  const idError = appIdError(rawId);
  if (idError !== undefined) throw invalid([{ path: '/id', errors: [idError] }]);
  const appId = normaliseAppId(rawId);
  const sub = m[3];
  const current = launcher.app(appId);
  if (sub === undefined) {
    if (method === 'GET') {
      if (current === undefined) throw notFound(appId);
      return ok({ app: appJson(current, launcher.tasks(appId), launcher.deploymentsOf(appId), launcher.lastFailure(appId), new Set(['tasks', 'lastTaskFailure', ...embedsOf(query)])) });
    }
    if (method === 'PUT') {
      const app = parseApp(req.body, new Date().toISOString(), current, appId);
      checkNotLocked(ctx, appId, force);
      checkPlaceable(ctx, app);
      // Scaling keeps the version's tasks (Marathon: only config changes restart tasks).
      const onlyScale = current !== undefined && JSON.stringify({ ...app, instances: 0, version: '' }) === JSON.stringify({ ...current, instances: 0, version: '' });
      const stored = onlyScale ? { ...app, version: current.version } : app;
      const d = await launcher.deploy(appId, stored, current === undefined ? 'StartApplication' : onlyScale ? 'ScaleApplication' : 'RestartApplication');
      return ok({ deploymentId: d.id, version: d.version }, current === undefined ? 201 : 200, { 'Marathon-Deployment-Id': d.id });
    }
    if (method === 'DELETE') {
      if (current === undefined) throw notFound(appId);
      checkNotLocked(ctx, appId, force);
      const d = await launcher.deploy(appId, undefined, 'StopApplication');
      return ok({ deploymentId: d.id, version: d.version }, 200, { 'Marathon-Deployment-Id': d.id });
    }
  }
  if (current === undefined) throw notFound(appId);
  if (sub === 'restart' && method === 'POST') {
    checkNotLocked(ctx, appId, force);
    const d = await launcher.deploy(appId, { ...current, version: new Date().toISOString() }, 'RestartApplication');
    return ok({ deploymentId: d.id, version: d.version }, 200, { 'Marathon-Deployment-Id': d.id });
  }
  if (sub === 'versions' && method === 'GET') return ok({ versions: launcher.versions(appId) });
  if (sub === 'tasks' && method === 'GET') return ok({ tasks: launcher.tasks(appId).map(taskJson) });
  if (sub === 'tasks' && method === 'DELETE') {
    const host = query.get('host');
    const one = m[5];
    const chosen = launcher.tasks(appId).filter((t) => (one === undefined || t.id === one) && (host === null || t.host === host));
    if (one !== undefined && chosen.length === 0) throw new MarathonError(404, `Task '${one}' does not exist`);
    const killed = await launcher.killTasks(appId, chosen.map((t) => t.id), flag('scale'), flag('wipe'));
    return one === undefined ? ok({ tasks: killed.map(taskJson) }) : ok({ task: taskJson(killed[0]!) });
  }
  throw new MarathonError(405, `${method} is not allowed on ${req.path}`);
}

function filterApps(launcher: Launcher, q: URLSearchParams) {
  const id = q.get('id');
  const cmd = q.get('cmd');
  const label = q.get('label');
  return launcher.apps().filter((a) => {
    if (id !== null && !a.id.includes(id)) return false;
    if (cmd !== null && !(a.cmd ?? '').includes(cmd)) return false;
    if (label !== null) {
      const [k, v] = label.split('==');
      if (!(k! in a.labels) || (v !== undefined && a.labels[k!] !== v)) return false;
    }
    return true;
  });
}

function metrics(launcher: Launcher): Record<string, unknown> {
  const mem = process.memoryUsage();
  return {
    version: '4.0.0',
    counters: {},
    gauges: {
      'marathon.apps.active.gauge': { value: launcher.apps().length },
      'marathon.tasks.running.gauge': { value: launcher.tasks().filter((t) => t.state === 'TASK_RUNNING').length },
      'marathon.tasks.staged.gauge': { value: launcher.tasks().filter((t) => t.state === 'TASK_STAGING').length },
      'marathon.deployments.active.gauge': { value: launcher.deployments().length },
      'jvm.memory.total.used': { value: mem.rss },
      'process.rss.bytes': { value: mem.rss },
    },
  };
}
