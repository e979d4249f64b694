// POST /internal/v1/agent (packages/wire/docs/master-agent-protocol.md): REGISTER / REREGISTER open the
// agent's event stream; STATUS_UPDATE, PONG, EXECUTOR_TO_FRAMEWORK and EXECUTOR_EXITED answer 202 and must
// carry the agent's current Mesos-Stream-Id.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { internal } from '@mesos-ts/proto';
import { decode, responseContentType } from '@mesos-ts/wire';
import { MasterError, isMasterError } from '../core/errors.js';
import type { AgentRecord } from '../core/state.js';
import { AGENT_SESSION_HEADER, newSessionToken, rememberSession, reregisterSessionToken } from '../runtime/agent-session.js';
import { agentDisconnected, pong, registerAgent, reregisterAgent } from '../runtime/agents.js';
import type { Master } from '../runtime/master.js';
import { executorExited, executorMessage, statusUpdate } from '../runtime/tasks.js';
import { requireAllowed } from '../security/authz.js';
import { authenticate } from '../security/request-auth.js';
import { HttpEventSink } from './event-stream.js';
import { HttpError, firstHeader, readBody, sendFailure, v1Preamble } from './respond.js';

export async function agentEndpoint(m: Master, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const contentType = v1Preamble(m, req, '/internal/v1/agent');
    // --authenticate_agents: every call carries the agent's --credential (HTTP Basic); 401 otherwise.
    const principal = authenticate(m, req, 'agent');
    const body = await readBody(req);
    const call = decode(contentType, 'mesosts.internal.v1.AgentCall', body);
    const streamId = firstHeader(req.headers['mesos-stream-id']);
    if (call.type === 'REGISTER' || call.type === 'REREGISTER') {
      const accept = responseContentType(firstHeader(req.headers.accept));
      if (!accept.ok) throw new HttpError(accept.status, accept.message);
      requireAllowed(m, 'register_agents', principal);
      const id = randomUUID();
      // Checked before the stream opens, so a stolen agent id is refused with a plain 403.
      const rrId = call.type === 'REREGISTER' ? (call.reregister?.agent_info.id?.value ?? call.agent_id?.value) : undefined;
      const session = rrId === undefined ? newSessionToken() : reregisterSessionToken(m, rrId, firstHeader(req.headers[AGENT_SESSION_HEADER.toLowerCase()]));
      let agent: AgentRecord | undefined;
      const sink = new HttpEventSink(res, accept.contentType, 'mesosts.internal.v1.AgentEvent', { 'Mesos-Stream-Id': id, [AGENT_SESSION_HEADER]: session }, () => {
        if (agent) agentDisconnected(m, agent, sink);
      });
      try {
        if (call.type === 'REGISTER') {
          if (!call.register) throw new MasterError('INVALID_CALL', "Expecting 'register' to be present");
          agent = await registerAgent(m, call.register, sink, id);
        } else {
          if (!call.reregister) throw new MasterError('INVALID_CALL', "Expecting 'reregister' to be present");
          agent = await reregisterAgent(m, call.reregister, sink, id, call.agent_id?.value);
        }
        await rememberSession(m, agent.id, session);
      } catch (e) {
        if (!isMasterError(e) || e.code !== 'REMOVED') throw e;
        sink.send({ type: 'ERROR', error: { message: e.message } });
        sink.close();
      }
      // The agent hung up while the registry was written: treat it as a broken stream at once.
      if (agent && sink.closed) agentDisconnected(m, agent, sink);
      return;
    }
    handleAgentCall(m, call, streamId);
    res.writeHead(202, { 'Content-Length': 0 });
    res.end();
  } catch (e) {
    sendFailure(m, res, e);
  }
}

function handleAgentCall(m: Master, call: internal.AgentCall, streamId: string | undefined): void {
  const id = call.agent_id?.value;
  if (id === undefined) throw new MasterError('INVALID_CALL', "Expecting 'agent_id' to be present");
  const agent = m.books.agents.get(id);
  if (!agent) throw new MasterError('UNKNOWN_AGENT', `Agent ${id} is not registered; (re-)register first`);
  if (streamId === undefined || streamId !== agent.streamId) {
    throw new MasterError('INVALID_CALL', `The 'Mesos-Stream-Id' header must be the agent's current stream id; re-register if the stream was replaced`);
  }
  const need = <T>(v: T | undefined, field: string): T => {
    if (v === undefined) throw new MasterError('INVALID_CALL', `Expecting '${field}' to be present`);
    return v;
  };
  switch (call.type) {
    case 'STATUS_UPDATE':
      return statusUpdate(m, agent, need(call.status_update, 'status_update'));
    case 'PONG':
      return pong(agent, need(call.pong, 'pong'));
    case 'EXECUTOR_TO_FRAMEWORK':
      return executorMessage(m, agent, need(call.executor_to_framework, 'executor_to_framework'));
    case 'EXECUTOR_EXITED':
      return executorExited(m, agent, need(call.executor_exited, 'executor_exited'));
    default:
      throw new MasterError('INVALID_CALL', `Unknown agent call type '${String(call.type)}'`);
  }
}
