// Spark's REST submission protocol (RestSubmissionServer + MesosRestServer): POST /v1/submissions/create,
// POST /v1/submissions/kill/<id>, GET /v1/submissions/status/<id>. Replies are Spark's messages as Jackson writes
// them; 400 for malformed requests and wrong paths, 468 (with highestProtocolVersion) for an unknown protocol
// version, 200 with "success": false for business failures (not ready, queue full, unknown driver).
import type http from 'node:http';
import { createApiServer, listenApi, type TlsConfig } from '@mesos-ts/framework-kit';
import type { Answer } from '../domain/dispatcher-state.js';
import { statusText, type StatusSummary } from '../domain/driver.js';
import { sparkJson } from '../domain/spark-json.js';
import { parseCreateRequest, type CreateSubmissionRequest } from '../domain/submission.js';

export const PROTOCOL_VERSION = 'v1';
/** RestSubmissionServer.SC_UNKNOWN_PROTOCOL_VERSION. */
export const SC_UNKNOWN_PROTOCOL_VERSION = 468;
/** The Spark version the dispatcher speaks for (the distribution the tests assemble). */
export const SERVER_SPARK_VERSION = '3.5.8';

export interface SubmissionService {
  submit(request: CreateSubmissionRequest): Promise<Answer>;
  kill(id: string): Promise<Answer>;
  status(id: string): Answer & { status?: StatusSummary };
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function errorReply(status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { action: 'ErrorResponse', message, serverSparkVersion: SERVER_SPARK_VERSION, ...extra } };
}

/** The default servlet: a path outside the three endpoints (RestSubmissionServer's ErrorServlet). */
function pathError(pathname: string): Reply {
  const parts = pathname.split('/').filter((p) => p !== '');
  const hint = ` Please submit requests through http://[host]:[port]/${PROTOCOL_VERSION}/submissions/...`;
  if (parts.length === 0) return errorReply(400, `Missing protocol version.${hint}`);
  if (parts[0] !== PROTOCOL_VERSION) return errorReply(SC_UNKNOWN_PROTOCOL_VERSION, `Unknown protocol version '${parts[0]}'.${hint}`, { highestProtocolVersion: PROTOCOL_VERSION });
  if (parts.length === 1) return errorReply(400, `Missing the /submissions prefix.${hint}`);
  if (parts[1] === 'submissions') return errorReply(400, `Missing an action: please specify one of /create, /kill, or /status.${hint}`);
  return errorReply(400, `Malformed path ${pathname}.${hint}`);
}

function methodError(method: string): Reply {
  return errorReply(405, `HTTP method ${method} is not supported by this URL`);
}

export async function handle(service: SubmissionService, method: string, url: string, body: string): Promise<Reply> {
  const pathname = new URL(url, 'http://localhost').pathname;
  const m = /^\/v1\/submissions\/(create|kill|status)(?:\/(.*))?$/.exec(pathname);
  if (m === null) return pathError(pathname);
  const [, action, rest] = m;
  const id = (rest ?? '').split('/')[0] ?? '';
  if (action === 'create') {
    if (method !== 'POST') return methodError(method);
    const parsed = parseCreateRequest(body);
    if (!parsed.ok) return errorReply(400, parsed.message);
    const a = await service.submit(parsed.request);
    return { status: 200, body: { action: 'CreateSubmissionResponse', serverSparkVersion: SERVER_SPARK_VERSION, success: a.success, message: a.message, submissionId: a.submissionId, unknownFields: parsed.unknownFields.length > 0 ? parsed.unknownFields : undefined } };
  }
  if (action === 'kill') {
    if (method !== 'POST') return methodError(method);
    if (id === '') return errorReply(400, 'Submission ID is missing in kill request.');
    const a = await service.kill(decodeURIComponent(id));
    return { status: 200, body: { action: 'KillSubmissionResponse', serverSparkVersion: SERVER_SPARK_VERSION, success: a.success, message: a.message, submissionId: a.submissionId } };
  }
  if (method !== 'GET') return methodError(method);
  if (id === '') return errorReply(400, 'Submission ID is missing in status request.');
  const a = service.status(decodeURIComponent(id));
  return { status: 200, body: { action: 'SubmissionStatusResponse', serverSparkVersion: SERVER_SPARK_VERSION, success: a.success, submissionId: a.submissionId, driverState: a.driverState, message: a.status === undefined ? undefined : statusText(a.status) } };
}

export async function startRestServer(service: SubmissionService, port: number, host: string, tls?: TlsConfig): Promise<{ server: http.Server; url: string }> {
  const server = createApiServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(service, req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8'))
        .catch((e: unknown) => errorReply(500, `Internal server error: ${(e as Error).message}`))
        .then((reply) => {
          res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=utf-8' }).end(sparkJson(reply.body));
        });
    });
  }, tls);
  return { server, url: await listenApi(server, port, host) };
}
