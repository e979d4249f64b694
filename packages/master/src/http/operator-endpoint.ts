// POST /api/v1 (operator API, master.Call): GET_* answer 200 with a Response in the Accept encoding; changes
// answer 200 (202 for reservations and volumes, as upstream); SUBSCRIBE streams master.Events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { master } from '@mesos-ts/proto';
import { decode, encode, responseContentType, type ContentType } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';
import { markGone, setAgentActive } from '../runtime/agents.js';
import { changeMachines, getSchedule, getStatus, updateSchedule } from '../runtime/maintenance.js';
import { removeFramework } from '../runtime/frameworks.js';
import { HEARTBEAT_INTERVAL_MS, MASTER_VERSION, type Master } from '../runtime/master.js';
import { metricsSnapshot } from '../runtime/metrics-snapshot.js';
import { applyOperatorOperation, updateQuota, updateWeights } from '../runtime/operator-ops.js';
import { getAgents, getExecutors, getFrameworks, getMaster, getRoles, getState, getTasks, getWeights } from '../runtime/views.js';
import { isReadOnlyCall, requireOperatorCall } from '../security/authz.js';
import { authenticate } from '../security/request-auth.js';
import { filterOperatorResponse, filteredOperatorSink } from '../security/views-filter.js';
import { HttpEventSink } from './event-stream.js';
import { HttpError, firstHeader, readBody, sendFailure, v1Preamble } from './respond.js';

type Answer = { status: 200 | 202; response?: master.Response };

export async function operatorEndpoint(m: Master, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const contentType = v1Preamble(m, req, '/api/v1');
    // Which realm needs the call's type: authenticated once the body is decoded (the body is bounded).
    const call = decode(contentType, 'mesos.v1.master.Call', await readBody(req));
    const principal = authenticate(m, req, isReadOnlyCall(call.type) ? 'readonly' : 'readwrite');
    requireOperatorCall(m, principal, call);
    const accept = responseContentType(firstHeader(req.headers.accept));
    if (call.type === 'SUBSCRIBE') {
      if (!accept.ok) throw new HttpError(accept.status, accept.message);
      return subscribeOperator(m, res, accept.contentType, principal);
    }
    const answer = filterResponse(m, principal, await handleOperatorCall(m, call));
    if (!answer.response) {
      res.writeHead(answer.status, { 'Content-Length': 0 });
      res.end();
      return;
    }
    if (!accept.ok) throw new HttpError(accept.status, accept.message);
    const out = encode(accept.contentType, 'mesos.v1.master.Response', answer.response);
    res.writeHead(200, { 'Content-Type': accept.contentType, 'Content-Length': out.length });
    res.end(out);
  } catch (e) {
    sendFailure(m, res, e);
  }
}

function filterResponse(m: Master, principal: string | undefined, answer: Answer): Answer {
  if (!answer.response || !m.flags.security.aclsGiven) return answer;
  return { ...answer, response: filterOperatorResponse(m, principal, answer.response) };
}

function subscribeOperator(m: Master, res: ServerResponse, contentType: ContentType, principal: string | undefined): void {
  if (m.operatorSubscribers.size >= m.flags.maxOperatorEventStreamSubscribers) {
    throw new HttpError(503, `Reached the limit of ${m.flags.maxOperatorEventStreamSubscribers} operator event stream subscribers (--max_operator_event_stream_subscribers); retry later`);
  }
  const http = new HttpEventSink(res, contentType, 'mesos.v1.master.Event', {}, () => m.operatorSubscribers.delete(sink));
  // With --acls the stream shows only what the principal may view (view_frameworks, view_tasks).
  const sink = filteredOperatorSink(m, principal, http);
  sink.send({ type: 'SUBSCRIBED', subscribed: { get_state: getState(m), heartbeat_interval_seconds: HEARTBEAT_INTERVAL_MS / 1000 } });
  m.operatorSubscribers.add(sink);
}

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new MasterError('INVALID_CALL', `Expecting '${field}' to be present`);
  return value;
}

const ok = (response: master.Response): Answer => ({ status: 200, response });

export async function handleOperatorCall(m: Master, call: master.Call): Promise<Answer> {
  // As upstream: a call without a type (an unknown enum value is dropped when decoding) is a bad request.
  if (call.type === undefined || call.type === 'UNKNOWN') throw new MasterError('INVALID_CALL', "Expecting 'type' to be present");
  switch (call.type) {
    case 'GET_HEALTH':
      return ok({ type: 'GET_HEALTH', get_health: { healthy: true } });
    case 'GET_FLAGS':
      return ok({ type: 'GET_FLAGS', get_flags: { flags: [...m.flags.raw].map(([name, value]) => ({ name, value })) } });
    case 'GET_VERSION':
      return ok({ type: 'GET_VERSION', get_version: { version_info: { version: MASTER_VERSION, build_user: 'mesos-ts' } } });
    case 'GET_METRICS':
      return ok({ type: 'GET_METRICS', get_metrics: { metrics: Object.entries(metricsSnapshot(m)).map(([name, value]) => ({ name, value })) } });
    case 'GET_LOGGING_LEVEL':
      return ok({ type: 'GET_LOGGING_LEVEL', get_logging_level: { level: 0 } });
    case 'GET_STATE':
      return ok({ type: 'GET_STATE', get_state: getState(m) });
    case 'GET_AGENTS':
      return ok({ type: 'GET_AGENTS', get_agents: getAgents(m) });
    case 'GET_FRAMEWORKS':
      return ok({ type: 'GET_FRAMEWORKS', get_frameworks: getFrameworks(m) });
    case 'GET_EXECUTORS':
      return ok({ type: 'GET_EXECUTORS', get_executors: getExecutors(m) });
    case 'GET_TASKS':
      return ok({ type: 'GET_TASKS', get_tasks: getTasks(m) });
    case 'GET_ROLES':
      return ok({ type: 'GET_ROLES', get_roles: { roles: getRoles(m) } });
    case 'GET_WEIGHTS':
      return ok({ type: 'GET_WEIGHTS', get_weights: getWeights(m) });
    case 'GET_MASTER':
      return ok({ type: 'GET_MASTER', get_master: getMaster(m) });
    case 'GET_QUOTA':
      return ok({ type: 'GET_QUOTA', get_quota: { status: { configs: [...m.books.quotas.values()] } } });
    case 'GET_OPERATIONS':
      return ok({ type: 'GET_OPERATIONS', get_operations: { operations: [] } });
    case 'UPDATE_WEIGHTS':
      await updateWeights(m, need(call.update_weights, 'update_weights').weight_infos ?? []);
      return { status: 200 };
    case 'UPDATE_QUOTA':
      await updateQuota(m, need(call.update_quota, 'update_quota').quota_configs ?? [], call.update_quota?.force === true);
      return { status: 200 };
    case 'RESERVE_RESOURCES': {
      const r = need(call.reserve_resources, 'reserve_resources');
      applyOperatorOperation(m, r.agent_id.value, 'RESERVE', r.resources ?? [], r.source);
      return { status: 202 };
    }
    case 'UNRESERVE_RESOURCES': {
      const r = need(call.unreserve_resources, 'unreserve_resources');
      applyOperatorOperation(m, r.agent_id.value, 'UNRESERVE', r.resources ?? []);
      return { status: 202 };
    }
    case 'CREATE_VOLUMES': {
      const r = need(call.create_volumes, 'create_volumes');
      applyOperatorOperation(m, r.agent_id.value, 'CREATE', r.volumes ?? []);
      return { status: 202 };
    }
    case 'DESTROY_VOLUMES': {
      const r = need(call.destroy_volumes, 'destroy_volumes');
      applyOperatorOperation(m, r.agent_id.value, 'DESTROY', r.volumes ?? []);
      return { status: 202 };
    }
    case 'TEARDOWN': {
      const id = need(call.teardown, 'teardown').framework_id.value;
      const fw = m.books.frameworks.get(id);
      if (!fw) throw new MasterError('INVALID_CALL', `No framework found with specified ID ${id}`);
      removeFramework(m, fw, 'torn down by the operator');
      return { status: 200 };
    }
    case 'MARK_AGENT_GONE':
      await markGone(m, need(call.mark_agent_gone, 'mark_agent_gone').agent_id.value);
      return { status: 200 };
    case 'DRAIN_AGENT':
      setAgentActive(m, need(call.drain_agent, 'drain_agent').agent_id.value, 'drain');
      return { status: 200 };
    case 'DEACTIVATE_AGENT':
      setAgentActive(m, need(call.deactivate_agent, 'deactivate_agent').agent_id.value, 'deactivate');
      return { status: 200 };
    case 'REACTIVATE_AGENT':
      setAgentActive(m, need(call.reactivate_agent, 'reactivate_agent').agent_id.value, 'reactivate');
      return { status: 200 };
    // The same books as /maintenance/schedule, /maintenance/status and /machine/down|up.
    case 'GET_MAINTENANCE_STATUS':
      return ok({ type: 'GET_MAINTENANCE_STATUS', get_maintenance_status: { status: getStatus(m) } });
    case 'GET_MAINTENANCE_SCHEDULE':
      return ok({ type: 'GET_MAINTENANCE_SCHEDULE', get_maintenance_schedule: { schedule: getSchedule(m) } });
    case 'UPDATE_MAINTENANCE_SCHEDULE':
      await updateSchedule(m, need(call.update_maintenance_schedule, 'update_maintenance_schedule').schedule);
      return { status: 200 };
    case 'START_MAINTENANCE':
      await changeMachines(m, 'down', need(call.start_maintenance, 'start_maintenance').machines ?? []);
      return { status: 200 };
    case 'STOP_MAINTENANCE':
      await changeMachines(m, 'up', need(call.stop_maintenance, 'stop_maintenance').machines ?? []);
      return { status: 200 };
    default:
      throw new MasterError('INVALID_CALL', `Operator call '${String(call.type ?? 'UNKNOWN')}' is not supported by this master`, { status: 501 });
  }
}
