// POST /api/v1/scheduler: SUBSCRIBE opens a RecordIO stream of Events (200, Mesos-Stream-Id); every other call
// answers 202 (200 for UPDATE_FRAMEWORK / RECONCILE_OPERATIONS) or an error status with a message.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { scheduler } from '@mesos-ts/proto';
import { decode, encode, responseContentType } from '@mesos-ts/wire';
import { isMasterError } from '../core/errors.js';
import { disconnect, frameworkRoles, subscribe } from '../runtime/frameworks.js';
import { requireAllowed } from '../security/authz.js';
import { authenticate } from '../security/request-auth.js';
import type { Master } from '../runtime/master.js';
import { handleSchedulerCall } from '../runtime/scheduler-calls.js';
import { HttpEventSink } from './event-stream.js';
import { HttpError, firstHeader, readBody, sendFailure, v1Preamble } from './respond.js';

export async function schedulerEndpoint(m: Master, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const contentType = v1Preamble(m, req, '/api/v1/scheduler');
    const principal = authenticate(m, req, 'scheduler');
    const body = await readBody(req);
    const call = decode(contentType, 'mesos.v1.scheduler.Call', body);
    checkPrincipal(m, call, principal);
    const streamId = firstHeader(req.headers['mesos-stream-id']);
    m.metrics.inc('master/messages_scheduler_calls');
    if (call.type === 'SUBSCRIBE') {
      if (streamId !== undefined) throw new HttpError(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      const accept = responseContentType(firstHeader(req.headers.accept));
      if (!accept.ok) throw new HttpError(accept.status, accept.message);
      const id = randomUUID();
      let fw: ReturnType<typeof subscribe> | undefined;
      const sink = new HttpEventSink(res, accept.contentType, 'mesos.v1.scheduler.Event', { 'Mesos-Stream-Id': id }, () => {
        if (fw) disconnect(m, fw, sink);
      });
      try {
        fw = subscribe(m, call, sink, id);
      } catch (e) {
        if (!isMasterError(e) || e.code !== 'REMOVED') throw e;
        // Upstream answers a removed framework on the stream itself, then closes it.
        sink.send({ type: 'ERROR', error: { message: e.message } });
        sink.close();
      }
      return;
    }
    const result = handleSchedulerCall(m, call, streamId);
    if (result.status === 202) {
      res.writeHead(202, { 'Content-Length': 0 });
      res.end();
      return;
    }
    if (!result.response) {
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
      return;
    }
    const accept = responseContentType(firstHeader(req.headers.accept));
    if (!accept.ok) throw new HttpError(accept.status, accept.message);
    const out = encode(accept.contentType, 'mesos.v1.scheduler.Response', result.response);
    res.writeHead(200, { 'Content-Type': accept.contentType, 'Content-Length': out.length });
    res.end(out);
  } catch (e) {
    sendFailure(m, res, e);
  }
}

/**
 * Frameworks act only as themselves: a SUBSCRIBE's FrameworkInfo.principal must be the authenticated principal,
 * a failover must keep the framework's principal, and every later call must come from that principal. Then
 * SUBSCRIBE needs register_frameworks for its roles. Throws 403 (400 for a SUBSCRIBE naming another principal).
 */
function checkPrincipal(m: Master, call: scheduler.Call, principal: string | undefined): void {
  const id = call.framework_id?.value ?? call.subscribe?.framework_info.id?.value;
  const existing = id === undefined ? undefined : (m.books.frameworks.get(id)?.info ?? m.recoveredFrameworkInfos.get(id));
  if (call.type === 'SUBSCRIBE' && call.subscribe) {
    const info = call.subscribe.framework_info;
    if (principal !== undefined && info.principal !== principal) {
      // Upstream rejects this in call validation: 400, not an authorization failure.
      throw new HttpError(400, `Failed to validate scheduler::Call: Authenticated principal '${principal}' does not match principal '${info.principal ?? ''}' set in \`FrameworkInfo\``);
    }
    if (existing && existing.principal !== info.principal) {
      throw new HttpError(403, `Framework ${id} is registered by principal '${existing.principal ?? ''}'; it cannot re-subscribe as '${info.principal ?? ''}'`);
    }
    requireAllowed(m, 'register_frameworks', info.principal, frameworkRoles(m, info));
    return;
  }
  if (existing && (principal !== undefined || m.flags.security.authenticateFrameworks) && existing.principal !== principal) {
    throw new HttpError(403, `Framework ${id} belongs to principal '${existing.principal ?? ''}'; this call is authenticated as '${principal ?? ''}'`);
  }
}
