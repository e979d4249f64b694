// Small HTTP helpers shared by every endpoint: bounded body reading, error answers that say what was wrong and
// what to do, and the checks every v1 endpoint makes first (method, recovering, leader, Content-Type).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestContentType, type ContentType } from '@mesos-ts/wire';
import { isWireError } from '@mesos-ts/wire';
import { isMasterError } from '../core/errors.js';
import type { Master } from '../runtime/master.js';

/** Largest request body accepted (8 MiB); bigger ones get 413. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
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
  const body = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers any failure: typed errors with their status, decoding errors 400, anything else 500 (logged). */
export function sendFailure(m: Master, res: ServerResponse, e: unknown): void {
  if (e instanceof HttpError) return sendText(res, e.status, e.message, e.headers);
  if (isMasterError(e)) return sendText(res, e.status, e.message);
  if (isWireError(e)) return sendText(res, 400, `Failed to parse the request body: ${e.message}`);
  m.log.error({ err: e }, 'request failed');
  sendText(res, 500, `Internal error: ${(e as Error).message ?? String(e)}; this is a bug, please report it`);
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `Request body of ${declared} bytes is larger than the limit of ${limit} bytes; send a smaller request`, { Connection: 'close' }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `Request body is larger than the limit of ${limit} bytes; send a smaller request`, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    // One chunk is the usual case (small calls): use it as is rather than copying it. The codecs copy every
    // bytes field they decode, so nothing decoded keeps a view into a larger socket buffer.
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new HttpError(400, 'The client aborted the request')));
  });
}

/** Checks every v1 API endpoint makes before looking at the call; returns the request's content type. */
export function v1Preamble(m: Master, req: IncomingMessage, path: string): ContentType {
  if (req.method !== 'POST') throw new HttpError(405, `Expecting a 'POST' request, received '${req.method ?? ''}'`, { Allow: 'POST' });
  if (m.recovering) throw new HttpError(503, 'Master is recovering its registry; retry shortly');
  if (!m.leader.isSelf()) {
    const leader = m.leader.current();
    if (!leader) throw new HttpError(503, 'No leading master is elected yet; retry shortly');
    throw new HttpError(307, `Not the leading master; the leader is ${leader.hostname}:${leader.port}`, { Location: `//${leader.hostname}:${leader.port}${path}` });
  }
  const ct = requestContentType(firstHeader(req.headers['content-type']));
  if (!ct.ok) throw new HttpError(ct.status, ct.message);
  return ct.contentType;
}

export function firstHeader(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}
