// The agent's operator API, POST /api/v1: GET_HEALTH, GET_FLAGS, GET_VERSION, GET_STATE, GET_CONTAINERS,
// GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, GET_AGENT. Answers 200 with an agent.Response in the Accept
// encoding; calls this agent does not serve get 400 naming the ones it does.
import { authenticateAgentRequest } from './agent-security.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { agent as agentApi, v1 } from '@mesos-ts/proto';
import { decode, encode, isWireError } from '@mesos-ts/wire';
import { AGENT_VERSION, type AgentContext } from './agent-context.js';
import { HttpError, negotiate, readBody } from './http-util.js';
import { isTerminal } from './model.js';
import { collectUsage } from './monitor.js';

const SERVED = ['GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_STATE', 'GET_CONTAINERS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_TASKS', 'GET_AGENT'];

export async function handleOperatorApi(agent: AgentContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'Expecting POST to /api/v1');
  const types = negotiate(req);
  let call: agentApi.Call;
  try {
    call = decode(types.request, 'mesos.v1.agent.Call', await readBody(req));
  } catch (e) {
    if (isWireError(e)) throw new HttpError(400, `Failed to parse body into agent Call: ${e.message}`);
    throw e;
  }
  const type = call.type ?? 'UNKNOWN';
  authenticateAgentRequest(agent.flags.security, req, type.startsWith('GET_') || type === 'LIST_FILES' || type === 'READ_FILE');
  const response = answer(agent, call);
  const body = encode(types.response, 'mesos.v1.agent.Response', response);
  res.writeHead(200, { 'Content-Type': types.response, 'Content-Length': body.length });
  res.end(body);
}

function answer(agent: AgentContext, call: agentApi.Call): agentApi.Response {
  switch (call.type) {
    case 'GET_HEALTH':
      return { type: 'GET_HEALTH', get_health: { healthy: true } };
    case 'GET_FLAGS':
      return { type: 'GET_FLAGS', get_flags: { flags: Object.entries(agent.flags.raw).map(([name, value]) => ({ name, value })) } };
    case 'GET_VERSION':
      return { type: 'GET_VERSION', get_version: { version_info: { version: AGENT_VERSION } } };
    case 'GET_STATE':
      return { type: 'GET_STATE', get_state: { get_tasks: tasks(agent), get_executors: executors(agent), get_frameworks: frameworks(agent) } };
    case 'GET_TASKS':
      return { type: 'GET_TASKS', get_tasks: tasks(agent) };
    case 'GET_EXECUTORS':
      return { type: 'GET_EXECUTORS', get_executors: executors(agent) };
    case 'GET_FRAMEWORKS':
      return { type: 'GET_FRAMEWORKS', get_frameworks: frameworks(agent) };
    case 'GET_AGENT':
      return { type: 'GET_AGENT', get_agent: { agent_info: agent.agentInfo() } };
    case 'GET_CONTAINERS':
      return {
        type: 'GET_CONTAINERS',
        get_containers: {
          containers: collectUsage(agent).map(({ ex, statistics }) => ({
            framework_id: { value: ex.frameworkId },
            executor_id: { value: ex.id },
            ...(ex.info.name ? { executor_name: ex.info.name } : {}),
            container_id: { value: ex.containerId },
            container_status: { container_id: { value: ex.containerId }, ...(ex.container ? { executor_pid: ex.container.pid } : {}) },
            resource_statistics: statistics,
          })),
        },
      };
    default:
      throw new HttpError(400, `Call type '${String(call.type)}' is not served by this agent; use one of ${SERVED.join(', ')}`);
  }
}

function tasks(agent: AgentContext): agentApi.Response.GetTasks {
  const queued: v1.Task[] = [];
  const launched: v1.Task[] = [];
  const terminated: v1.Task[] = [];
  const completed: v1.Task[] = [];
  for (const fw of [...agent.frameworks.values(), ...agent.completedFrameworks]) {
    for (const ex of [...fw.executors.values(), ...fw.completedExecutors]) {
      const waiting = new Set(ex.queued.map((t) => t.task_id.value));
      for (const t of ex.tasks.values()) (waiting.has(t.task_id.value) ? queued : isTerminal(t.state) ? terminated : launched).push(t);
      completed.push(...ex.completedTasks);
    }
  }
  return { queued_tasks: queued, launched_tasks: launched, terminated_tasks: terminated, completed_tasks: completed };
}

function executors(agent: AgentContext): agentApi.Response.GetExecutors {
  const live = [...agent.allExecutors()];
  const done = [...agent.frameworks.values(), ...agent.completedFrameworks].flatMap((f) => f.completedExecutors);
  return { executors: live.map((e) => ({ executor_info: e.info })), completed_executors: done.map((e) => ({ executor_info: e.info })) };
}

function frameworks(agent: AgentContext): agentApi.Response.GetFrameworks {
  return {
    frameworks: [...agent.frameworks.values()].map((f) => ({ framework_info: f.info })),
    completed_frameworks: agent.completedFrameworks.map((f) => ({ framework_info: f.info })),
  };
}
