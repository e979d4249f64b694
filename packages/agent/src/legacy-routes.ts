// Upstream agent routes scripts use besides /state: GET /version (the same version the master reports) and
// GET /containers (one entry per running container with its resource statistics). Returns false otherwise.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeJson } from '@mesos-ts/wire';
import { AGENT_VERSION, type AgentContext } from './agent-context.js';
import { HttpError, sendJson } from './http-util.js';
import { collectUsage } from './monitor.js';

export function legacyAgentRoute(agent: AgentContext, route: string, req: IncomingMessage, res: ServerResponse): boolean {
  const path = route.replace(/\/+$/, '').replace(/\.json$/, '');
  if (path !== '/version' && path !== '/containers') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `Expecting GET for ${route}`);
  if (path === '/version') {
    sendJson(res, 200, { version: AGENT_VERSION, build_user: 'mesos-ts' });
    return true;
  }
  sendJson(
    res,
    200,
    collectUsage(agent).map(({ ex, statistics }) => ({
      container_id: ex.containerId,
      executor_id: ex.id,
      executor_name: ex.info.name ?? '',
      framework_id: ex.frameworkId,
      source: ex.info.source ?? '',
      statistics: JSON.parse(encodeJson('mesos.v1.ResourceStatistics', statistics)) as unknown,
      status: { container_id: { value: ex.containerId }, ...(ex.container ? { executor_pid: ex.container.pid } : {}) },
    })),
  );
  return true;
}
