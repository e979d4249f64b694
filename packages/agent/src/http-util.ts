// Small HTTP helpers shared by the agent's endpoints (and the fake master): body reading with a size cap,
// Mesos content negotiation and plain-text errors that say what was wrong.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestContentType, responseContentType, type ContentType } from '@mesos-ts/wire';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Content-Type and Accept of a v1 API call, or an HttpError with Mesos' status (400/415/406). */
export function negotiate(req: IncomingMessage): { request: ContentType; response: ContentType } {
  const header = req.headers['content-type'];
  const reqType = requestContentType(Array.isArray(header) ? header[0] : header);
  if (!reqType.ok) throw new HttpError(reqType.status, reqType.message);
  const resType = responseContentType(req.headers.accept);
  if (!resType.ok) throw new HttpError(resType.status, resType.message);
  return { request: reqType.contentType, response: resType.contentType };
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers any thrown error: HttpError keeps its status, anything else is a 500 naming the cause. */
export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof HttpError) sendText(res, e.status, e.message, e.headers);
  else sendText(res, 500, `internal error: ${(e as Error).message ?? String(e)}; the agent logged it`);
}
