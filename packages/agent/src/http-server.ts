// The agent's HTTP routes. Every handler's failure becomes a 4xx/5xx answer with a message; nothing a
// client sends can crash the agent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeJson } from '@mesos-ts/wire';
import type { AgentContext } from './agent-context.js';
import { handleExecutorApi } from './executor-api.js';
import { tokensFor } from './executor-token.js';
import { agentAllowed, authenticateAgentRequest } from './agent-security.js';
import { FileAccess } from './files.js';
import { HttpError, sendError, sendJson, sendText } from './http-util.js';
import { prometheus, snapshot } from './metrics.js';
import { collectUsage } from './monitor.js';
import { legacyAgentRoute } from './legacy-routes.js';
import { handleOperatorApi } from './operator-api.js';
import { stateJson } from './state-json.js';

const fileAccess = new WeakMap<AgentContext, FileAccess>();

/** As upstream's agent, these GETs are authorized as get_endpoints with the path as object. */
const ENDPOINTS_ACL = new Set(['/monitor/statistics', '/containers', '/metrics/snapshot', '/metrics']);

export async function handleHttp(agent: AgentContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = url.pathname.replace(/^\/slave\(1\)/, '');
    const get = (): void => {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `Expecting GET for ${route}`);
    };
    let files = fileAccess.get(agent);
    if (!files) fileAccess.set(agent, (files = new FileAccess([agent.dirs.sandboxesRoot(), agent.dirs.volumesRoot()])));
    // Executors authenticate with their own token (below); every other route is the operator's: GET reads,
    // anything else writes (the v1 operator API authenticates per call type inside).
    const security = agent.flags.security;
    const principal =
      route === '/api/v1/executor' || route === '/api/v1' || route === '/health'
        ? undefined
        : authenticateAgentRequest(security, req, req.method === 'GET' || req.method === 'HEAD');
    if (route.startsWith('/files/') && !sandboxAllowed(agent, principal, url.searchParams.get('path'))) {
      throw new HttpError(403, 'Forbidden: not authorized to access this sandbox (--acls access_sandboxes)');
    }
    const endpoint = route.replace(/\.json$/, '');
    if (ENDPOINTS_ACL.has(endpoint) && !agentAllowed(security, 'get_endpoints', principal, endpoint)) {
      throw new HttpError(403, `Forbidden: not authorized to GET ${endpoint} (--acls get_endpoints)`);
    }
    if (endpoint === '/flags' && !agentAllowed(security, 'view_flags', principal)) throw new HttpError(403, 'Forbidden: not authorized to view the flags (--acls view_flags)');
    switch (route) {
      case '/api/v1/executor':
        await handleExecutorApi(req, res, agent, (fw, ex, auth) => tokensFor(agent.dirs.metaDir).verify(fw, ex, auth));
        return;
      case '/api/v1':
        await handleOperatorApi(agent, req, res);
        return;
      case '/state':
      case '/state.json':
        get();
        sendJson(res, 200, stateJson(agent));
        return;
      case '/flags':
        get();
        sendJson(res, 200, { flags: agent.flags.raw });
        return;
      case '/health':
        get();
        res.writeHead(200).end();
        return;
      case '/monitor/statistics':
      case '/monitor/statistics.json':
        get();
        sendJson(
          res,
          200,
          collectUsage(agent).map(({ ex, statistics }) => ({
            framework_id: ex.frameworkId,
            executor_id: ex.id,
            executor_name: ex.info.name ?? '',
            source: ex.info.source ?? '',
            statistics: JSON.parse(encodeJson('mesos.v1.ResourceStatistics', statistics)) as unknown,
          })),
        );
        return;
      case '/metrics/snapshot':
        get();
        sendJson(res, 200, metricsSnapshot(agent));
        return;
      case '/metrics':
        get();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(prometheus(metricsSnapshot(agent)));
        return;
      case '/files/browse':
      case '/files/browse.json':
        get();
        await files.browse(url.searchParams.get('path'), res);
        return;
      case '/files/read':
      case '/files/read.json':
        get();
        await files.read(url.searchParams.get('path'), url.searchParams.get('offset'), url.searchParams.get('length'), res);
        return;
      case '/files/download':
      case '/files/download.json':
        get();
        await files.download(url.searchParams.get('path'), res);
        return;
      default:
        if (legacyAgentRoute(agent, route, req, res)) return;
        sendText(res, 404, `No such endpoint '${url.pathname}' on this agent`);
    }
  } catch (e) {
    if (!(e instanceof HttpError)) agent.log.error({ err: (e as Error).message, url: req.url }, 'request failed');
    sendError(res, e);
  }
}

function metricsSnapshot(agent: AgentContext): Record<string, number> {
  const executors = { registering: 0, running: 0, terminating: 0 };
  const tasks = { staging: 0, starting: 0, running: 0, killing: 0 };
  const used = new Map<string, number>();
  for (const ex of agent.allExecutors()) {
    if (ex.state === 'registering' || ex.state === 'launching' || ex.state === 'recovering') executors.registering++;
    else if (ex.state === 'running') executors.running++;
    else if (ex.state === 'terminating') executors.terminating++;
    for (const t of ex.tasks.values()) {
      if (t.state === 'TASK_STAGING') tasks.staging++;
      else if (t.state === 'TASK_STARTING') tasks.starting++;
      else if (t.state === 'TASK_RUNNING') tasks.running++;
      else if (t.state === 'TASK_KILLING') tasks.killing++;
      else continue;
      for (const r of t.resources ?? []) if (r.type === 'SCALAR') used.set(r.name, (used.get(r.name) ?? 0) + (r.scalar?.value ?? 0));
    }
  }
  return snapshot({
    metrics: agent.metrics,
    registered: agent.connected,
    uptimeSecs: Date.now() / 1000 - agent.startTime,
    executors,
    tasks,
    resources: { total: agent.opts.resources.scalars(), used },
  });
}

/**
 * access_sandboxes: the object is the Unix user of the executor whose sandbox `path` lies in (the framework's
 * user when the executor names none). A path outside every sandbox (e.g. a volume) is checked with no object.
 */
function sandboxAllowed(agent: AgentContext, principal: string | undefined, path: string | null): boolean {
  const security = agent.flags.security;
  if (!security.aclsGiven) return true;
  let user: string | undefined;
  if (path !== null) {
    for (const ex of agent.allExecutors()) {
      if (path === ex.sandbox || path.startsWith(`${ex.sandbox}/`)) {
        user = ex.info.command?.user ?? agent.frameworks.get(ex.frameworkId)?.info.user;
        break;
      }
    }
  }
  return agentAllowed(security, 'access_sandboxes', principal, user);
}
