// The launcher's HTTP server: the REST API (routes.ts), the event stream /v2/events (Server-Sent Events),
// and an optional static directory served for every other GET (the web UI bundle, packages/ui/dist/launcher).
// A standby (another instance leads the `--zk` election) proxies API requests to the leader, as upstream does.
// With LIBPROCESS_SSL_* TLS (framework-kit's serverTls) it serves HTTPS, and a standby reaches the leader over
// HTTPS too, verifying it against LIBPROCESS_SSL_CA_FILE (every instance shares one TLS setup).
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { createApiServer, listenApi, schemeOf } from '@mesos-ts/framework-kit';
import { clientTlsOptions, type TlsConfig } from '@mesos-ts/wire';
import { MarathonError } from '../domain/errors.js';
import { challenge, type HttpAuth } from './http-auth.js';
import { handle, type ApiContext } from './routes.js';

const MAX_BODY = 4 * 1024 * 1024;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** What the server answers with: the API while this instance leads, else the leader to proxy to. */
export interface Serving {
  /** The API context while this instance leads; undefined on a standby. */
  context(): ApiContext | undefined;
  /** `host:port` of the leading instance (for a standby), or undefined while none is elected. */
  leader(): string | undefined;
}

/** Marks a proxied request, so that a standby never proxies a request twice (no loops on stale views). */
const VIA = 'x-marathon-via';

export async function startServer(serving: Serving, port: number, host: string, staticDir?: string, tls?: TlsConfig, auth?: HttpAuth): Promise<{ server: http.Server; url: string }> {
  const server = createApiServer((req, res) => {
    if (auth !== undefined && !auth.allows(req.headers.authorization)) {
      const { status, headers, body } = challenge(auth);
      req.resume();
      return void res.writeHead(status, headers).end(body);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (staticDir !== undefined && req.method === 'GET' && !/^\/(v2|ping|metrics)(\/|$)/.test(url.pathname) && serveStatic(staticDir, url.pathname, res)) return;
    const ctx = serving.context();
    if (ctx === undefined && url.pathname !== '/ping') return standby(serving.leader(), req, res, tls);
    if (ctx !== undefined && url.pathname === '/v2/events') return events(ctx, req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (ctx === undefined) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong\n');
      void answer(ctx, req.method ?? 'GET', url, size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')).then(({ status, body, headers }) => {
        const text = typeof body === 'string' ? `${body}\n` : `${JSON.stringify(body)}\n`;
        res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers }).end(text);
      });
    });
  }, tls);
  const url = await listenApi(server, port, host);
  return { server, url };
}

async function answer(ctx: ApiContext, method: string, url: URL, raw: string | undefined): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  if (raw === undefined) return { status: 413, body: { message: `Request body over ${MAX_BODY} bytes` } };
  let body: unknown;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return { status: 400, body: { message: `Invalid JSON: ${(e as Error).message}`, details: [{ path: '/', errors: ['error.expected.jsobject: the body is not valid JSON'] }] } };
    }
  }
  try {
    return await handle(ctx, { method, path: url.pathname, query: url.searchParams, body });
  } catch (e) {
    if (e instanceof MarathonError) return { status: e.status, body: e.body() };
    return { status: 500, body: { message: `internal error: ${(e as Error).message}` } };
  }
}

/** A standby's answer: the leader's, through a transparent proxy; 503 while nobody leads. */
function standby(leader: string | undefined, req: http.IncomingMessage, res: http.ServerResponse, tls: TlsConfig | undefined): void {
  const unavailable = (message: string): void => void res.writeHead(503, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ message })}\n`);
  if (leader === undefined) return unavailable('Could not determine the current leader: no launcher is elected yet; retry shortly');
  if (req.headers[VIA] !== undefined) return unavailable(`the leader (${leader}) is not serving yet; retry shortly`);
  const [hostname, port] = [leader.slice(0, leader.lastIndexOf(':')), Number(leader.slice(leader.lastIndexOf(':') + 1))];
  const upstream = (tls ? https : http).request({ ...(tls ? clientTlsOptions(tls) : {}), hostname, port, method: req.method, path: req.url, headers: { ...req.headers, host: leader, [VIA]: `1.1 ${req.socket.localAddress}:${req.socket.localPort}` } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-marathon-leader': `${schemeOf(tls)}://${leader}` });
    answer.pipe(res);
  });
  upstream.on('error', (e) => (res.headersSent ? res.destroy() : void res.writeHead(502, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ message: `the leader at ${leader} did not answer: ${e.message}` })}\n`)));
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function events(ctx: ApiContext, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  const wanted = new URL(req.url ?? '/', 'http://localhost').searchParams.getAll('event_type');
  const send = (e: { eventType: string }): void => {
    if (wanted.length > 0 && !wanted.includes(e.eventType)) return;
    res.write(`event: ${e.eventType}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  send({ eventType: 'event_stream_attached', remoteAddress: req.socket.remoteAddress ?? '', timestamp: new Date().toISOString() } as { eventType: string });
  ctx.launcher.events.on('event', send);
  // Keep proxies from closing an idle stream; SSE comments are ignored by clients.
  const keepAlive = setInterval(() => res.write(':\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    ctx.launcher.events.off('event', send);
  });
}

function serveStatic(dir: string, pathname: string, res: http.ServerResponse): boolean {
  const file = path.join(dir, path.normalize(pathname === '/' ? '/index.html' : pathname));
  if (!file.startsWith(path.resolve(dir))) return false;
  try {
    if (!statSync(file).isFile()) return false;
  } catch {
    return false;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
  return true;
}
