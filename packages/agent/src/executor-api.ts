// The v1 executor API on the agent: POST /api/v1/executor. SUBSCRIBE answers 200 with a RecordIO stream of
// executor Events in the Accept encoding; UPDATE, MESSAGE and HEARTBEAT answer 202. Content types follow
// Mesos (400 missing, 415 other, 406 unacceptable Accept). What the calls mean is the handler's business.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { executor } from '@mesos-ts/proto';
import { decode, encode, encodeRecord, isWireError, type ContentType } from '@mesos-ts/wire';
import { HttpError, negotiate, readBody, sendText } from './http-util.js';
import { TOKEN_ENV } from './executor-token.js';

/** An open SUBSCRIBE stream to one executor. */
export interface ExecutorConnection {
  send(event: executor.Event): void;
  close(): void;
  readonly closed: boolean;
}

export interface ExecutorApiHandler {
  /** Throws HttpError to refuse (unknown executor…); otherwise sends SUBSCRIBED and what follows on `conn`. */
  subscribe(call: executor.Call, conn: ExecutorConnection, onClose: (cb: () => void) => void): void;
  update(call: executor.Call): Promise<void>;
  message(call: executor.Call): Promise<void>;
}

/** HEARTBEAT events keep idle executor streams (and proxies between) alive; in ms. */
export const EXECUTOR_HEARTBEAT_MS = 30_000;

/** Says whether the request may speak for this framework's executor (its per-container token). */
export type ExecutorAuthorizer = (frameworkId: string, executorId: string, authorization: string | undefined) => boolean;

export async function handleExecutorApi(req: IncomingMessage, res: ServerResponse, handler: ExecutorApiHandler, authorize?: ExecutorAuthorizer): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'Expecting POST to /api/v1/executor');
  const types = negotiate(req);
  let call: executor.Call;
  try {
    call = decode(types.request, 'mesos.v1.executor.Call', await readBody(req));
  } catch (e) {
    if (isWireError(e)) throw new HttpError(400, `Failed to parse body into Call: ${e.message}`);
    throw e;
  }
  if (!call.executor_id?.value || !call.framework_id?.value) throw new HttpError(400, 'Expecting executor_id and framework_id in the call');
  if (authorize && !authorize(call.framework_id.value, call.executor_id.value, req.headers.authorization)) {
    throw new HttpError(401, `Unauthorized: this call needs the Bearer token (${TOKEN_ENV}) of executor '${call.executor_id.value}'`);
  }
  switch (call.type) {
    case 'SUBSCRIBE':
      subscribe(call, res, types.response, handler);
      return;
    case 'UPDATE':
      if (!call.update) throw new HttpError(400, "Expecting 'update' to be present for an UPDATE call");
      await handler.update(call);
      break;
    case 'MESSAGE':
      if (!call.message) throw new HttpError(400, "Expecting 'message' to be present for a MESSAGE call");
      await handler.message(call);
      break;
    case 'HEARTBEAT':
      break;
    default:
      throw new HttpError(400, `Unknown or missing call type '${String(call.type)}'; expected SUBSCRIBE, UPDATE, MESSAGE or HEARTBEAT`);
  }
  sendText(res, 202, '');
}

function subscribe(call: executor.Call, res: ServerResponse, contentType: ContentType, handler: ExecutorApiHandler): void {
  const closeHandlers: Array<() => void> = [];
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const conn: ExecutorConnection = {
    send(event) {
      if (closed) return;
      res.write(encodeRecord(encode(contentType, 'mesos.v1.executor.Event', event)));
    },
    close() {
      if (!closed) res.end();
    },
    get closed() {
      return closed;
    },
  };
  res.on('close', () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    for (const cb of closeHandlers) cb();
  });
  // Headers first: the handler's SUBSCRIBED must be the first record of a 200 stream.
  handler.subscribe(call, {
    send(event) {
      if (!res.headersSent) res.writeHead(200, { 'Content-Type': contentType });
      conn.send(event);
    },
    close: conn.close,
    get closed() {
      return closed;
    },
  }, (cb) => closeHandlers.push(cb));
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': contentType });
  heartbeat = setInterval(() => conn.send({ type: 'HEARTBEAT' }), EXECUTOR_HEARTBEAT_MS);
  heartbeat.unref();
}
